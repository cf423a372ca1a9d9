/** A sentence with exact offsets into the text it came from. */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// Node's ICU ignores the `ss=standard` suppression keyword, so ICU breaks after
// every period; these endings do not end a sentence. Initials ("J.") too.
const NON_TERMINAL = /(?:\b(?:Dr|Mr|Mrs|Ms|Prof|Sr|Jr|St|Gen|Col|Lt|Maj|Capt|Cmdr|Adm|Sgt|Gov|Sen|Rep|Rev|No|Nos|Vol|Fig|Figs|Eq|pp|vs|etc|approx|ca|cf|al|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|\b(?:e\.g|i\.e|a\.m|p\.m|U\.S|U\.K|U\.N)\.|(?:^|\s)\p{Lu}\.)\s*$/u;

// A line break ends a sentence when the line before it is short and carries
// no terminal punctuation (a heading, a list item, a table row) and the next
// line starts like a new sentence. Long lines are wrapped prose: keep joined.
const HEADING_MAX = 60;
const LABEL_MAX = 30;

function splitLines(text: string, base: number, out: SentenceSpan[]): void {
  let lineStart = 0;
  let spanStart = 0;
  const push = (from: number, to: number): void => {
    const piece = text.slice(from, to);
    const lead = piece.length - piece.trimStart().length;
    const body = piece.trim();
    if (body.length > 0) out.push({ start: base + from + lead, end: base + from + lead + body.length, text: body });
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\n') continue;
    const line = text.slice(lineStart, i).trim();
    const next = text.slice(i + 1).trimStart();
    const blank = /^\n/.test(text.slice(i + 1).replace(/^[ \t]+/, ''));
    const headingLike = line.length > 0 && line.length <= HEADING_MAX && !/[.,;:!?]$/.test(line) && /^[\p{Lu}\p{N}•\-–(]/u.test(next);
    // A short unpunctuated line standing alone (a form label, a caption) is
    // not the continuation of the sentence before it either.
    const nextLine = next.split('\n', 1)[0]!.trim();
    const labelNext = nextLine.length > 0 && nextLine.length <= LABEL_MAX && !/[.,;!?]$/.test(nextLine) && /^\p{Lu}/u.test(nextLine) && /\n/.test(next);
    if (blank || headingLike || labelNext) {
      push(spanStart, i);
      spanStart = i + 1;
    }
    lineStart = i + 1;
  }
  push(spanStart, text.length);
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
  for (const seg of segmenter.segment(flat)) {
    const prev = merged[merged.length - 1];
    const end = seg.index + seg.segment.length;
    if (prev && NON_TERMINAL.test(text.slice(prev.index, prev.end)) && !/\n\s*\n\s*$/.test(text.slice(prev.index, prev.end))) prev.end = end;
    else merged.push({ index: seg.index, end });
  }
  const out: SentenceSpan[] = [];
  for (const m of merged) splitLines(text.slice(m.index, m.end), m.index, out);
  return out;
}
