/**
 * Ways to merge ranked lists from different retrievers.
 *
 * Reciprocal rank fusion (Cormack et al., 2009) uses ranks only. Convex
 * combination of min-max normalised scores keeps how far ahead a hit is,
 * which matters when one retriever is much stronger than the other (BM25
 * against the weight-free hashed vectors): measured in `npm run eval`.
 */
export const RRF_K = 60;

export interface RankedList<T> {
  items: readonly T[];
  weight: number;
}

export interface ScoredList<T> {
  items: readonly T[];
  /** Larger is better. */
  scores: readonly number[];
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

/** Weighted sum of per-list min-max normalised scores; an item missing from a list gets 0 there. */
export function convexFusion<T>(lists: readonly ScoredList<T>[], key: (item: T) => string): { item: T; score: number }[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const { items, scores, weight } of lists) {
    if (items.length === 0 || weight === 0) continue;
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    const span = max - min;
    items.forEach((item, i) => {
      const id = key(item);
      // A one-item list (or all equal) normalises to 1: it is that list's best.
      const norm = span > 0 ? ((scores[i] ?? min) - min) / span : 1;
      const cur = fused.get(id);
      if (cur) cur.score += weight * norm;
      else fused.set(id, { item, score: weight * norm });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
