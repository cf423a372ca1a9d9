import { type SentenceSpan, sentenceSpans } from '../main/core/sentences.js';
import type { PageText } from '../main/core/types.js';

/** A chunk before it has an id or a vector. Always `text === page.text.slice(start, end)`. */
export interface ChunkDraft {
  /** 0-based position in the document, across pages. */
  ordinal: number;
  page: number;
  start: number;
  end: number;
  text: string;
}

export interface ChunkOptions {
  /** Largest chunk, in characters. Default 1000. */
  target?: number;
  /** Characters of whole trailing sentences repeated at the start of the next chunk. Default 150. */
  overlap?: number;
}

export type { SentenceSpan };

/**
 * Sentences with exact, trimmed offsets into `text`. One implementation for
 * the whole app (main/core/sentences.ts): chunk edges and the sentences the
 * answer composer quotes must agree.
 */
export const splitSentences: (text: string) => SentenceSpan[] = sentenceSpans;

const words = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * Cuts pages into chunks of whole sentences, at most `target` characters
 * each, never across a page (a citation names one page). Consecutive chunks
 * of a page share up to `overlap` characters of whole sentences so a fact
 * on a chunk edge is whole in at least one chunk.
 */
export function chunkPages(pages: readonly PageText[], opts: ChunkOptions = {}): ChunkDraft[] {
  const target = Math.max(1, Math.floor(opts.target ?? 1000));
  const overlap = Math.max(0, Math.floor(opts.overlap ?? 150));
  const out: ChunkDraft[] = [];
  for (const { page, text } of pages) {
    const units = splitSentences(text).flatMap((s) => (s.end - s.start > target ? splitAtWords(text, s, target) : [s]));
    let i = 0;
    while (i < units.length) {
      // Greedy: as many whole units as fit.
      let j = i;
      while (j + 1 < units.length && units[j + 1]!.end - units[i]!.start <= target) j++;
      const start = units[i]!.start;
      const end = units[j]!.end;
      out.push({ ordinal: out.length, page, start, end, text: text.slice(start, end) });
      if (j === units.length - 1) break;
      // Next chunk starts with the trailing units that fit the overlap budget
      // and still leave room for the next new unit; it always moves forward.
      let k = j + 1;
      while (k - 1 > i && units[j]!.end - units[k - 1]!.start <= overlap && units[j + 1]!.end - units[k - 1]!.start <= target) k--;
      i = k;
    }
  }
  return out;
}

/**
 * A sentence longer than `target` (a table row, a run-on list) is cut at
 * its last whitespace within `target`; text without spaces (CJK, Thai) at
 * the last word boundary; a single "word" longer than that (a hash, a URL)
 * at `target` characters, never inside a surrogate pair. Each cut looks at
 * one window of `target` characters, so a 100 MB run-on line is linear.
 */
function splitAtWords(text: string, s: SentenceSpan, target: number): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  const push = (from: number, to: number): void => {
    while (from < to && /\s/.test(text[from]!)) from++;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    if (to > from) out.push({ start: from, end: to, text: text.slice(from, to) });
  };
  let start = s.start;
  while (start < s.end && /\s/.test(text[start]!)) start++;
  while (s.end - start > target) {
    const cut = breakBefore(text, start, start + target);
    push(start, cut);
    start = cut;
    while (start < s.end && /\s/.test(text[start]!)) start++;
  }
  push(start, s.end);
  return out;
}

/** The last place in (from, limit] where text may be cut: after whitespace, at a word boundary, else at `limit`. */
function breakBefore(text: string, from: number, limit: number): number {
  for (let i = limit; i > from; i--) if (/\s/.test(text[i]!)) return i;
  // A little lookahead so the segmenter sees whether `limit` itself is a boundary.
  let best = from;
  for (const seg of words.segment(text.slice(from, limit + 16))) {
    if (seg.index > limit - from) break;
    best = from + seg.index;
  }
  if (best > from) return best;
  return /[\uDC00-\uDFFF]/.test(text[limit] ?? '') ? limit - 1 : limit;
}
