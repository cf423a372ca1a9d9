import { sentenceSpans } from '../core/sentences.js';
import type { AnswerSentence, Citation, ScoredChunk } from '../core/types.js';
import { stemmedTerms } from './terms.js';

export const EXTRACTIVE_COMPOSER = { id: 'cairn-extractive', version: '1' } as const;

export interface ExtractiveOptions {
  /** Most sentences in an answer. */
  maxSentences?: number;
  /**
   * Least share of the question's (idf-weighted) terms the best sentence must
   * cover for the answer to count as found. Chosen from measurements: see
   * `npm run eval -- threshold` and the README.
   */
  minCoverage?: number;
  /** Chunks (best first) considered. */
  maxChunks?: number;
}

export const EXTRACTIVE_DEFAULTS = { maxSentences: 3, minCoverage: 0.45, maxChunks: 8 } as const;

/** Longest span quoted as one sentence. */
const MAX_QUOTE = 800;

export interface ScoredSentence {
  text: string;
  citation: Citation;
  coverage: number;
  score: number;
}

export interface ExtractiveResult {
  sentences: AnswerSentence[];
  /** Best coverage seen, recorded in the audit so thresholds can be re-derived. */
  bestCoverage: number;
  found: boolean;
}

/** Collapses whitespace for display; the citation keeps the exact page text. */
function display(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Extractive, cited answering: every word of the answer is a sentence copied
 * from a retrieved passage, cited to its page and character range. Sentences
 * are scored by the share of the question's terms they contain, each term
 * weighted by its rarity among the candidate sentences (so "vessel" in a
 * shipping corpus counts less than "Aurora"), plus a small bonus for
 * passages retrieval ranked higher.
 */
export function composeExtractive(question: string, chunks: readonly ScoredChunk[], opts: ExtractiveOptions = {}): ExtractiveResult {
  const maxSentences = opts.maxSentences ?? EXTRACTIVE_DEFAULTS.maxSentences;
  const minCoverage = opts.minCoverage ?? EXTRACTIVE_DEFAULTS.minCoverage;
  const pool = chunks.slice(0, opts.maxChunks ?? EXTRACTIVE_DEFAULTS.maxChunks);
  const qTerms = [...new Set(stemmedTerms(question))];
  if (qTerms.length === 0 || pool.length === 0) return { sentences: [], bestCoverage: 0, found: false };

  const candidates: { text: string; terms: Set<string>; chunk: ScoredChunk; rank: number; start: number; end: number }[] = [];
  const seenText = new Set<string>();
  pool.forEach((chunk, rank) => {
    for (const s of sentenceSpans(chunk.text)) {
      // Runs of table cells or extraction debris are not sentences: too long to quote.
      if (s.text.length > MAX_QUOTE) continue;
      const key = display(s.text).toLowerCase();
      // Overlapping chunks repeat sentences; cite each sentence once.
      if (seenText.has(key)) continue;
      seenText.add(key);
      candidates.push({ text: s.text, terms: new Set(stemmedTerms(s.text)), chunk, rank, start: chunk.start + s.start, end: chunk.start + s.end });
    }
  });
  const n = candidates.length;
  const idf = new Map(qTerms.map((t) => [t, Math.log(1 + (n + 1) / (1 + candidates.filter((c) => c.terms.has(t)).length))]));
  const total = [...idf.values()].reduce((a, b) => a + b, 0);

  const scored: ScoredSentence[] = candidates.map((c) => {
    let hit = 0;
    for (const t of qTerms) if (c.terms.has(t)) hit += idf.get(t) ?? 0;
    const coverage = total > 0 ? hit / total : 0;
    // Very long "sentences" (tables, run-on extractions) are poor answers.
    const lengthPenalty = c.text.length > 400 ? 0.75 : 1;
    return {
      text: display(c.text),
      coverage,
      score: (coverage + 0.1 / (1 + c.rank)) * lengthPenalty,
      citation: {
        sourceId: c.chunk.sourceId,
        chunkId: c.chunk.id,
        title: c.chunk.title,
        page: c.chunk.page,
        start: c.start,
        end: c.end,
        quote: c.text,
        ...(c.chunk.locator ? { locator: c.chunk.locator } : {}),
      },
    };
  });
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  const bestCoverage = scored.reduce((m, s) => Math.max(m, s.coverage), 0);
  if (!best || bestCoverage < minCoverage) return { sentences: [], bestCoverage, found: false };

  // Keep supporting sentences that are nearly as good as the best one.
  const chosen = scored.filter((s) => s.coverage >= minCoverage && s.score >= best.score * 0.6).slice(0, maxSentences);
  return {
    sentences: chosen.map((s) => ({ text: s.text, citations: [s.citation] })),
    bestCoverage,
    found: true,
  };
}
