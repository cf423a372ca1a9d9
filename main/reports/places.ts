/** How a citation's place is written in a footnote: a page, an image region or a track segment. */
import type { Citation } from '../core/types.js';

/** `2031-03-14 06:00:00Z`: ISO without the T and the zero milliseconds. */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.000Z$/, 'Z');
}

export function placeOf(c: Pick<Citation, 'page' | 'start' | 'end' | 'locator'>): string {
  const loc = c.locator;
  if (loc && 'entity' in loc) return `track segment ${loc.entity}, ${shortTime(loc.t0)} to ${shortTime(loc.t1)}`;
  if (loc && 'bbox' in loc) {
    const [x0, y0, x1, y1] = loc.bbox.map((v) => Math.round(v));
    return `${c.page > 1 ? `p. ${c.page}, ` : ''}image region x ${x0}-${x1}, y ${y0}-${y1} px`;
  }
  return `p. ${c.page}, characters ${c.start}-${c.end}`;
}

/** Runs of whitespace (line breaks in the source) as single spaces, for print. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
