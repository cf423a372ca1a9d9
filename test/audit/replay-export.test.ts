/**
 * `cairn audit export` and `cairn audit replay` on a real temp LanceDB store
 * with real ask records (the corpus of test/reports/fixtures.ts).
 */
import * as lancedb from '@lancedb/lancedb';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../main/api/replay.js';
import { registerAuditCommands } from '../../main/cli/commands/audit.js';
import type { CliContext } from '../../main/cli/index.js';
import { makeCorpus, runCommand, type Corpus } from '../reports/fixtures.js';

const QUESTION = 'When did the convoy leave the northern depot?';
const register = (p: Command, ctx: CliContext): void => registerAuditCommands(p.command('audit'), ctx);
type Replay = ReplayReport & { replayAuditId: string };

let corpus: Corpus | undefined;
afterEach(async () => corpus?.cleanup());

async function replay(c: Corpus, id: string): Promise<Replay> {
  const r = await runCommand(register, c.dataDir, ['audit', 'replay', id, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Replay;
}

/** The store has no delete or edit operation; a test reaches the tables directly to make the store change under a recorded answer. */
async function storeTable(c: Corpus, prefix: string): Promise<lancedb.Table> {
  const db = await lancedb.connect(path.join(c.dataDir, 'store'));
  const name = (await db.tableNames()).find((n) => n.startsWith(prefix))!;
  return db.openTable(name);
}

describe('cairn audit export', () => {
  it('--format prov: a PROV-JSON document with entities, activity, agents and their relations', async () => {
    corpus = await makeCorpus('audit-prov');
    const id = await corpus.ask(QUESTION);
    const out = path.join(corpus.root, 'answer.prov.json');
    const r = await runCommand(register, corpus.dataDir, ['audit', 'export', '--format', 'prov', '--answer', id, '--out', out]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

    // The PROV-JSON top-level shape.
    for (const k of ['prefix', 'entity', 'activity', 'agent', 'used', 'wasGeneratedBy', 'wasAssociatedWith']) expect(Object.keys(doc[k] ?? {}).length, k).toBeGreaterThan(0);
    const type = (o: Record<string, unknown> | undefined): unknown => (o?.['prov:type'] as { $: string } | undefined)?.$;
    const entities = Object.values(doc.entity!);
    expect(entities.map(type)).toEqual(expect.arrayContaining(['cairn:Answer', 'cairn:Question', 'cairn:Passage', 'cairn:Source', 'cairn:AuditRecord']));
    const answer = doc.entity![`answer:${id}`]!;
    expect(answer['cairn:banner']).toBe('SECRET//NOFORN');
    expect(answer['prov:value']).toContain('0400 on 12 March');
    expect(Object.values(doc.agent!).map(type).sort()).toEqual(['prov:Person', 'prov:SoftwareAgent']);
    expect(doc.agent!['user:analyst1']).toBeDefined();
    expect(Object.keys(doc.activity!)).toEqual([`ask:${id}`]);
    // Citations: the answer derived from a passage by quotation.
    expect(Object.values(doc.wasDerivedFrom!).some((d) => d['prov:generatedEntity'] === `answer:${id}` && type(d) === 'prov:Quotation' && String(d['cairn:quote']).includes('0400'))).toBe(true);
    // Every relation names declared nodes.
    const declared = new Set([...Object.keys(doc.entity!), ...Object.keys(doc.activity!), ...Object.keys(doc.agent!)]);
    for (const rel of ['used', 'wasGeneratedBy', 'wasAssociatedWith']) {
      for (const x of Object.values(doc[rel]!)) {
        for (const k of ['prov:entity', 'prov:activity', 'prov:agent']) if (k in x) expect(declared.has(x[k] as string), `${rel} ${k}`).toBe(true);
      }
    }
    const last = (await corpus.cairn.auditRecords()).at(-1)!;
    expect(last).toMatchObject({ action: 'export', payload: { format: 'prov-json', answers: [id] } });
  }, 60_000);

  it('--format jsonl: the raw records, one per line, each still hashing to itself', async () => {
    corpus = await makeCorpus('audit-jsonl');
    const id = await corpus.ask(QUESTION);
    const before = await corpus.cairn.auditRecords();
    const out = path.join(corpus.root, 'audit.jsonl');
    const r = await runCommand(register, corpus.dataDir, ['audit', 'export', '--format', 'jsonl', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const rows = (await readFile(out, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { hash: string; seq: number });
    expect(rows.map((x) => x.hash)).toEqual(before.map((x) => x.hash));
    // One record only, to stdout.
    const one = await runCommand(register, corpus.dataDir, ['audit', 'export', '--format', 'jsonl', '--answer', id.slice(0, 16)]);
    expect(one.code, one.err).toBe(0);
    expect(one.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { hash: string }).hash)).toEqual([id]);
    expect((await corpus.cairn.auditRecords()).at(-1)).toMatchObject({ action: 'export', payload: { format: 'audit-jsonl', records: 1, answers: [id] } });
  }, 60_000);

  it('refuses prov without --answer, and a record that is not an answer', async () => {
    corpus = await makeCorpus('audit-prov-bad');
    expect((await runCommand(register, corpus.dataDir, ['audit', 'export', '--format', 'prov'])).err).toContain('needs --answer');
    const ingestRecord = (await corpus.cairn.auditRecords())[0]!;
    const r = await runCommand(register, corpus.dataDir, ['audit', 'export', '--format', 'prov', '--answer', ingestRecord.hash]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not an answer');
  }, 60_000);
});

describe('cairn audit replay', () => {
  it('an unchanged store gives the same passages, citations and sentences, and the replay is audited', async () => {
    corpus = await makeCorpus('replay-same');
    const id = await corpus.ask(QUESTION);
    const r = await replay(corpus, id.slice(0, 12));
    expect(r).toMatchObject({ auditId: id, mode: 'full', same: true, user: 'analyst1', diff: { chunks: { same: true, added: [], removed: [], changedContent: [] }, citations: { same: true }, sentences: { same: true }, answerSame: true } });
    const recorded = (await corpus.cairn.auditRecord(id)).payload as { retrieved: { chunkId: string; contentHash: string }[] };
    expect(r.replayed.retrieved.map((c) => [c.chunkId, c.contentHash])).toEqual(recorded.retrieved.map((c) => [c.chunkId, c.contentHash]));
    const last = (await corpus.cairn.auditRecords()).at(-1)!;
    expect(last).toMatchObject({ hash: r.replayAuditId, action: 'audit.replay', payload: { of: id, same: true, added: [], removed: [] } });
    // Human output says so.
    const text = await runCommand(register, corpus.dataDir, ['audit', 'replay', id]);
    expect(text.out).toContain('SAME:');
  }, 60_000);

  it('after a new, more relevant document is ingested, reports the added passage and the changed answer', async () => {
    corpus = await makeCorpus('replay-new');
    const id = await corpus.ask(QUESTION);
    const update = path.join(corpus.root, 'in', 'convoy-update.txt');
    await writeFile(update, '(U) Correction: the convoy left the northern depot at 0600 on 14 March, not 12 March. When the convoy left the northern depot it was escorted.');
    expect((await corpus.cairn.ingest({ paths: [update] })).ingested).toBe(1);
    const newSource = (await corpus.cairn.sources()).find((s) => s.title === 'convoy-update.txt')!;
    const r = await replay(corpus, id);
    expect(r.same).toBe(false);
    expect(r.diff.chunks.added.map((c) => c.sourceId)).toContain(newSource.id);
    expect(r.diff.citations.added.length + r.diff.sentences.added.length).toBeGreaterThan(0);
    const text = await runCommand(register, corpus.dataDir, ['audit', 'replay', id]);
    expect(text.out).toContain('CHANGED:');
    expect(text.out).toMatch(/\+ passage [0-9a-f]{12} \(source [0-9a-f]{12}\) now retrieved at rank \d/);
  }, 60_000);

  it('after the cited source is deleted, reports its passage gone and its citation and sentence removed', async () => {
    corpus = await makeCorpus('replay-gone');
    const id = await corpus.ask(QUESTION);
    const payload = (await corpus.cairn.auditRecord(id)).payload as { citations: { chunkId: string; sourceId: string }[] };
    const cited = payload.citations[0]!;
    await (await storeTable(corpus, 'sources')).delete(`id = '${cited.sourceId}'`);
    const r = await replay(corpus, id);
    expect(r.same).toBe(false);
    expect(r.diff.chunks.removed).toContainEqual(expect.objectContaining({ chunkId: cited.chunkId, why: 'gone' }));
    expect(r.diff.citations.removed.some((k) => k.startsWith(cited.chunkId))).toBe(true);
    expect(r.diff.sentences.removed.length).toBeGreaterThan(0);
  }, 60_000);

  it('after a passage’s text is changed in the store, reports changed content', async () => {
    corpus = await makeCorpus('replay-changed');
    const id = await corpus.ask(QUESTION);
    const payload = (await corpus.cairn.auditRecord(id)).payload as { citations: { chunkId: string }[] };
    const chunkId = payload.citations[0]!.chunkId;
    await (await storeTable(corpus, 'chunks')).update({ where: `id = '${chunkId}'`, values: { text: '(S//NF) The convoy of six trucks left the northern depot at 0500 on 13 March heading to Port Vela.' } });
    const r = await replay(corpus, id);
    expect(r.same).toBe(false);
    expect(r.diff.chunks.changedContent.map((c) => c.chunkId)).toContain(chunkId);
  }, 60_000);

  it('another user’s answer: reviewers may replay and export it, analysts may not; only administrators sign with another key', async () => {
    corpus = await makeCorpus('replay-roles');
    const id = await corpus.ask(QUESTION);
    await writeFile(
      path.join(corpus.dataDir, 'users.json'),
      JSON.stringify({
        users: {
          analyst1: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['analyst'] },
          ann: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['analyst'] },
          rev: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['reviewer'] },
        },
      }),
    );
    const asAnn = await runCommand(register, corpus.dataDir, ['audit', 'replay', id], 'ann');
    expect(asAnn.code).toBe(1);
    expect(asAnn.err).toMatch(/may not read other users' audit records/);
    expect((await runCommand(register, corpus.dataDir, ['audit', 'export', '--format', 'prov', '--answer', id], 'ann')).code).toBe(1);
    const asRev = await runCommand(register, corpus.dataDir, ['audit', 'replay', id, '--json'], 'rev');
    expect(asRev.code, asRev.err).toBe(0);
    // Replayed with the asker's clearance, not the reviewer's: the same answer comes back.
    expect(JSON.parse(asRev.out)).toMatchObject({ user: 'analyst1', same: true });
    const key = path.join(corpus.root, 'k.key');
    const signed = await runCommand(register, corpus.dataDir, ['audit', 'checkpoint', '--key', key], 'ann');
    expect(signed.code).toBe(1);
    expect(signed.err).toContain('manage publisher keys');
  }, 60_000);
});
