import type { Chunk, ExtraLocator, GeoBounds, Source } from '../core/types.js';
import { analyseText, detectLanguageInSource } from '../search/analyse.js';

/**
 * Conversions between domain objects and LanceDB rows. Times are stored as
 * epoch milliseconds and places as four bounds so the store can filter on
 * them; everything kind-specific that is not filtered on is JSON.
 */

export const SOURCE_COLUMNS = ['id', 'kind', 'title', 'origin', 'mime', 'bytes', 'ingestedAt', 'marking', 'packageId', 'parentId', 'metadata', 't0', 't1', 'west', 'south', 'east', 'north'];
export const CHUNK_COLUMNS = ['id', 'sourceId', 'ordinal', 'text', 'page', 'start', 'end', 'marking', 'locator', 't0', 't1', 'west', 'south', 'east', 'north'];

type Row = Record<string, unknown>;

const toMs = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
};

const toIso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

function spaceTimeToRow(x: { t0?: string | null; t1?: string | null; geo?: GeoBounds | null }): Row {
  return {
    t0: toMs(x.t0),
    t1: toMs(x.t1 ?? x.t0),
    west: x.geo?.west ?? null,
    south: x.geo?.south ?? null,
    east: x.geo?.east ?? null,
    north: x.geo?.north ?? null,
  };
}

function spaceTimeFromRow(r: Row): { t0: string | null; t1: string | null; geo: GeoBounds | null } {
  const geo = r.west === null || r.west === undefined ? null : { west: Number(r.west), south: Number(r.south), east: Number(r.east), north: Number(r.north) };
  return { t0: toIso(r.t0), t1: toIso(r.t1), geo };
}

export function sourceToRow(s: Source): Row {
  return {
    id: s.id, kind: s.kind, title: s.title, origin: s.origin, mime: s.mime, bytes: s.bytes, ingestedAt: s.ingestedAt,
    marking: s.marking, packageId: s.packageId, parentId: s.parentId, metadata: JSON.stringify(s.metadata), ...spaceTimeToRow(s),
  };
}

export function sourceFromRow(r: Row): Source {
  return {
    id: String(r.id),
    kind: r.kind as Source['kind'],
    title: String(r.title),
    origin: String(r.origin),
    mime: String(r.mime),
    bytes: Number(r.bytes),
    ingestedAt: String(r.ingestedAt),
    marking: String(r.marking),
    packageId: String(r.packageId),
    parentId: String(r.parentId),
    metadata: JSON.parse(String(r.metadata)) as Record<string, unknown>,
    ...spaceTimeFromRow(r),
  };
}

/**
 * What a chunk's full-text `terms` are built from: the passage, after its
 * `context` (the source title) when it has one, so a passage that is not the
 * first of its document still matches a question naming the document. The
 * language is the passage's own: a title does not decide how it is stemmed.
 */
export function termsOf(c: Pick<Chunk, 'text' | 'sourceId'> & { context?: string }): { terms: string; lang: string } {
  const lang = detectLanguageInSource(c.text, c.sourceId);
  const context = c.context?.trim();
  return analyseText(context ? `${context}\n\n${c.text}` : c.text, lang);
}

export function chunkToRow(c: Chunk & { vector: Float32Array; context?: string }): Row {
  return {
    id: c.id, sourceId: c.sourceId, ordinal: c.ordinal, text: c.text, ...termsOf(c), page: c.page, start: c.start, end: c.end, marking: c.marking,
    locator: c.locator ? JSON.stringify(c.locator) : '', ...spaceTimeToRow(c), vector: Array.from(c.vector),
  };
}

export function chunkFromRow(r: Row): Chunk {
  const locator = String(r.locator ?? '');
  return {
    id: String(r.id),
    sourceId: String(r.sourceId),
    ordinal: Number(r.ordinal),
    text: String(r.text),
    page: Number(r.page),
    start: Number(r.start),
    end: Number(r.end),
    marking: String(r.marking),
    locator: locator ? (JSON.parse(locator) as ExtraLocator) : null,
    ...spaceTimeFromRow(r),
  };
}
