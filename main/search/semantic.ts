import type { ScoredChunk } from '../core/types.js';
import { cosine, type TermVectors } from '../embed/cooccurrence.js';

/** Passage vectors are reused across queries; bounded so a long session stays flat. */
const CACHE_LIMIT = 50_000;
const cache = new WeakMap<TermVectors, Map<string, Float32Array | null>>();

function passageVector(model: TermVectors, hit: ScoredChunk): Float32Array | null {
  let m = cache.get(model);
  if (!m) cache.set(model, (m = new Map()));
  const got = m.get(hit.id);
  if (got !== undefined) return got;
  const v = model.embed(hit.text);
  if (m.size >= CACHE_LIMIT) m.delete(m.keys().next().value as string);
  m.set(hit.id, v);
  return v;
}

/**
 * Re-orders full-text hits by their full-text score (normalised by the best)
 * plus `weight` x the cosine between the query and the passage in the
 * corpus-trained word space: a passage about the query's topic in other
 * words moves up. Hits without known words keep their full-text score.
 */
export function semanticRerank(query: string, hits: readonly ScoredChunk[], model: TermVectors, weight: number): ScoredChunk[] {
  const q = model.embed(query);
  if (!q || hits.length === 0 || weight <= 0) return [...hits];
  const max = Math.max(...hits.map((h) => h.score)) || 1;
  return hits
    .map((h) => {
      const v = passageVector(model, h);
      return { ...h, score: h.score / max + (v ? weight * cosine(q, v) : 0) };
    })
    .sort((a, b) => b.score - a.score);
}
