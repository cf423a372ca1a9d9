import type { ScoredChunk } from '../core/types.js';

/**
 * Adds to each full-text hit `weight` x its document's score: whole-document
 * BM25 (`documents`, by source) normalised by the best among the hits'
 * documents, beside the passage's own score normalised by the best passage.
 * `documents` holds the best-matching documents (Store.documentScores); a
 * hit's source outside them adds nothing. A store of one-passage sources
 * keeps its passage order (both scores are the same).
 *
 * Why: a passage is ~1,000 characters, and the question's words are often
 * spread over a document (the title in its first passage, the detail in the
 * third). Measured on scifact (README, retrieval): nDCG@10 0.6896 -> 0.6954
 * with the default re-ranking; msmarco-5k (one passage each) unchanged.
 */
export function withDocumentEvidence(hits: readonly ScoredChunk[], documents: ReadonlyMap<string, number>, weight: number): ScoredChunk[] {
  if (hits.length === 0 || weight <= 0) return [...hits];
  const maxPassage = Math.max(...hits.map((h) => h.score)) || 1;
  let maxDocument = 0;
  for (const h of hits) maxDocument = Math.max(maxDocument, documents.get(h.sourceId) ?? 0);
  return hits
    .map((h) => {
      const passage = h.score / maxPassage;
      // Not among the best documents: it adds nothing.
      const document = maxDocument === 0 ? passage : (documents.get(h.sourceId) ?? 0) / maxDocument;
      return { ...h, score: passage + weight * document };
    })
    .sort((a, b) => b.score - a.score);
}
