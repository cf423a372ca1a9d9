/**
 * Reciprocal rank fusion (Cormack et al., 2009): combines ranked lists by
 * rank alone, so full-text scores and cosine similarities need no calibration.
 */
export const RRF_K = 60;

export interface RankedList<T> {
  items: readonly T[];
  weight: number;
}

export function reciprocalRankFusion<T>(lists: readonly RankedList<T>[], key: (item: T) => string): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const { items, weight } of lists) {
    items.forEach((item, rank) => {
      const id = key(item);
      const add = weight / (RRF_K + rank + 1);
      const cur = fused.get(id);
      if (cur) cur.score += add;
      else fused.set(id, { item, score: add });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
