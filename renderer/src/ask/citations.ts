import type { Citation, SearchHit } from '../transport/types.js';

export function citationKey(c: Citation): string {
  return `${c.chunkId}:${c.start}:${c.end}`;
}

/** Numbers citations 1, 2, 3... in the order the answer lists them, then in order of first use. */
export function numberCitations(listed: Citation[], used: Citation[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const c of [...listed, ...used]) {
    const k = citationKey(c);
    if (!n.has(k)) n.set(k, n.size + 1);
  }
  return n;
}

/** The same numbering as a list: each distinct citation once, with its number. */
export function numberedCitations(listed: Citation[], used: Citation[]): { n: number; citation: Citation }[] {
  const out = new Map<string, { n: number; citation: Citation }>();
  for (const c of [...listed, ...used]) {
    const k = citationKey(c);
    if (!out.has(k)) out.set(k, { n: out.size + 1, citation: c });
  }
  return [...out.values()];
}

export type TrackPlace = { entity: string; t0: string; t1: string };
export type ImagePlace = { bbox: [number, number, number, number] };

export function trackPlace(c: Citation): TrackPlace | undefined {
  return c.locator && 'entity' in c.locator ? c.locator : undefined;
}

export function imagePlace(c: Citation): ImagePlace | undefined {
  return c.locator && 'bbox' in c.locator ? c.locator : undefined;
}

/** The passage text split around the quote: [before, quote, after], or undefined when the quote is not in it. */
export function splitAtQuote(c: Citation, passage: Pick<SearchHit, 'text' | 'locator'>): [string, string, string] | undefined {
  const text = passage.text;
  const at = c.start - passage.locator.start;
  const idx = at >= 0 && text.slice(at, at + c.quote.length) === c.quote ? at : text.indexOf(c.quote);
  if (idx < 0 || c.quote === '') return undefined;
  return [text.slice(0, idx), text.slice(idx, idx + c.quote.length), text.slice(idx + c.quote.length)];
}
