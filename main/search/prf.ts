import { stemmer } from 'stemmer';
import { contentWords } from '../embed/tokens.js';

/**
 * Pseudo-relevance feedback, RM3 (Abdul-Jaleel et al., 2004; Anserini's
 * defaults): the first `docs` passages are taken as relevant, terms are
 * weighted by sum over passages of p(passage | query) x p(term | passage),
 * the best `terms` become the expansion, and the new query is
 * `originalWeight` x the original terms + (1 - originalWeight) x the
 * expansion. Words the analyst's own corpus uses beside the query's words
 * then find passages that share no word with the question.
 */
export interface PrfOptions {
  docs: number;
  terms: number;
  originalWeight: number;
  /**
   * Only queries with at most this many content words are expanded: a short
   * query under-specifies its topic, a long one (a whole claim or paragraph)
   * already says it, and expansion then drifts (absent: no limit).
   */
  maxQueryTerms?: number;
}

export const PRF_DEFAULTS: PrfOptions = { docs: 10, terms: 10, originalWeight: 0.5 };

export interface WeightedText {
  /** A bag of words, tokenised by the full-text index like any query. */
  text: string;
  boost: number;
}

/** Folds word forms together so "vessel" and "vessels" count as one term. */
function stemOf(word: string): string {
  return /^[a-z]+$/.test(word) ? stemmer(word) : word;
}

/** Numbers, one-letter tokens and very long tokens say little about a topic and match noise. */
function usable(word: string): boolean {
  return word.length >= 2 && word.length <= 30 && !/^\p{N}+$/u.test(word);
}

/**
 * Expansion terms from feedback passages, best first; weights sum to 1. A
 * term is reported in the surface form its passages used most, since the
 * index applies its own stemming to whatever it is given.
 */
export function expansionTerms(feedback: readonly { text: string; score: number }[], terms: number): { term: string; weight: number }[] {
  if (feedback.length === 0 || terms <= 0) return [];
  // p(d|q): the first-pass scores, shifted to be positive and normalised.
  const min = Math.min(...feedback.map((d) => d.score));
  const raw = feedback.map((d) => d.score - min + 1e-6);
  const total = raw.reduce((a, b) => a + b, 0);
  const weight = new Map<string, number>();
  const forms = new Map<string, Map<string, number>>();
  feedback.forEach((d, i) => {
    const words = contentWords(d.text).filter(usable);
    if (words.length === 0) return;
    const pd = (raw[i] ?? 0) / total;
    const tf = new Map<string, number>();
    for (const w of words) {
      const s = stemOf(w);
      tf.set(s, (tf.get(s) ?? 0) + 1);
      let f = forms.get(s);
      if (!f) forms.set(s, (f = new Map()));
      f.set(w, (f.get(w) ?? 0) + 1);
    }
    for (const [s, n] of tf) weight.set(s, (weight.get(s) ?? 0) + (pd * n) / words.length);
  });
  const best = [...weight].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, terms);
  const sum = best.reduce((a, [, w]) => a + w, 0) || 1;
  return best.map(([s, w]) => {
    const surface = [...(forms.get(s) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? s;
    return { term: surface, weight: w / sum };
  });
}

/**
 * The RM3 query as weighted parts for the full-text index: the original
 * query with each of its terms at originalWeight / |q|, then each expansion
 * term at (1 - originalWeight) x its weight. Null when there is nothing to add.
 */
export function rm3Query(query: string, feedback: readonly { text: string; score: number }[], opts: PrfOptions = PRF_DEFAULTS): WeightedText[] | null {
  const q = contentWords(query).filter(usable);
  if (opts.maxQueryTerms !== undefined && q.length > opts.maxQueryTerms) return null;
  const expansion = expansionTerms(feedback.slice(0, opts.docs), opts.terms);
  if (q.length === 0 || expansion.length === 0) return null;
  return [
    { text: query, boost: opts.originalWeight / q.length },
    ...expansion.map(({ term, weight }) => ({ text: term, boost: (1 - opts.originalWeight) * weight })),
  ];
}
