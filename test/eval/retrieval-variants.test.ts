import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBeirSet } from './beir-fixture.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { evalRetrievalVariants } from '../../main/eval/retrieval-variants.js';

const docs: [string, string, string][] = [
  ['d1', 'Harbour traffic', 'The tanker Blue Heron docked at Port Sarn after a storm delayed it for two days.'],
  ['d2', 'Grain exports', 'Wheat and barley exports rose sharply in the third quarter across the region.'],
  ['d3', 'Air patrols', 'Maritime patrol aircraft flew daily sorties over the northern shipping lanes.'],
];
const queries: [string, string, string][] = [
  ['q1', 'Which tanker docked at Port Sarn?', 'd1'],
  ['q2', 'barley exports', 'd2'],
];

describe('retrieval variants on one index', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-variants-'));
    await writeBeirSet(path.join(root, 'tiny'), docs, queries);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('scores each setting against the same baseline and reports time relative to the first', async () => {
    const seen: string[] = [];
    const r = await evalRetrievalVariants(
      path.join(root, 'tiny'),
      new HashedEmbedder(64),
      [
        { name: 'reference', search: { prf: false } },
        // Searching only by vectors with k=1 on a 3-document corpus: a setting that must score differently.
        { name: 'vectors only', search: { fusion: 'rrf', textWeight: 0, k: 1, candidates: 1 } },
      ],
      (v) => seen.push(v.name),
    );
    expect(seen).toEqual(['reference', 'vectors only']);
    expect(r.queries).toBe(2);
    expect(r.baseline.ndcg10).toBeCloseTo(1, 5);
    const [ref, vec] = r.variants;
    expect(ref?.ndcg10).toBeCloseTo(1, 5);
    expect(ref?.delta).toBeCloseTo(0, 5);
    expect(ref?.timeRatio).toBe(1);
    expect(vec?.recall100).toBeLessThanOrEqual(1);
    expect(vec?.timeRatio).toBeGreaterThan(0);
  });
});
