import { readdir, readFile, truncate } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../main/audit/log.js';
import { forge, lines, logWith, parse, tempDataDir, writeLines } from './helpers.js';

// Each tamper gets a fresh 5-record log; verify must name the first broken
// line, its seq, and a reason that says what happened.
let dir: string;
let cleanup: () => Promise<void>;
let log: AuditLog;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDataDir());
  log = await logWith(dir, 5);
});
afterEach(async () => cleanup());

describe('verify names the first broken record', () => {
  it('an edited line (payload changed): hash mismatch', async () => {
    const ls = await lines(log);
    const r = parse(ls[2]!);
    ls[2] = JSON.stringify({ ...r, payload: { ...(r.payload as object), answer: 'something else' } });
    await writeLines(log, ls);
    expect(await log.verify()).toMatchObject({ ok: false, records: 2, firstBroken: { line: 3, seq: 3, reason: 'hash-mismatch' } });
  });

  it('a deleted line: seq gap', async () => {
    const ls = await lines(log);
    ls.splice(2, 1);
    await writeLines(log, ls);
    const v = await log.verify();
    expect(v).toMatchObject({ ok: false, records: 2, firstBroken: { line: 3, seq: 4, reason: 'seq-gap' } });
    expect(!v.ok && v.firstBroken.message).toMatch(/record 3 is missing/);
  });

  it('two lines swapped: seq out of order', async () => {
    const ls = await lines(log);
    [ls[1], ls[2]] = [ls[2]!, ls[1]!];
    await writeLines(log, ls);
    const v = await log.verify();
    expect(v).toMatchObject({ ok: false, records: 1, firstBroken: { line: 2, seq: 3, reason: 'seq-out-of-order' } });
    expect(!v.ok && v.firstBroken.message).toMatch(/seq 2 is at line 3/);
  });

  it('a line appended with a wrong prevHash (self-consistent hash): prevHash mismatch', async () => {
    const ls = await lines(log);
    const third = parse(ls[2]!);
    ls.push(forge({ seq: 6, ts: new Date().toISOString(), actor: 'mallory', action: 'ask', payload: { question: 'planted' }, prevHash: third.hash }));
    await writeLines(log, ls);
    expect(await log.verify()).toMatchObject({ ok: false, records: 5, firstBroken: { line: 6, seq: 6, reason: 'prev-hash-mismatch' } });
  });

  it('a line appended with a self-computed hash, right prevHash, but a skipped seq: seq gap', async () => {
    const ls = await lines(log);
    const head = parse(ls[4]!);
    ls.push(forge({ seq: 9, ts: new Date().toISOString(), actor: 'mallory', action: 'ask', payload: { question: 'planted' }, prevHash: head.hash }));
    await writeLines(log, ls);
    expect(await log.verify()).toMatchObject({ ok: false, records: 5, firstBroken: { line: 6, seq: 9, reason: 'seq-gap' } });
  });

  it('a line appended with a self-computed hash, right prevHash, but a reused seq: seq out of order', async () => {
    const ls = await lines(log);
    const head = parse(ls[4]!);
    ls.push(forge({ seq: 5, ts: new Date().toISOString(), actor: 'mallory', action: 'ask', payload: { question: 'planted' }, prevHash: head.hash }));
    await writeLines(log, ls);
    expect(await log.verify()).toMatchObject({ ok: false, records: 5, firstBroken: { line: 6, seq: 5, reason: 'seq-out-of-order' } });
  });

  it('a file cut in the middle of its last line: truncated', async () => {
    const size = (await readFile(log.file)).length;
    const lastLen = (await lines(log))[4]!.length + 1;
    await truncate(log.file, size - Math.floor(lastLen / 2));
    const v = await log.verify();
    expect(v).toMatchObject({ ok: false, records: 4, firstBroken: { line: 5, seq: 5, reason: 'truncated' } });
    expect(!v.ok && v.firstBroken.message).toMatch(/cairn audit repair/);
  });

  it('a garbage line in the middle: unparsable', async () => {
    const ls = await lines(log);
    ls.splice(1, 0, 'not json at all');
    await writeLines(log, ls);
    expect(await log.verify()).toMatchObject({ ok: false, records: 1, firstBroken: { line: 2, reason: 'unparsable' } });
  });

  it('an extra field smuggled into a record: unparsable (nothing escapes the hash)', async () => {
    const ls = await lines(log);
    ls[1] = JSON.stringify({ ...parse(ls[1]!), note: 'hi' });
    await writeLines(log, ls);
    expect(await log.verify()).toMatchObject({ ok: false, records: 1, firstBroken: { line: 2, seq: 2, reason: 'unparsable' } });
  });
});

describe('damaged tails and repair', () => {
  async function cutLastLine(): Promise<string> {
    const bytes = await readFile(log.file);
    const last = (await lines(log))[4]!;
    const keep = bytes.length - last.length - 1 + 20;
    await truncate(log.file, keep);
    return last.slice(0, 20);
  }

  it('append refuses to chain onto a cut-off line and says how to repair', async () => {
    await cutLastLine();
    const err = await log.append('alice', 'ask', { question: 'q' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'AUDIT_BROKEN' });
    expect(String((err as Error).message)).toMatch(/cairn audit verify.*cairn audit repair/s);
  });

  it('append refuses when the last record was edited', async () => {
    const ls = await lines(log);
    ls[4] = JSON.stringify({ ...parse(ls[4]!), actor: 'mallory' });
    await writeLines(log, ls);
    await expect(log.append('alice', 'ask', {})).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
  });

  it('repair quarantines the cut-off line, keeps the prefix, and the next append chains', async () => {
    const cut = await cutLastLine();
    const fourth = (await log.read())[3]!;
    const { quarantined } = await log.repair();
    expect(path.dirname(quarantined)).toBe(path.join(dir, 'audit'));
    expect(path.basename(quarantined)).toMatch(/^quarantine-.*\.jsonl$/);
    expect(await readFile(quarantined, 'utf8')).toBe(cut);
    expect(await log.verify()).toEqual({ ok: true, records: 4, headHash: fourth.hash });

    const next = await log.append('alice', 'ask', { question: 'after repair' });
    expect(next).toMatchObject({ seq: 5, prevHash: fourth.hash });
    expect(await log.verify()).toEqual({ ok: true, records: 5, headHash: next.hash });
  });

  it('repair of a log that is only a cut-off first line leaves an empty log', async () => {
    await truncate(log.file, 30);
    await log.repair();
    expect(await log.verify()).toMatchObject({ ok: true, records: 0 });
    expect((await log.append('a', 'ask', {})).seq).toBe(1);
  });

  it('mid-file damage is never auto-repaired, even with a cut-off tail', async () => {
    const ls = await lines(log);
    ls[1] = JSON.stringify({ ...parse(ls[1]!), payload: { question: 'rewritten' } });
    await writeLines(log, ls);
    await cutLastLine();
    const before = await readFile(log.file);
    await expect(log.repair()).rejects.toMatchObject({ code: 'AUDIT_BROKEN', message: expect.stringMatching(/line 2 \(seq 2\)/) });
    expect(await readFile(log.file)).toEqual(before);
    expect((await readdir(path.dirname(log.file))).filter((f) => f.startsWith('quarantine-'))).toEqual([]);
  });

  it('a complete but garbage last line is not treated as a cut-off append', async () => {
    const ls = await lines(log);
    ls.push('{"seq":6,"garbage":true}');
    await writeLines(log, ls);
    await expect(log.append('alice', 'ask', {})).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
    await expect(log.repair()).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
  });

  it('repair of an intact log is refused as nothing to do', async () => {
    await expect(log.repair()).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('read() skips a cut-off final line but shows the intact records', async () => {
    await cutLastLine();
    expect((await log.read()).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
  });
});
