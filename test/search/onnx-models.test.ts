import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { runCli } from '../../main/cli/index.js';
import { writeTinyEmbedder, writeTinyReranker } from '../embed/tiny-onnx.js';

/**
 * An administrator drops ONNX models into DATA/models: the store re-embeds
 * with one and search finds passages full text cannot; a configured
 * cross-encoder re-orders results. Real LanceDB, real onnxruntime, tiny
 * models built by the test (no weights can be downloaded here).
 */
const groups = [
  ['ship', 'vessel', 'boat', 'freighter'],
  ['harbour', 'port', 'dock', 'quay'],
  ['aircraft', 'plane', 'helicopter'],
  ['fuel', 'diesel'],
];

let dataDir: string;
let docs: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-onnx-store-'));
  docs = await mkdtemp(path.join(os.tmpdir(), 'cairn-onnx-docs-'));
  await writeTinyEmbedder(path.join(dataDir, 'models', 'tiny-embed'), { groups });
  await writeTinyReranker(path.join(dataDir, 'models', 'tiny-rerank'), { groups, weights: { helicopter: 2, aircraft: 1, plane: 1 } });
  await writeFile(path.join(docs, 'a.txt'), 'The freighter waited two days at anchor outside the breakwater.');
  await writeFile(path.join(docs, 'b.txt'), 'Diesel prices rose sharply in the second quarter.');
  await writeFile(path.join(docs, 'c.txt'), 'A helicopter landed near the quay; the aircraft refuelled.');
  await writeFile(path.join(docs, 'd.txt'), 'Three aircraft were counted on the apron at dawn.');
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(docs, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(['node', 'cairn', '--data', dataDir, ...args], { out: (s) => (out += `${s}\n`), err: () => undefined });
  return { code, out };
}

describe('ONNX embedder and reranker from DATA/models', () => {
  it('re-embeds the store with the ONNX model, pins it, and finds a synonym full text cannot', async () => {
    let cairn = await Cairn.open(dataDir, { actor: 'tester' });
    await cairn.ingest({ paths: [docs] });
    // "vessel" appears in no passage: only a model that knows it means "freighter" finds a.txt.
    expect((await cairn.search({ query: 'vessel', k: 1 })).hits[0]?.title).not.toBe('a.txt');
    const r = await cairn.reembed('tiny-embed');
    expect(r.to).toMatch(/^onnx:tiny-embed@[0-9a-f]{12}$/);
    cairn = await Cairn.open(dataDir, { actor: 'tester' });
    expect((await cairn.embedders()).active).toBe(r.to);
    expect((await cairn.search({ query: 'vessel', k: 1 })).hits[0]?.title).toBe('a.txt');
  });

  it('refuses to open a store whose ONNX model file changed', async () => {
    const cairn = await Cairn.open(dataDir, { actor: 'tester' });
    await cairn.ingest({ paths: [docs] });
    await cairn.reembed('tiny-embed');
    await writeTinyEmbedder(path.join(dataDir, 'models', 'tiny-embed'), { groups: [...groups, ['extra']] });
    await expect(Cairn.open(dataDir, { actor: 'tester' })).rejects.toMatchObject({ code: 'STORE_MISMATCH' });
  });

  it('re-orders search by the configured cross-encoder, and says so in the audit', async () => {
    const plain = await Cairn.open(dataDir, { actor: 'tester' });
    await plain.ingest({ paths: [docs] });
    const before = (await plain.search({ query: 'aircraft', k: 2 })).hits.map((h) => h.title);
    // Precondition: full text alone prefers the shorter passage.
    expect(before[0]).toBe('d.txt');
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ search: { reranker: 'tiny-rerank', rerankDepth: 10 } }));
    const reranked = await Cairn.open(dataDir, { actor: 'tester' });
    const after = (await reranked.search({ query: 'aircraft', k: 2 })).hits.map((h) => h.title);
    // The tiny cross-encoder weighs "helicopter" highest, so c.txt leads whatever BM25 said.
    expect(after[0]).toBe('c.txt');
    expect(new Set(after)).toEqual(new Set(before));
    const answer = await reranked.ask({ question: 'Which aircraft were seen?' });
    const record = (await reranked.auditRecords()).find((x) => x.hash === answer.auditId);
    expect((record?.payload as { retrieval?: { reranker?: string } }).retrieval?.reranker).toMatch(/^onnx-rerank:tiny-rerank@/);
  });

  it('a configured reranker that is not installed is a clear error', async () => {
    await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ search: { reranker: 'missing-model' } }));
    await expect(Cairn.open(dataDir, { actor: 'tester' })).rejects.toThrow(/missing-model.*models/);
  });

  it('`cairn models list` shows the installed embedders and rerankers and what the store uses', async () => {
    await mkdir(path.join(dataDir, 'models', 'not-a-model'), { recursive: true });
    const r = await cli('models', 'list', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { embedders: { name: string; kind: string }[]; rerankers: { name: string }[]; store: { embedder: string | null } };
    expect(j.embedders.map((e) => `${e.name}:${e.kind}`)).toEqual(expect.arrayContaining(['hashed:built-in', 'tiny-embed:onnx']));
    expect(j.rerankers.map((x) => x.name)).toEqual(['tiny-rerank']);
    expect(j.store.embedder).toBeNull();
  });
});
