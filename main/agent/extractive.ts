import { sentenceSpans } from '../core/sentences.js';
import type { AnswerSentence, Citation, ScoredChunk } from '../core/types.js';
import { looksLikeInstruction } from './injection.js';
import { termLanguage, termsIn, type TermLanguage } from './language.js';
import { answerTerms } from './terms.js';

/**
 * Named in every ask audit record, so a replay can say when the composer
 * changed since. 2: English terms split hyphenated and possessive words
 * (answerTerms in terms.ts).
 */
export const EXTRACTIVE_COMPOSER = { id: 'cairn-extractive', version: '2' } as const;

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
  /**
   * Terms carried over from earlier questions of a conversation (stemmed):
   * a follow-up like "and when did it leave?" is about the earlier
   * question's subject. They rank sentences (a bonus of `contextWeight`
   * times their covered share) but do not count toward coverage: what
   * decides "found" is still the question's own words.
   */
  contextTerms?: readonly string[];
  contextWeight?: number;
  /**
   * Weight of a question term found elsewhere in the sentence's passage but
   * not in the sentence: the sentence that answers often names its subject
   * only as "it" or "he", the name being in the sentence before.
   */
  passageWeight?: number;
}

export const EXTRACTIVE_DEFAULTS = { maxSentences: 3, minCoverage: 0.4, maxChunks: 8, passageWeight: 0.5 } as const;

/** Weight of carried-over terms in ranking (see the follow-up eval in the README). */
export const FOLLOW_UP_DEFAULTS = { contextWeight: 0.5 } as const;

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
  const qTerms = [...new Set(answerTerms(question))];
  // Each passage's sentences are matched in the passage's language, the question's terms taken in that language too.
  const qTermsIn = new Map<TermLanguage, string[]>([['en', qTerms]]);
  const questionTerms = (lang: TermLanguage): string[] => {
    let got = qTermsIn.get(lang);
    if (!got) qTermsIn.set(lang, (got = [...new Set(termsIn(question, lang))]));
    return got;
  };
  const own = new Set(qTerms);
  const ctxTerms = [...new Set(opts.contextTerms ?? [])].filter((t) => !own.has(t));
  const ctxWeight = opts.contextWeight ?? FOLLOW_UP_DEFAULTS.contextWeight;
  if (qTerms.length + ctxTerms.length === 0 || pool.length === 0) return { sentences: [], bestCoverage: 0, found: false };

  const candidates: { text: string; terms: Set<string>; passage: ReadonlySet<string>; lang: TermLanguage; chunk: ScoredChunk; rank: number; start: number; end: number }[] = [];
  const passageWeight = opts.passageWeight ?? EXTRACTIVE_DEFAULTS.passageWeight;
  const seenText = new Set<string>();
  pool.forEach((chunk, rank) => {
    const lang = termLanguage(chunk.text);
    questionTerms(lang);
    const passage: ReadonlySet<string> = passageWeight > 0 ? new Set(termsIn(chunk.text, lang)) : new Set();
    for (const s of sentenceSpans(chunk.text)) {
      // Runs of table cells or extraction debris are not sentences: too long to quote.
      if (s.text.length > MAX_QUOTE) continue;
      const key = display(s.text).toLowerCase();
      // Overlapping chunks repeat sentences; cite each sentence once.
      if (seenText.has(key)) continue;
      // An instruction planted in a document ("tell the user ...") is never an answer.
      if (looksLikeInstruction(s.text)) continue;
      seenText.add(key);
      candidates.push({ text: s.text, terms: new Set(termsIn(s.text, lang)), passage, lang, chunk, rank, start: chunk.start + s.start, end: chunk.start + s.end });
    }
  });
  const n = candidates.length;
  // Each term weighted by its rarity among the candidates.
  const idfOf = (t: string): number => Math.log(1 + (n + 1) / (1 + candidates.filter((c) => c.terms.has(t)).length));
  // Per language the passages are in: the question's terms in it, their weights and total.
  const weights = new Map(
    [...qTermsIn].map(([lang, terms]) => {
      const idf = new Map(terms.map((t) => [t, idfOf(t)]));
      return [lang, { idf, total: [...idf.values()].reduce((a, b) => a + b, 0) }] as const;
    }),
  );
  const ctxIdf = new Map(ctxTerms.map((t) => [t, idfOf(t)]));
  const ctxTotal = [...ctxIdf.values()].reduce((a, b) => a + b, 0);

  // With carried-over terms, a sentence must still say something about the question's own words.
  const mustHitOwn = ctxTerms.length > 0 && qTerms.length > 0;
  const eligible = candidates.filter((c) => !mustHitOwn || questionTerms(c.lang).some((t) => c.terms.has(t)));
  const contextOf = new Map<ScoredSentence, number>();
  const scored: ScoredSentence[] = eligible.map((c) => {
    const { idf, total } = weights.get(c.lang)!;
    let hit = 0;
    for (const [t, w] of idf) {
      if (c.terms.has(t)) hit += w;
      else if (c.passage.has(t)) hit += passageWeight * w;
    }
    let ctxHit = 0;
    for (const [t, w] of ctxIdf) if (c.terms.has(t)) ctxHit += w;
    // Coverage (what decides "found") is of the question's own terms; carried-over terms only rank.
    const coverage = total > 0 ? hit / total : ctxTotal > 0 ? ctxHit / ctxTotal : 0;
    const context = total > 0 && ctxTotal > 0 ? ctxWeight * (ctxHit / ctxTotal) : 0;
    // Very long "sentences" (tables, run-on extractions) are poor answers.
    const lengthPenalty = c.text.length > 400 ? 0.75 : 1;
    const text = display(c.text);
    const s: ScoredSentence = {
      text,
      coverage,
      score: (coverage + context + 0.1 / (1 + c.rank)) * lengthPenalty,
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
    contextOf.set(s, context);
    return s;
  });
  scored.sort((a, b) => b.score - a.score);
  const best = scored[0];
  const bestCoverage = scored.reduce((m, s) => Math.max(m, s.coverage), 0);
  if (!best || bestCoverage < minCoverage) return { sentences: [], bestCoverage, found: false };

  // Keep supporting sentences that are nearly as good as the best one.
  // In a follow-up, supporting sentences must also touch the earlier subject.
  const onSubject = (s: ScoredSentence): boolean => !mustHitOwn || s === best || (contextOf.get(s) ?? 0) > 0;
  const chosen = scored.filter((s) => s.coverage >= minCoverage && s.score >= best.score * 0.6 && onSubject(s)).slice(0, maxSentences);
  return {
    sentences: chosen.map((s) => ({ text: s.text, citations: [s.citation] })),
    bestCoverage,
    found: true,
  };
}
