/** A sentence with exact offsets into the text it came from. */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// Node's ICU ignores the `ss=standard` suppression keyword, so ICU breaks after
// every period; these endings do not end a sentence. Initials ("J.") too,
// and single letters of scripts without case: Thai's "พ.ศ." (the Buddhist
// era before a year) was cut into three sentences.
const NON_TERMINAL = /(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Sr|Jr|St|Gen|Col|Lt|Maj|Capt|Cmdr|Adm|Sgt|Gov|Sen|Rep|Rev|No|Nos|Vol|Fig|Figs|Eq|pp|vs|etc|approx|ca|cf|al|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|\b(?:e\.g|i\.e|a\.m|p\.m|U\.S|U\.K|U\.N)\.|(?:^|\s)\p{Lu}\.|(?:^|[\s.])\p{Lo}\.)\s*$/u;

// A line break ends a sentence when the line before it is short and carries
// no terminal punctuation (a heading, a list item, a table row) and the next
// line starts like a new sentence. Long lines are wrapped prose: keep joined.
const HEADING_MAX = 60;
const LABEL_MAX = 30;

function splitLines(text: string, base: number, out: SentenceSpan[]): void {
  let lineStart = 0;
  let spanStart = 0;
  // Index of the first non-whitespace character after the current line
  // break; moves only forward, so a run of blank lines is scanned once.
  let nextStart = 0;
  const push = (from: number, to: number): void => {
    const piece = text.slice(from, to);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body.length > 0) out.push({ start: base + from + lead, end: base + from + lead + body.length, text: body });
  };
  // Every test below looks at a bounded window around the break, so a text
  // of many lines costs linear time (no slicing of the rest per line).
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\n') continue;
    const line = i - lineStart <= HEADING_MAX * 4 ? text.slice(lineStart, i).trim() : null;
    let j = i + 1;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
    const blank = text[j] === '\n';
    if (nextStart <= i) {
      nextStart = i + 1;
      while (nextStart < text.length && /\s/.test(text[nextStart]!)) nextStart++;
    }
    const first = String.fromCodePoint(text.codePointAt(nextStart) ?? 32);
    const headingLike = line !== null && line.length > 0 && line.length <= HEADING_MAX && !/[.,;:!?]$/.test(line) && /^[\p{Lu}\p{N}•\-–(]/u.test(first);
    // A short unpunctuated line standing alone (a form label, a caption) is
    // not the continuation of the sentence before it either.
    const nextBreak = text.indexOf('\n', nextStart);
    const nextLine = nextBreak !== -1 && nextBreak - nextStart <= LABEL_MAX * 4 ? text.slice(nextStart, nextBreak).trim() : '';
    const labelNext = nextLine.length > 0 && nextLine.length <= LABEL_MAX && !/[.,;!?]$/.test(nextLine) && /^\p{Lu}/u.test(nextLine);
    if (blank || headingLike || labelNext) {
      push(spanStart, i);
      spanStart = i + 1;
    }
    lineStart = i + 1;
  }
  push(spanStart, text.length);
}

// V8's Intl.Segmenter iterator costs time proportional to the whole input
// per segment (quadratic overall: a 400 kB text took 77 s by words), so it
// only ever sees bounded windows.
const WINDOW = 4096;

/**
 * The segments of `text`, computed window by window. A window's last
 * segment may continue past its edge, so it is re-read at the start of the
 * next window; a segment longer than a whole window is cut at its last
 * whitespace (or at the window edge, never inside a surrogate pair).
 */
export function* boundedSegments(segmenter: Intl.Segmenter, text: string, window = WINDOW): Generator<{ index: number; segment: string }> {
  let offset = 0;
  while (offset < text.length) {
    const end = Math.min(text.length, offset + window);
    const slice = text.slice(offset, end);
    if (end === text.length) {
      for (const seg of segmenter.segment(slice)) yield { index: offset + seg.index, segment: seg.segment };
      return;
    }
    const segs = [...segmenter.segment(slice)];
    if (segs.length > 1) {
      for (const seg of segs.slice(0, -1)) yield { index: offset + seg.index, segment: seg.segment };
      offset += segs[segs.length - 1]!.index;
      continue;
    }
    const ws = slice.search(/\s\S*$/);
    let cut = ws > 0 ? ws + 1 : slice.length;
    if (cut === slice.length && /[\uD800-\uDBFF]/.test(slice[cut - 1] ?? '')) cut -= 1;
    yield { index: offset, segment: slice.slice(0, cut) };
    offset += cut;
  }
}

/** Only the tail of a (possibly long, merged) span decides: linear time. */
function endsMidSentence(text: string, start: number, end: number): boolean {
  const from = Math.max(start, end - 200);
  // The character before a cut tail stands in for it, so `^` cannot match mid-word.
  const lead = from > start ? (/\s/.test(text[from - 1]!) ? ' ' : 'x') : '';
  const tail = lead + text.slice(from, end);
  return NON_TERMINAL.test(tail) && !/\n\s*\n\s*$/.test(tail);
}

/**
 * Sentence boundaries by the Unicode segmentation rules (Intl.Segmenter),
 * repaired for common abbreviations and for headings, with offsets such that
 * text.slice(start, end) === span.text.
 */
export function sentenceSpans(text: string): SentenceSpan[] {
  // ICU ends a sentence at every line break; PDF text breaks lines at the
  // margin. Segment a same-length copy with breaks as spaces, then let
  // splitLines decide which line breaks are real boundaries.
  const flat = text.replace(/[\r\n]/g, ' ');
  const merged: { index: number; end: number }[] = [];
  for (const seg of boundedSegments(segmenter, flat)) {
    const prev = merged[merged.length - 1];
    const end = seg.index + seg.segment.length;
    if (prev && endsMidSentence(text, prev.index, prev.end)) prev.end = end;
    else merged.push({ index: seg.index, end });
  }
  const out: SentenceSpan[] = [];
  for (const m of merged) splitLines(text.slice(m.index, m.end), m.index, out);
  return out;
}
