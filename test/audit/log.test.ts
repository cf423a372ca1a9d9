import { mkdir, readFile, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAuditRecord } from '../../main/audit/format.js';
import { AuditLog } from '../../main/audit/log.js';
import { GENESIS_HASH, hashRecord } from '../../main/audit/record.js';
import { CairnError } from '../../main/core/errors.js';
import { lines, logWith, tempDataDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDataDir()));
afterEach(async () => cleanup());

describe('AuditLog append / read / verify', () => {
  it('an empty or missing log verifies with the genesis head', async () => {
    const log = await AuditLog.open(dir);
    expect(log.file).toBe(path.join(dir, 'audit', 'log.jsonl'));
    expect(await log.read()).toEqual([]);
    expect(await log.verify()).toEqual({ ok: true, records: 0, headHash: GENESIS_HASH });
  });

  it('chains records from seq 1 and verifies the round trip', async () => {
    const log = await AuditLog.open(dir);
    const a = await log.append('alice', 'ingest', { file: 'a.pdf', sourceId: 'f'.repeat(64), chunks: 3, marking: 'UNCLASSIFIED', status: 'ingested' });
    const b = await log.append('bob', 'ask', { question: 'Where?', user: 'bob', answer: 'There.', citations: [{ chunkId: 'c1' }], banner: 'UNCLASSIFIED' });
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(b.hash).toBe(hashRecord(b));
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await log.read()).toEqual([a, b]);
    expect(await log.verify()).toEqual({ ok: true, records: 2, headHash: b.hash });
    // One record per line, each line ends with '\n', seq first for humans.
    const text = await readFile(log.file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(3);
    expect(text.startsWith('{"seq":1,')).toBe(true);
  });

  it('returns the record as it will read back (undefined dropped, toJSON applied)', async () => {
    const log = await AuditLog.open(dir);
    const r = await log.append('alice', 'ingest', { file: 'x', parentId: undefined, at: new Date(0) });
    expect(r.payload).toEqual({ at: '1970-01-01T00:00:00.000Z', file: 'x' });
    expect(await log.read()).toEqual([r]);
  });

  it('refuses a payload that is not plain JSON and writes nothing', async () => {
    const log = await logWith(dir, 1);
    const before = await readFile(log.file, 'utf8');
    await expect(log.append('alice', 'ask', { score: NaN })).rejects.toThrow(/not plain JSON/);
    await expect(log.append('alice', '', {})).rejects.toBeInstanceOf(CairnError);
    expect(await readFile(log.file, 'utf8')).toBe(before);
  });

  it('a second instance (another process, in effect) continues the same chain', async () => {
    await logWith(dir, 2);
    const again = await AuditLog.open(dir);
    const r = await again.append('carol', 'ask', { question: 'q' });
    expect(r.seq).toBe(3);
    expect((await again.verify()).ok).toBe(true);
  });

  it('concurrent appends in one process through two instances lose nothing', async () => {
    const [x, y] = await Promise.all([AuditLog.open(dir), AuditLog.open(dir)]);
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? x : y).append('t', 'test', { i })));
    const v = await x.verify();
    expect(v).toMatchObject({ ok: true, records: 40 });
    const is = (await x.read()).map((r) => (r.payload as { i: number }).i).sort((p, q) => p - q);
    expect(is).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('takes over a lock left behind by a crashed process', async () => {
    const log = await logWith(dir, 1);
    const lockDir = `${log.file}.lock`;
    await mkdir(lockDir);
    const old = new Date(Date.now() - 60_000);
    await utimes(lockDir, old, old);
    const r = await log.append('alice', 'ask', { question: 'after crash' });
    expect(r.seq).toBe(2);
    await expect(stat(lockDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('handles records larger than the read windows, with multi-byte text across chunk edges', async () => {
    const log = await AuditLog.open(dir);
    const big = 'é'.repeat(150_000); // 300 kB of UTF-8: spans several 64 kB stream chunks and tail windows
    const a = await log.append('alice', 'ask', { question: 'q1', answer: big });
    const b = await log.append('alice', 'ask', { question: 'q2', answer: `${big}x` });
    expect((await log.read()).map((r) => (r.payload as { answer: string }).answer.length)).toEqual([150_000, 150_001]);
    expect(await log.verify()).toEqual({ ok: true, records: 2, headHash: b.hash });
    expect(b.prevHash).toBe(a.hash);
  });

  it('find() by seq, full hash and unique prefix', async () => {
    const log = await logWith(dir, 3);
    const all = await log.read();
    const second = all[1]!;
    expect(await log.find(2)).toEqual(second);
    expect(await log.find(second.hash)).toEqual(second);
    expect(await log.find(second.hash.slice(0, 10).toUpperCase())).toEqual(second);
    expect(await log.find(99)).toBeUndefined();
    expect(await log.find('f'.repeat(64))).toBeUndefined();
    await expect(log.find('abc')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

describe('formatAuditRecord', () => {
  it('summarises an ask record on one line: seq, ts, actor, action, short hash, question', async () => {
    const log = await AuditLog.open(dir);
    const r = await log.append('alice', 'ask', { question: 'Which vessel\nloitered?', citations: [{}, {}], banner: 'SECRET//NOFORN', answer: 'x' });
    const s = formatAuditRecord(r);
    expect(s).toBe(`#1  ${r.ts}  alice  ask  ${r.hash.slice(0, 12)}  "Which vessel loitered?" -> 2 citations [SECRET//NOFORN]`);
  });

  it('summarises ingest records by file, status, chunks and marking', async () => {
    const log = await AuditLog.open(dir);
    const ok = await log.append('alice', 'ingest', { file: 'docs/report.pdf', sourceId: 'a'.repeat(64), chunks: 12, marking: 'CUI', status: 'ingested' });
    const bad = await log.append('alice', 'ingest.failed', { file: 'x.bin', status: 'failed', error: { code: 'UNSUPPORTED_TYPE', message: 'unknown type' } });
    expect(formatAuditRecord(ok)).toMatch(/ingest {2}[0-9a-f]{12} {2}docs\/report\.pdf ingested 12 chunks \[CUI\]$/);
    expect(formatAuditRecord(bad)).toMatch(/x\.bin failed : unknown type$/);
  });

  it('falls back to a few scalar fields for other actions', async () => {
    const log = await AuditLog.open(dir);
    const r = await log.append('root', 'package.import', { packageId: 'p1', sources: 4, nested: { a: 1 } });
    expect(formatAuditRecord(r)).toMatch(/package\.import {2}[0-9a-f]{12} {2}packageId="p1" sources=4$/);
  });

  it('every record of a log prints as exactly one line', async () => {
    const log = await logWith(dir, 3);
    const out = (await lines(log)).length;
    expect((await log.read()).map(formatAuditRecord).join('\n').split('\n')).toHaveLength(out);
  });
});
