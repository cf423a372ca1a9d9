import type { GeoBounds, PageText } from '../../main/core/types.js';
import type { ChunkDraft } from '../chunking.js';
import type { PreparedChunk } from '../prepared.js';
import { statedPlaces } from './coordinates.js';
import { statedTimes } from './dates.js';

export { statedPlaces, type StatedPlace } from './coordinates.js';
export { statedTimes, type StatedTime } from './dates.js';

/** Where a document's own date line sits: its first characters. */
const DATE_LINE_CHARS = 600;

function isoDate(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * The date "yesterday" and "on 12 March" in a document are relative to: an
 * e-mail's Date header, else a full date stated at the head of the first
 * page (a report's date line). Null when neither is there: then relative
 * and year-less dates are not resolved at all. A PDF's creation date is
 * not used: it is when the file was made (exported, scanned), and on the
 * eval PDFs it dated a scanned Civil War history's "June 10th" to 2010.
 */
export function documentReferenceDate(pages: readonly PageText[], metadata: Record<string, unknown>): Date | null {
  const mail = isoDate(metadata.date);
  if (mail) return mail;
  const head = pages[0]?.text.slice(0, DATE_LINE_CHARS) ?? '';
  const first = statedTimes(head, null)[0];
  return first ? new Date(first.t0) : null;
}

function union(a: GeoBounds | null, b: GeoBounds): GeoBounds {
  if (!a) return { ...b };
  return { west: Math.min(a.west, b.west), south: Math.min(a.south, b.south), east: Math.max(a.east, b.east), north: Math.max(a.north, b.north) };
}

/** Time span and area of a set of passages (or of a whole document), null where none is stated. */
export interface PlaceTime {
  t0: string | null;
  t1: string | null;
  geo: GeoBounds | null;
}

/**
 * Each chunk takes the span of the dates and the box around the places its
 * own text states, so a place or time filter finds a document passage the
 * way it finds an image or a track segment. A chunk naming two distant
 * places gets the box around both (the store keeps one box per passage).
 * Parsing is per chunk, which bounds every parse by the chunk size.
 */
export function withStatedPlaceTime(chunks: readonly ChunkDraft[], reference: Date | null): PreparedChunk[] {
  return chunks.map((c) => {
    let t0: string | null = null;
    let t1: string | null = null;
    for (const t of statedTimes(c.text, reference)) {
      if (t0 === null || t.t0 < t0) t0 = t.t0;
      if (t1 === null || t.t1 > t1) t1 = t.t1;
    }
    let geo: GeoBounds | null = null;
    for (const p of statedPlaces(c.text)) geo = union(geo, p.bounds);
    return { page: c.page, start: c.start, end: c.end, text: c.text, t0, t1, geo };
  });
}

/** The source's span and area: the union of its passages'. */
export function spanOf(chunks: readonly PreparedChunk[]): PlaceTime {
  let t0: string | null = null;
  let t1: string | null = null;
  let geo: GeoBounds | null = null;
  for (const c of chunks) {
    if (c.t0 && (t0 === null || c.t0 < t0)) t0 = c.t0;
    if (c.t1 && (t1 === null || c.t1 > t1)) t1 = c.t1;
    if (c.geo) geo = union(geo, c.geo);
  }
  return { t0, t1, geo };
}
