import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, RRF_K } from '../../main/search/fusion.js';

describe('reciprocalRankFusion', () => {
  it('rewards items ranked well by both lists', () => {
    const fused = reciprocalRankFusion(
      [
        { items: ['a', 'b', 'c'], weight: 1 },
        { items: ['b', 'd', 'e'], weight: 1 },
      ],
      (x) => x,
    );
    expect(fused[0]!.item).toBe('b');
    expect(fused.map((f) => f.item).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 1));
  });

  it('applies list weights', () => {
    const fused = reciprocalRankFusion(
      [
        { items: ['a'], weight: 2 },
        { items: ['b'], weight: 1 },
      ],
      (x) => x,
    );
    expect(fused.map((f) => f.item)).toEqual(['a', 'b']);
  });
});
