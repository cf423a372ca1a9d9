import type { ScoredChunk } from '../core/types.js';
import type { Embedder } from '../embed/embedder.js';
import type { Store } from '../store/store.js';
import { convexFusion, reciprocalRankFusion } from './fusion.js';

export interface SearchOptions {
  /** Results returned. */
  k?: number;
  /** Candidates drawn from each retriever before fusion. */
  candidates?: number;
  /** Weights of the full-text and vector lists in fusion (0 turns a list off). */
  textWeight?: number;
  vectorWeight?: number;
  fusion?: 'rrf' | 'convex';
}

export interface SearchHit extends ScoredChunk {
  /** Fused RRF score (the `score` field keeps it too). */
  fused: number;
  textRank: number | null;
  vectorRank: number | null;
}

export const SEARCH_DEFAULTS = { k: 10, candidates: 50, textWeight: 1.0, vectorWeight: 1.0, fusion: 'rrf' } as const;

/**
 * Hybrid retrieval: LanceDB full-text (BM25) and vector nearest neighbours,
 * fused by reciprocal rank.
 */
export async function hybridSearch(store: Store, embedder: Embedder, query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const k = opts.k ?? SEARCH_DEFAULTS.k;
  const candidates = Math.max(opts.candidates ?? SEARCH_DEFAULTS.candidates, k);
  const textWeight = opts.textWeight ?? SEARCH_DEFAULTS.textWeight;
  const vectorWeight = opts.vectorWeight ?? SEARCH_DEFAULTS.vectorWeight;
  const [vector] = await embedder.embed([query]);
  const [text, near] = await Promise.all([
    store.fullText(query, candidates),
    vector ? store.nearest(vector, candidates) : Promise.resolve([]),
  ]);
  const textRank = new Map(text.map((c, i) => [c.id, i + 1]));
  const vectorRank = new Map(near.map((c, i) => [c.id, i + 1]));
  const fusion = opts.fusion ?? SEARCH_DEFAULTS.fusion;
  const fused =
    fusion === 'rrf'
      ? reciprocalRankFusion([{ items: text, weight: textWeight }, { items: near, weight: vectorWeight }], (c) => c.id)
      : convexFusion(
          [
            { items: text, scores: text.map((c) => c.score), weight: textWeight },
            { items: near, scores: near.map((c) => c.score), weight: vectorWeight },
          ],
          (c) => c.id,
        );
  return fused
    .slice(0, k)
    .map(({ item, score }) => ({
      ...item,
      score,
      fused: score,
      textRank: textRank.get(item.id) ?? null,
      vectorRank: vectorRank.get(item.id) ?? null,
    }));
}
