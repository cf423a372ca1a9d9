import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { contract } from '../../main/api/contract.js';
import { runOp } from '../../main/api/ops.js';
import { sha256Hex } from '../../main/core/hash.js';

/** The auditExport operation the Review view calls: real store, real audit log, roles from users.json. */
describe('auditExport', () => {
  let root: string;
  let adm: Cairn;
  let annAnswer: string;
  let bobAnswer: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-export-op-'));
    const data = path.join(root, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(
      path.join(data, 'users.json'),
      JSON.stringify({ users: { adm: { clearance: 'SECRET', roles: ['administrator'] }, ann: { clearance: 'SECRET' }, bob: { clearance: 'SECRET' } } }),
    );
    const file = path.join(root, 'report.txt');
    await writeFile(file, 'The Blue Heron arrived at Port Sarn on 12 March 2031 carrying grain.\n');
    adm = await Cairn.open(data, { actor: 'adm' });
    await adm.ingest({ paths: [file] });
    annAnswer = (await runOp(await adm.forUser('ann'), 'ask', { question: 'When did the Blue Heron arrive?' })).auditId;
    bobAnswer = (await runOp(await adm.forUser('bob'), 'ask', { question: 'What did the Blue Heron carry?' })).auditId;
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("gives an answer's PROV-JSON to its asker, with the checksum of what was sent, and audits the export", async () => {
    const ann = await adm.forUser('ann');
    const r = contract.auditExport.output.parse(await runOp(ann, 'auditExport', { format: 'prov', answerId: annAnswer }));
    expect(r.filename).toBe(`cairn-prov-${annAnswer.slice(0, 12)}.json`);
    expect(r.sha256).toBe(sha256Hex(r.content));
    const doc = JSON.parse(r.content) as Record<string, Record<string, unknown>>;
    for (const k of ['entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasAssociatedWith']) expect(Object.keys(doc[k] ?? {}).length, k).toBeGreaterThan(0);
    expect(r.content).toContain('When did the Blue Heron arrive?');
    const rec = (await adm.auditRecords()).find((x) => x.hash === r.auditId);
    expect(rec).toMatchObject({ actor: 'ann', action: 'export', payload: { format: 'prov-json', answers: [annAnswer], sha256: r.sha256 } });
  });

  it("refuses an analyst another user's answer; a reviewer-level user may export it", async () => {
    const ann = await adm.forUser('ann');
    await expect(runOp(ann, 'auditExport', { format: 'prov', answerId: bobAnswer })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const r = await runOp(adm, 'auditExport', { format: 'prov', answerId: bobAnswer });
    expect(r.content).toContain('What did the Blue Heron carry?');
  });

  it('exports the log as JSON Lines: an analyst gets only their own records', async () => {
    const ann = await adm.forUser('ann');
    const mine = await runOp(ann, 'auditExport', { format: 'jsonl' });
    const actors = new Set(mine.content.trim().split('\n').map((l) => (JSON.parse(l) as { actor: string }).actor));
    expect(actors).toEqual(new Set(['ann']));
    const all = await runOp(adm, 'auditExport', { format: 'jsonl' });
    expect(all.content).toContain('"actor":"bob"');
    await expect(runOp(ann, 'auditExport', { format: 'prov' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
