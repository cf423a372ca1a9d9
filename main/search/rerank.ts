/**
 * Second-stage re-ranking: a cross-encoder reads the question with each of
 * the first `depth` candidates and re-orders them by its score. Candidates
 * past the depth keep their place below the re-ranked ones: reading every
 * pair would cost a model call per passage in the store's answer.
 */
export interface Reranker {
  readonly id: string;
  /** One score per passage, input order, higher is more relevant. */
  rank(query: string, passages: readonly string[]): Promise<number[]>;
}

export const RERANK_DEFAULT_DEPTH = 20;

export async function rerankHits<T extends { text: string }>(query: string, hits: readonly T[], reranker: Reranker, depth = RERANK_DEFAULT_DEPTH): Promise<(T & { rerankScore?: number })[]> {
  const head = hits.slice(0, depth);
  if (head.length < 2) return [...hits];
  const scores = await reranker.rank(query, head.map((h) => h.text));
  const reordered = head
    .map((hit, i) => ({ hit, score: scores[i] ?? Number.NEGATIVE_INFINITY, i }))
    // Ties keep first-stage order, so a flat scorer changes nothing.
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ hit, score }) => ({ ...hit, rerankScore: score }));
  return [...reordered, ...hits.slice(depth)];
}
