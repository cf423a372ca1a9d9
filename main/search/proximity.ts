import { stemmedTerms } from '../agent/terms.js';
import { BoundedMap } from '../core/bounded-map.js';
import type { ScoredChunk } from '../core/types.js';

/**
 * Stemmed terms of recently ranked passages, by chunk id: the same passages
 * come back as candidates for related queries, and stemming 50 passages of
 * 80 words was most of the re-ranking's cost. The text is kept beside them
 * and compared, so a reused id with other text (another store in the same
 * process) is never served stale terms. Bounded, and each distinct stem is
 * held once (interned), so 5,000 passages cost a few MB.
 */
const TERMS_CACHE_LIMIT = 5_000;
const termsCache = new BoundedMap<string, { text: string; terms: readonly string[] }>(TERMS_CACHE_LIMIT);
const INTERN_LIMIT = 100_000;
const stems = new Map<string, string>();

function intern(term: string): string {
  const got = stems.get(term);
  if (got !== undefined) return got;
  // Only memory is at stake: past the limit start over rather than track recency per term.
  if (stems.size >= INTERN_LIMIT) stems.clear();
  stems.set(term, term);
  return term;
}

function passageTerms(hit: ScoredChunk): readonly string[] {
  const got = termsCache.get(hit.id);
  if (got && got.text === hit.text) return got.terms;
  const terms = stemmedTerms(hit.text).map(intern);
  termsCache.set(hit.id, { text: hit.text, terms });
  return terms;
}

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
  // Only the query's terms' positions matter: the others are never looked up.
  const wanted = new Set(q);
  const max = Math.max(...hits.map((h) => h.score)) || 1;
  return hits
    .map((h) => {
      const where = new Map<string, number[]>();
      passageTerms(h).forEach((t, i) => {
        if (!wanted.has(t)) return;
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
