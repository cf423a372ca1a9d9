/**
 * Tokenisation shared by the built-in embedder and the extractive composer:
 * Unicode-aware (letters and numbers of any script), lower-cased, NFKC;
 * Chinese, Japanese and Korean runs as character bigrams.
 */

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu;

/**
 * A run of Chinese, Japanese or Korean script (with the kana length mark and
 * the ideographic iteration mark). These languages do not put spaces between
 * words, so a run is a phrase or a sentence, not a word.
 */
export const CJK_RUN = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u30FC\u3005]+/u;
const CJK_RUNS = new RegExp(CJK_RUN.source, 'gu');

/**
 * Overlapping character bigrams of a CJK run; a one-character run stays
 * itself. Without a dictionary this is the standard way to index these
 * scripts (Lucene's CJKBigramFilter): most words are one or two characters,
 * and a longer word matches as its sequence of bigrams.
 */
export function cjkBigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length <= 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

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
  const norm = text.normalize('NFKC').toLowerCase();
  // Most text has no CJK at all: one test for the whole text, not one per word.
  const cjk = CJK_RUN.test(norm);
  for (const m of norm.matchAll(WORD)) {
    const word = m[0];
    if (!cjk || !CJK_RUN.test(word)) {
      out.push(word.replace(/['’_-]+$/u, ''));
      continue;
    }
    // CJK inside a "word" (a run, or mixed like "gps定位"): bigrams for the run, the rest as words.
    let last = 0;
    for (const r of word.matchAll(CJK_RUNS)) {
      pushWords(word.slice(last, r.index), out);
      out.push(...cjkBigrams(r[0]));
      last = r.index + r[0].length;
    }
    pushWords(word.slice(last), out);
  }
  return out;
}

function pushWords(part: string, out: string[]): void {
  for (const m of part.matchAll(WORD)) {
    const w = m[0].replace(/['’_-]+$/u, '');
    if (w) out.push(w);
  }
}

/** Words minus stopwords: the terms that say what a text is about. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length > 0 && !STOPWORDS.has(w));
}
