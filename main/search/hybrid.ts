import type { ScoredChunk } from '../core/types.js';
import type { TermVectors } from '../embed/cooccurrence.js';
import type { Embedder } from '../embed/embedder.js';
import type { Store, Visibility } from '../store/store.js';
import { convexFusion, reciprocalRankFusion } from './fusion.js';
import { distanceToBoxKm, placeTimeWhere, type PlaceTimeFilter } from './place-time.js';
import { withDocumentEvidence } from './document-evidence.js';
import { type PrfOptions, rm3Query } from './prf.js';
import { proximityRerank } from './proximity.js';
import { semanticRerank } from './semantic.js';

export interface SearchOptions {
  /** Results returned. */
  k?: number;
  /** Candidates drawn from each retriever before fusion. */
  candidates?: number;
  /** Weights of the full-text and vector lists in fusion (0 turns a list off). */
  textWeight?: number;
  vectorWeight?: number;
  /**
   * How the two lists merge. 'fallback' (default): full-text order, with
   * vector hits filling in when full text finds fewer than k passages.
   * 'rrf': reciprocal rank fusion. 'convex': weighted min-max scores.
   * The default is the one that measured best in `npm run eval` (README).
   */
  fusion?: Fusion;
  /** Weight of the term-proximity re-ranking of full-text hits (0 turns it off). */
  proximity?: number;
  /** Weight of each hit's whole-document BM25 beside its passage's (main/search/document-evidence.ts; 0 turns it off). */
  documentWeight?: number;
  /** RM3 pseudo-relevance feedback on the full-text pass (false turns it off). */
  prf?: PrfOptions | false;
  /** Word vectors trained on this corpus (main/embed/cooccurrence.ts); absent: not used. */
  termVectors?: TermVectors | null;
  /** Weight of their cosine in re-ranking full-text hits (0 turns it off). */
  semanticWeight?: number;
  /** Markings the reader may see (null: all); filtered inside the store query. */
  visible?: Visibility;
  /** Place, time and kind limits, applied in the store query before ranking. */
  filter?: PlaceTimeFilter;
}

export type Fusion = 'fallback' | 'rrf' | 'convex';

/** Documents scored per search at least: the passage candidates' documents are nearly always among them. */
const DOCUMENT_CANDIDATES = 100;

export interface SearchHit extends ScoredChunk {
  /** Fused RRF score (the `score` field keeps it too). */
  fused: number;
  textRank: number | null;
  vectorRank: number | null;
}

export const SEARCH_DEFAULTS = { k: 10, candidates: 50, textWeight: 1.0, vectorWeight: 0.2, fusion: 'fallback' as Fusion, proximity: 0.1, documentWeight: 1, prf: false as PrfOptions | false, semanticWeight: 0.2 };

/** A trained model's neighbours are worth fusing with full text; the hashed ones only fill in (see fallbackFusion). */
export function defaultFusion(embedder: Pick<Embedder, 'trained'>): Fusion {
  return embedder.trained ? 'rrf' : SEARCH_DEFAULTS.fusion;
}

/**
 * Hybrid retrieval: LanceDB full-text (BM25; optionally RM3-expanded), its
 * hits re-ranked by their whole document's BM25, by term proximity and by the corpus-trained word vectors
 * when given, and vector nearest neighbours, merged as `fusion` says. With the default fallback fusion the vector
 * search runs only when full text found fewer than k passages.
 */
export async function hybridSearch(store: Store, embedder: Embedder, query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
  const k = opts.k ?? SEARCH_DEFAULTS.k;
  const candidates = Math.max(opts.candidates ?? SEARCH_DEFAULTS.candidates, k);
  const textWeight = opts.textWeight ?? SEARCH_DEFAULTS.textWeight;
  const vectorWeight = opts.vectorWeight ?? SEARCH_DEFAULTS.vectorWeight;
  const fusion = opts.fusion ?? defaultFusion(embedder);
  const visible = opts.visible ?? null;
  const f = opts.filter;
  const clauses = [f ? placeTimeWhere(f) : null, f?.kinds?.length ? await store.kindWhere(f.kinds) : null, f?.sourceIds ? store.sourceWhere(f.sourceIds) : null].filter((x): x is string => x !== null);
  const where = clauses.length ? clauses.map((c) => `(${c})`).join(' AND ') : null;
  // The store filters on the box around the circle; this keeps what is really within the radius.
  const inRange = (c: ScoredChunk): boolean => !f?.near || (c.geo != null && distanceToBoxKm(f.near, c.geo) <= f.near.radiusKm);
  const vectorSearch = async (): Promise<ScoredChunk[]> => {
    const [vector] = await embedder.embed([query]);
    return vector ? (await store.nearest(vector, candidates, visible, where)).filter(inRange) : [];
  };
  const proximity = opts.proximity ?? SEARCH_DEFAULTS.proximity;
  const prf = opts.prf ?? SEARCH_DEFAULTS.prf;
  const documentWeight = opts.documentWeight ?? SEARCH_DEFAULTS.documentWeight;
  const textSearch = async (): Promise<ScoredChunk[]> => {
    // The store analyses the query as its index was analysed (main/search/analyse.ts).
    // The best documents for the query, fetched beside the passages (independent of them, so in parallel).
    const [passages, documentScores] = await Promise.all([
      store.fullText(query, candidates, visible, where),
      documentWeight > 0 ? store.documentScores(query, Math.max(DOCUMENT_CANDIDATES, 2 * candidates), visible) : null,
    ]);
    let hits = passages.filter(inRange);
    if (prf) {
      // The feedback passages are the first pass's best, proximity included.
      const first = proximity > 0 ? proximityRerank(query, hits, proximity) : hits;
      const expanded = rm3Query(query, first, prf);
      if (expanded) hits = (await store.fullText(expanded, candidates, visible, where)).filter(inRange);
    }
    if (documentScores) hits = withDocumentEvidence(hits, documentScores, documentWeight);
    if (proximity > 0) hits = proximityRerank(query, hits, proximity);
    const semanticWeight = opts.semanticWeight ?? SEARCH_DEFAULTS.semanticWeight;
    return opts.termVectors && semanticWeight > 0 ? semanticRerank(query, hits, opts.termVectors, semanticWeight) : hits;
  };
  let text: ScoredChunk[];
  let near: ScoredChunk[];
  if (fusion === 'fallback') {
    text = await textSearch();
    near = text.length >= k ? [] : await vectorSearch();
  } else {
    [text, near] = await Promise.all([textSearch(), vectorSearch()]);
  }
  const textRank = new Map(text.map((c, i) => [c.id, i + 1]));
  const vectorRank = new Map(near.map((c, i) => [c.id, i + 1]));
  const fused =
    fusion === 'fallback'
      ? fallbackFusion(text, near, k)
      : fusion === 'rrf'
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

/**
 * Full-text order first; vector neighbours only fill the list up to k. On the
 * BEIR sets the weight-free hashed vectors never improved BM25's order at any
 * fusion weight, but they still find passages full text cannot match at all
 * (misspellings, word fragments, other word forms).
 */
function fallbackFusion(text: readonly ScoredChunk[], near: readonly ScoredChunk[], k: number): { item: ScoredChunk; score: number }[] {
  const out = text.map((item, i) => ({ item, score: 1 / (1 + i) }));
  if (out.length >= k) return out;
  const seen = new Set(text.map((c) => c.id));
  for (const item of near) {
    if (out.length >= k) break;
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    // Below every full-text hit, in vector order.
    out.push({ item, score: item.score / (2 + text.length) });
  }
  return out;
}
