import { stemmedTerms } from '../agent/terms.js';
import type { ScoredChunk } from '../core/types.js';

/**
 * Term-proximity re-ranking in the spirit of the sequential dependence model
 * (Metzler & Croft, 2005): passages where the query's adjacent terms occur
 * close together are more likely about the query than passages that merely
 * contain the words apart. Score = BM25 (normalised by the best) + weight x
 * the share of query term pairs found within `window` terms of each other.
 */
export function proximityRerank(query: string, hits: readonly ScoredChunk[], weight: number, window = 8): ScoredChunk[] {
  const q = stemmedTerms(query);
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < q.length; i++) if (q[i] !== q[i + 1]) pairs.push([q[i]!, q[i + 1]!]);
  if (pairs.length === 0 || hits.length === 0 || weight <= 0) return [...hits];
  const max = Math.max(...hits.map((h) => h.score)) || 1;
  return hits
    .map((h) => {
      const terms = stemmedTerms(h.text);
      const where = new Map<string, number[]>();
      terms.forEach((t, i) => {
        const list = where.get(t);
        if (list) list.push(i);
        else where.set(t, [i]);
      });
      let near = 0;
      for (const [a, b] of pairs) {
        const pa = where.get(a);
        const pb = where.get(b);
        if (pa && pb && pa.some((i) => pb.some((j) => Math.abs(i - j) <= window))) near++;
      }
      return { ...h, score: h.score / max + (weight * near) / pairs.length };
    })
    .sort((x, y) => y.score - x.score);
}
