import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { runCli } from '../../main/cli/index.js';
import type { PreferenceLine } from '../../main/feedback/export.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('feedback on answers: stored, audited, marking-filtered, exported', () => {
  let root: string;
  let data: string;
  let openAnswer: string;
  let secretAnswer: string;
  let secondSecret: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-feedback-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'open.txt'), 'Harbour report. The ferry Morning Gull sailed from Port Sarn to Kessel on 3 May.');
    await writeFile(path.join(root, 'secret.txt'), 'Source report. The tanker Blue Heron will load fuel at Port Sarn on 12 May for the northern fleet.');
    const admin = await Cairn.open(data, { actor: 'admin' });
    await admin.ingest({ paths: [path.join(root, 'open.txt')] });
    await admin.ingest({ paths: [path.join(root, 'secret.txt')], marking: 'SECRET' });
    await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: { ann: { clearance: 'UNCLASSIFIED' }, sam: { clearance: 'SECRET', roles: ['analyst', 'reviewer'] } } }));
    const sam = await Cairn.open(data, { actor: 'sam' });
    const a1 = await sam.ask({ question: 'When will the Blue Heron load fuel?' });
    expect(a1.banner).toBe('SECRET');
    secretAnswer = a1.auditId;
    secondSecret = (await sam.ask({ question: 'When will the Blue Heron load fuel?' })).auditId;
    const ann = await Cairn.open(data, { actor: 'ann' });
    const a2 = await ann.ask({ question: 'Where did the Morning Gull sail?' });
    expect(a2.banner).toBe('UNCLASSIFIED');
    openAnswer = a2.auditId;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('records a rating, a citation flag and a correction in the feedback table, audited, with the answer banner', async () => {
    const sam = await Cairn.open(data, { actor: 'sam' });
    const r = await sam.feedback({ answerId: secretAnswer, rating: 2, citation: { verdict: 'missing', sourceId: 'a'.repeat(64) }, correction: 'The Blue Heron loads fuel at Port Sarn on 12 May.' });
    expect(r.ids).toHaveLength(3);
    expect(r.marking).toBe('SECRET');
    const rows = await sam.feedbackList({ answerId: secretAnswer });
    expect(rows.map((x) => x.kind).sort()).toEqual(['citation', 'correction', 'rating']);
    expect(rows.every((x) => x.user === 'sam' && x.marking === 'SECRET' && x.auditId === r.auditId && x.question === 'When will the Blue Heron load fuel?')).toBe(true);
    const record = (await sam.auditRecords()).find((x) => x.hash === r.auditId)!;
    expect(record.action).toBe('feedback');
    expect(record.actor).toBe('sam');
    expect(JSON.stringify(record.payload)).toContain('12 May');
    expect((await sam.auditVerify()).ok).toBe(true);
  });

  it('readers see only feedback whose marking they are cleared for (analysts only their own), and cannot rate answers above their clearance', async () => {
    const ann = await Cairn.open(data, { actor: 'ann' });
    await ann.feedback({ answerId: openAnswer, rating: 'up' });
    const seen = await ann.feedbackList({});
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((x) => x.marking === 'UNCLASSIFIED')).toBe(true);
    expect(JSON.stringify(seen)).not.toContain('Blue Heron');
    await expect(ann.feedback({ answerId: secretAnswer, rating: 'up' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const sam = await Cairn.open(data, { actor: 'sam' });
    const all = await sam.feedbackList({});
    expect(new Set(all.map((x) => x.marking))).toEqual(new Set(['SECRET', 'UNCLASSIFIED']));
  });

  it('refuses empty feedback, unknown answers and preferences across different questions', async () => {
    const sam = await Cairn.open(data, { actor: 'sam' });
    await expect(sam.feedback({ answerId: secretAnswer })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(sam.feedback({ answerId: 'b'.repeat(64), rating: 'up' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(sam.feedback({ answerId: secretAnswer, preference: { otherAnswerId: openAnswer, preferred: 'this' } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('the CLI adds, lists and exports chosen/rejected pairs with marking and provenance', async () => {
    process.env.CAIRN_USER = 'sam';
    try {
      const c = capture();
      expect(await runCli(['node', 'cairn', '--data', data, 'feedback', 'add', secondSecret, '--versus', secretAnswer, '--preferred', 'this', '--correction', 'Blue Heron loads fuel on 12 May.', '--json'], c.io)).toBe(0);
      const added = JSON.parse(c.out.join('\n')) as { ids: string[]; marking: string };
      expect(added.ids).toHaveLength(2);
      expect(added.marking).toBe('SECRET');
      const l = capture();
      expect(await runCli(['node', 'cairn', '--data', data, 'feedback', 'list', '--kind', 'preference'], l.io)).toBe(0);
      expect(l.out.join('\n')).toContain('preference this');
      const outFile = path.join(root, 'pairs.jsonl');
      const e = capture();
      expect(await runCli(['node', 'cairn', '--data', data, 'feedback', 'export', '--format', 'jsonl', '--out', outFile], e.io)).toBe(0);
      const lines = (await readFile(outFile, 'utf8')).trim().split('\n').map((x) => JSON.parse(x) as PreferenceLine);
      // Two corrections (earlier test and this one); the preference is between identical extractive answers, so no pair.
      expect(lines.map((x) => x.provenance.type).sort()).toEqual(['correction', 'correction']);
      const corr = lines.find((x) => x.chosen === 'Blue Heron loads fuel on 12 May.')!;
      expect(corr.prompt).toBe('When will the Blue Heron load fuel?');
      expect(corr.rejected).toContain('12 May');
      expect(corr.marking).toBe('SECRET');
      expect(corr.provenance).toMatchObject({ user: 'sam', rejectedAnswerId: secondSecret, chosenAnswerId: null });
      expect(corr.provenance.rejectedModel).toContain('extractive');
      const bad = capture();
      expect(await runCli(['node', 'cairn', '--data', data, 'feedback', 'export', '--format', 'csv'], bad.io)).toBe(1);
    } finally {
      delete process.env.CAIRN_USER;
    }
  });
});
