/**
 * Tokenisation shared by the built-in embedder and the extractive composer:
 * Unicode-aware (letters and numbers of any script), lower-cased, NFKC.
 */

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu;

// A short English stop list: function words carry no topical signal and would
// dominate hashed vectors and sentence overlap scores.
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her ' +
    'here hers him his how i if in into is it its itself just me more most my no nor not of off on once only ' +
    'or other our ours out over own same she should so some such than that the their theirs them then there ' +
    'these they this those through to too under until up very was we were what when where which while who ' +
    'whom why will with would you your yours about above after again against all am any because before below ' +
    'between both down during each few further s t don now'
  ).split(' '),
);

export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    out.push(m[0].replace(/['’_-]+$/u, ''));
  }
  return out;
}

/** Words minus stopwords: the terms that say what a text is about. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length > 0 && !STOPWORDS.has(w));
}
