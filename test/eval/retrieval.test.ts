import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBeirSet } from './beir-fixture.js';
import { runCli } from '../../main/cli/index.js';
import { loadBeir } from '../../main/eval/beir.js';

// A tiny BEIR-format folder: enough to prove the harness end to end, with
// queries whose relevant document is unambiguous.
const docs: [string, string, string][] = [
  ['d1', 'Harbour traffic', 'The tanker Blue Heron docked at Port Sarn after a storm delayed it for two days.'],
  ['d2', 'Grain exports', 'Wheat and barley exports rose sharply in the third quarter across the region.'],
  ['d3', 'Air patrols', 'Maritime patrol aircraft flew daily sorties over the northern shipping lanes.'],
  ['d4', 'Fuel reserves', 'The fuel depot at Halcyra holds diesel reserves for thirty days of operations.'],
];
const queries: [string, string, string][] = [
  ['q1', 'Which tanker docked at Port Sarn?', 'd1'],
  ['q2', 'diesel reserves at the fuel depot', 'd4'],
  ['q3', 'patrol aircraft sorties', 'd3'],
];

describe('cairn eval retrieval', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-beir-'));
    await writeBeirSet(path.join(root, 'tiny'), docs, queries);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('prints nDCG@10 and Recall@100 for Cairn and the LanceDB full-text baseline from the same run', async () => {
    let out = '';
    const code = await runCli(['node', 'cairn', '--data', path.join(root, 'data'), 'eval', 'retrieval', path.join(root, 'tiny'), '--json'], { out: (s) => (out += s), err: () => undefined });
    expect(code).toBe(0);
    const r = JSON.parse(out) as { dataset: string; queries: number; ndcg10: number; recall100: number; baseline: { name: string; ndcg10: number } };
    expect(r.dataset).toBe('tiny');
    expect(r.queries).toBe(3);
    expect(r.baseline.name).toBe('lancedb-fts');
    expect(r.ndcg10).toBeCloseTo(1, 5);
    expect(r.recall100).toBe(1);
    expect(r.baseline.ndcg10).toBeCloseTo(1, 5);
  });

  it('says which file is missing from a folder that is not BEIR', async () => {
    let err = '';
    const code = await runCli(['node', 'cairn', '--data', path.join(root, 'data'), 'eval', 'retrieval', root], { out: () => undefined, err: (s) => (err += s) });
    expect(code).toBe(1);
    expect(err).toContain('corpus.jsonl');
  });
});

describe('cairn eval retrieval on a set whose queries are documents too (ArguAna, Quora)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-beir-self-'));
    // The query "a1" is also the corpus document "a1", which any retriever finds first; its judged answer is "a2".
    const argument = 'Fishing quotas protect the cod stocks of the northern banks from collapse.';
    await writeBeirSet(
      path.join(root, 'self'),
      [...docs, ['a1', '', argument], ['a2', '', 'Quotas on the northern banks failed: cod stocks collapsed while fishing went on.']],
      [['a1', argument, 'a2']],
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("leaves the query's own document out of both rankings, as BEIR's evaluation does", async () => {
    let out = '';
    const code = await runCli(['node', 'cairn', '--data', path.join(root, 'data'), 'eval', 'retrieval', path.join(root, 'self'), '--json'], { out: (s) => (out += s), err: () => undefined });
    expect(code).toBe(0);
    const r = JSON.parse(out) as { queries: number; ndcg10: number; mrr10: number; baseline: { ndcg10: number; mrr10: number } };
    expect(r.queries).toBe(1);
    // Counted, the query's own document would sit first and the answer second (MRR 0.5).
    expect(r.mrr10).toBe(1);
    expect(r.baseline.mrr10).toBe(1);
  });
});

describe('loadBeir qrels split', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-beir-split-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a set published with only dev.tsv, and names what is missing otherwise', async () => {
    const dir = path.join(root, 'dev-only');
    await writeBeirSet(dir, docs, queries);
    await rename(path.join(dir, 'qrels', 'test.tsv'), path.join(dir, 'qrels', 'dev.tsv'));
    expect((await loadBeir(dir)).qrels.size).toBe(3);
    await writeFile(path.join(dir, 'qrels', 'train.tsv'), 'query-id\tcorpus-id\tscore\nq9\td1\t1\n');
    expect((await loadBeir(dir)).qrels.size).toBe(3);
    await rm(path.join(dir, 'qrels'), { recursive: true });
    await expect(loadBeir(dir)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no qrels \.tsv file/) });
  });
});
