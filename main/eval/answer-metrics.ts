/**
 * Scoring one model's answers to a gold set. Every figure is about what the
 * model itself proposed, not what the guard let through: a sentence the
 * citation checker rejected counts against the model, and a fallback (the
 * model's output was unusable, the extractive answer was shown instead)
 * counts as one rejected proposal and never as a right answer or a right
 * abstention.
 */
import { normalizeAnswer } from './squad.js';
import type { GoldItem } from './gold.js';

/** What an answer looks like to the evaluation (a subset of the API's answer). */
export interface EvalAnswer {
  answer: string;
  sentences: { text: string; citations: { sourceId: string; chunkId: string; title: string; quote: string }[] }[];
  citations: { sourceId: string; chunkId: string; title: string; quote: string }[];
  banner: string;
  auditId: string;
  model?: string;
  status?: 'answered' | 'fallback' | 'cancelled';
  note?: string;
  unsupported?: { text: string; reason?: string }[];
}

/** One line of results.jsonl: one model on one question. */
export interface QuestionResult {
  model: string;
  itemId: string;
  question: string;
  status: string;
  auditId: string;
  banner: string;
  answer: string;
  sentences: { text: string; quotes: string[]; sourceIds: string[] }[];
  unsupported: { text: string; reason?: string }[];
  /** Sentences the model proposed (shown + rejected); 0 when it abstained. */
  proposed: number;
  supported: number;
  /** The model itself said the sources do not answer (no proposal, no failure). */
  abstained: boolean;
  /** Expected answer found in the cited quotes (null: the item has no expected answer). */
  answerInCitation: boolean | null;
  /** An expected source is cited (null: the item expects none). */
  expectedSourceCited: boolean | null;
  /** For a no-evidence item: the model abstained (null otherwise). */
  noEvidenceCorrect: boolean | null;
  latencyMs: number;
  /** Streamed tokens (token events); 0 for providers that do not generate. */
  tokens: number;
  note?: string;
  error?: string;
}

export function isNoEvidenceItem(item: GoldItem): boolean {
  return item.expectedSourceIds.length === 0 && item.expectedAnswer === null;
}

/** Scores one answer against its gold item. */
export function scoreAnswer(model: string, item: GoldItem, a: EvalAnswer, latencyMs: number, tokens: number): QuestionResult {
  const fallback = a.status === 'fallback' || a.status === 'cancelled';
  const unsupported = a.unsupported ?? [];
  const proposed = fallback ? 1 : a.sentences.length + unsupported.length;
  const supported = fallback ? 0 : a.sentences.length;
  const abstained = !fallback && proposed === 0;
  const quotes = normalizeAnswer(a.citations.map((c) => c.quote).join(' \n '));
  const cited = new Set(a.citations.map((c) => c.sourceId));
  const noEvidence = isNoEvidenceItem(item);
  return {
    model,
    itemId: item.id,
    question: item.question,
    status: a.status ?? 'answered',
    auditId: a.auditId,
    banner: a.banner,
    answer: a.answer,
    sentences: a.sentences.map((s) => ({ text: s.text, quotes: s.citations.map((c) => c.quote), sourceIds: s.citations.map((c) => c.sourceId) })),
    unsupported,
    proposed,
    supported,
    abstained,
    answerInCitation: item.expectedAnswer === null || noEvidence ? null : !fallback && normalizeAnswer(item.expectedAnswer) !== '' && quotes.includes(normalizeAnswer(item.expectedAnswer)),
    expectedSourceCited: item.expectedSourceIds.length === 0 ? null : !fallback && item.expectedSourceIds.some((id) => cited.has(id)),
    noEvidenceCorrect: noEvidence ? abstained : null,
    latencyMs,
    tokens,
    ...(a.note ? { note: a.note } : {}),
  };
}

export interface ModelSummary {
  model: string;
  questions: number;
  answerInCitationRate: number | null;
  expectedSourceRate: number | null;
  /** Supported / proposed sentences, by the agent's citation checker. */
  citationPrecision: number | null;
  unsupportedSentenceRate: number | null;
  noEvidenceCorrectness: number | null;
  fallbackRate: number;
  errors: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Streamed tokens per second of answering; null when the provider streams none. */
  tokensPerSecond: number | null;
  /** Mean of the quality rates that apply: what the ranking sorts on. */
  score: number;
}

function rate(xs: readonly (boolean | null)[]): number | null {
  const known = xs.filter((x): x is boolean => x !== null);
  return known.length === 0 ? null : known.filter(Boolean).length / known.length;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarise(model: string, results: readonly QuestionResult[]): ModelSummary {
  const proposed = results.reduce((s, r) => s + r.proposed, 0);
  const supported = results.reduce((s, r) => s + r.supported, 0);
  const tokens = results.reduce((s, r) => s + r.tokens, 0);
  const tokenMs = results.filter((r) => r.tokens > 0).reduce((s, r) => s + r.latencyMs, 0);
  const summary = {
    model,
    questions: results.length,
    answerInCitationRate: rate(results.map((r) => r.answerInCitation)),
    expectedSourceRate: rate(results.map((r) => r.expectedSourceCited)),
    citationPrecision: proposed === 0 ? null : supported / proposed,
    unsupportedSentenceRate: proposed === 0 ? null : (proposed - supported) / proposed,
    noEvidenceCorrectness: rate(results.map((r) => r.noEvidenceCorrect)),
    fallbackRate: results.length === 0 ? 0 : results.filter((r) => r.status !== 'answered').length / results.length,
    errors: results.filter((r) => r.error !== undefined).length,
    latencyP50Ms: percentile(results.map((r) => r.latencyMs), 50),
    latencyP95Ms: percentile(results.map((r) => r.latencyMs), 95),
    tokensPerSecond: tokens > 0 && tokenMs > 0 ? tokens / (tokenMs / 1000) : null,
  };
  const parts = [summary.answerInCitationRate, summary.expectedSourceRate, summary.citationPrecision, summary.noEvidenceCorrectness].filter((x): x is number => x !== null);
  return { ...summary, score: parts.length === 0 ? 0 : parts.reduce((a, b) => a + b, 0) / parts.length };
}

/** Best first; ties broken by fewer fallbacks, then lower p50 latency. */
export function rank(summaries: readonly ModelSummary[]): ModelSummary[] {
  return [...summaries].sort((a, b) => b.score - a.score || a.fallbackRate - b.fallbackRate || a.latencyP50Ms - b.latencyP50Ms);
}
