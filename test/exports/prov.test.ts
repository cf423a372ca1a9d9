import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerExport } from '../../main/cli/commands/export.js';
import { EXTRACTIVE_COMPOSER, EXTRACTIVE_DEFAULTS } from '../../main/agent/extractive.js';
import { sha256Hex } from '../../main/core/hash.js';
import { makeCorpus, runCommand, type Corpus } from '../reports/fixtures.js';

type Doc = Record<string, Record<string, Record<string, unknown>>>;

describe('cairn export prov: an answer as W3C PROV-JSON', () => {
  let c: Corpus;
  let auditId: string;
  let doc: Doc;
  let out: string;

  beforeAll(async () => {
    c = await makeCorpus('prov');
    auditId = await c.ask('When did the convoy leave the northern depot?');
    out = path.join(c.root, 'prov.json');
    const r = await runCommand(registerExport, c.dataDir, ['export', 'prov', auditId.slice(0, 12), '--out', out]);
    expect(r.code, r.err).toBe(0);
    doc = JSON.parse(await readFile(out, 'utf8'));
  });
  afterAll(async () => c?.cleanup());

  it('has the answer, question, passages and sources as entities', async () => {
    const record = (await c.cairn.auditRecords()).find((x) => x.hash === auditId)!;
    const payload = record.payload as { retrieved: { chunkId: string; sourceId: string; contentHash: string }[]; citations: { chunkId: string; sourceId: string; quote: string }[]; banner: string };
    const answer = doc.entity![`answer:${auditId}`]!;
    expect(answer['prov:type']).toEqual({ $: 'cairn:Answer', type: 'prov:QUALIFIED_NAME' });
    expect(answer['cairn:banner']).toBe('SECRET//NOFORN');
    expect(doc.entity![`question:${sha256Hex('When did the convoy leave the northern depot?')}`]!['prov:value']).toBe('When did the convoy leave the northern depot?');
    for (const r of payload.retrieved) {
      expect(doc.entity![`chunk:${r.chunkId}`]).toMatchObject({ 'cairn:contentHash': r.contentHash, 'cairn:sourceId': r.sourceId });
      expect(doc.entity![`source:${r.sourceId}`]).toMatchObject({ 'cairn:sha256': r.sourceId });
    }
    const cited = payload.citations[0]!;
    expect(doc.entity![`chunk:${cited.chunkId}`]).toMatchObject({ 'cairn:cited': true, 'cairn:marking': 'SECRET//NOFORN' });
    expect(doc.entity![`source:${cited.sourceId}`]!['prov:label']).toBe('convoy.txt');
    // The answer quotes its passage.
    const quotation = Object.values(doc.wasDerivedFrom!).find((d) => d['prov:generatedEntity'] === `answer:${auditId}`)!;
    expect(quotation).toMatchObject({ 'prov:usedEntity': `chunk:${cited.chunkId}`, 'prov:type': { $: 'prov:Quotation', type: 'prov:QUALIFIED_NAME' }, 'cairn:quote': cited.quote });
  });

  it('has the ask as the activity, and the asker and the model as agents', async () => {
    const record = (await c.cairn.auditRecords()).find((x) => x.hash === auditId)!;
    const ask = doc.activity![`ask:${auditId}`]!;
    expect(ask).toMatchObject({ 'prov:startTime': record.ts, 'prov:endTime': record.ts, 'cairn:retrieval_method': 'hybrid', 'cairn:retrieval_embedder': 'cairn-hashed-v1-1024' });
    expect(doc.agent!['user:analyst1']).toMatchObject({ 'prov:type': { $: 'prov:Person', type: 'prov:QUALIFIED_NAME' } });
    expect(doc.agent![`model:cairn-extractive-v${EXTRACTIVE_COMPOSER.version}`]).toMatchObject({ 'prov:type': { $: 'prov:SoftwareAgent', type: 'prov:QUALIFIED_NAME' }, 'cairn:modelId': 'cairn-extractive', 'cairn:param_minCoverage': EXTRACTIVE_DEFAULTS.minCoverage, 'cairn:param_passageWeight': EXTRACTIVE_DEFAULTS.passageWeight });
    const rel = (name: string): Record<string, unknown>[] => Object.values(doc[name] ?? {});
    expect(rel('wasGeneratedBy')).toContainEqual(expect.objectContaining({ 'prov:entity': `answer:${auditId}`, 'prov:activity': `ask:${auditId}` }));
    expect(rel('wasAssociatedWith').map((r) => r['prov:agent']).sort()).toEqual([`model:cairn-extractive-v${EXTRACTIVE_COMPOSER.version}`, 'user:analyst1']);
    expect(rel('actedOnBehalfOf')).toEqual([expect.objectContaining({ 'prov:delegate': `model:cairn-extractive-v${EXTRACTIVE_COMPOSER.version}`, 'prov:responsible': 'user:analyst1' })]);
    expect(rel('used').some((u) => u['prov:entity'] === `question:${sha256Hex('When did the convoy leave the northern depot?')}`)).toBe(true);
    // Every relation points at something the document declares.
    const declared = new Set([...Object.keys(doc.entity!), ...Object.keys(doc.activity!), ...Object.keys(doc.agent!)]);
    for (const name of ['used', 'wasGeneratedBy', 'wasAssociatedWith', 'actedOnBehalfOf', 'wasAttributedTo', 'wasDerivedFrom']) {
      for (const r of rel(name)) {
        for (const [k, v] of Object.entries(r)) if (['prov:entity', 'prov:activity', 'prov:agent', 'prov:delegate', 'prov:responsible', 'prov:generatedEntity', 'prov:usedEntity'].includes(k)) expect(declared.has(v as string), `${name} ${k} ${v}`).toBe(true);
      }
    }
  });

  it('is recorded in the audit log with the file hash and the answer', async () => {
    const last = (await c.cairn.auditRecords()).at(-1)!;
    expect(last).toMatchObject({ action: 'export', actor: 'analyst1', payload: { format: 'prov-json', answers: [auditId], sha256: sha256Hex(await readFile(out)) } });
  });

  it('refuses a record that is not an answer, and a missing one', async () => {
    const ingest = (await c.cairn.auditRecords()).find((x) => x.action === 'ingest')!;
    expect((await runCommand(registerExport, c.dataDir, ['export', 'prov', ingest.hash, '--out', out])).err).toContain('not an answer');
    expect((await runCommand(registerExport, c.dataDir, ['export', 'prov', 'abcdef0123456789', '--out', out])).err).toContain('no audit record');
    expect((await runCommand(registerExport, c.dataDir, ['export', 'provenance', auditId, '--out', out])).err).toContain('unknown export "provenance"');
  });
});
