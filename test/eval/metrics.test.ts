import { describe, expect, it } from 'vitest';
import { mrrAt, ndcgAt, recallAt } from '../../main/eval/metrics.js';
import { f1Score, normalizeAnswer } from '../../main/eval/squad.js';

describe('IR metrics (trec_eval definitions)', () => {
  const qrels = new Map([
    ['d1', 2],
    ['d2', 1],
    ['d9', 0],
  ]);

  it('nDCG@k with graded gains (2^rel - 1, as the shared baselines were scored)', () => {
    expect(ndcgAt(['d1', 'd2'], qrels, 10)).toBeCloseTo(1, 10);
    // d2 first, d1 second: (1 + 3/log2(3)) / (3 + 1/log2(3))
    expect(ndcgAt(['d2', 'd1'], qrels, 10)).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 10);
    expect(ndcgAt(['x', 'y'], qrels, 10)).toBe(0);
    expect(ndcgAt(['x', 'd1'], qrels, 1)).toBe(0);
  });

  it('recall@k and MRR@k ignore zero-graded judgements', () => {
    expect(recallAt(['d9', 'd2'], qrels, 100)).toBe(0.5);
    expect(mrrAt(['d9', 'x', 'd2'], qrels, 10)).toBeCloseTo(1 / 3);
  });
});

describe('SQuAD v1.1 scoring', () => {
  it('normalises like the official script', () => {
    expect(normalizeAnswer('The  Denver Broncos!')).toBe('denver broncos');
  });
  it('token F1', () => {
    expect(f1Score('Denver Broncos won', 'the Denver Broncos')).toBeCloseTo(0.8);
    expect(f1Score('Carolina', 'Denver')).toBe(0);
  });
});
