import { stemmer } from 'stemmer';
import { arabicLightStem } from '../embed/arabic.js';
import { contentWords, STOPWORDS } from '../embed/tokens.js';

/**
 * Content terms for matching a question against sentences: stop words out,
 * English Porter stems so "arrived" matches "arrival" and "vessels" "vessel";
 * Arabic normalised and lightly stemmed so "النفط" matches "نفط".
 */
export function stemmedTerms(text: string): string[] {
  return contentWords(text).map(stemTerm);
}

/** One content word as a term: Porter for plain Latin words, Arabic light stemming, anything else as it is. */
function stemTerm(word: string): string {
  return /^[a-z]+$/.test(word) ? stemmer(word) : arabicLightStem(word);
}

/** Hyphens, underscores and apostrophes inside a word ("high-pressure", "Newton's"). */
const JOINED = /['’_-]+/u;

/**
 * The terms the answer composer, the citation check and follow-up questions
 * match a question against sentences with: stemmedTerms, with words joined
 * by hyphens or apostrophes taken apart first, so "high pressure" in a
 * question meets "high-pressure" in the passage and "Newton" meets
 * "Newton's" (other languages' terms, language.ts, always split them). Parts
 * that are stop words or single letters ("'s", "U-") are dropped.
 * On the SQuAD sample (cairn eval answers): answer in a cited quote 0.86 ->
 * 0.88, "no evidence" 0.09 -> 0.07; hyphens alone 0.87.
 * Search (proximity, corpus word vectors) keeps stemmedTerms: split there
 * too, scifact gained 0.005 but six of the Debian language sets lost
 * 0.002-0.007 (README, "Answer terms").
 */
export function answerTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of contentWords(text)) {
    const parts = JOINED.test(w) ? w.split(JOINED).filter((p) => (p.length > 1 || /\d/.test(p)) && !STOPWORDS.has(p)) : [w];
    out.push(...parts.map(stemTerm));
  }
  return out;
}
