/**
 * Domain types shared by every layer. No I/O here.
 */

export type SourceKind = 'document' | 'image' | 'track';

/** A place in a text page: 1-based page, character offsets into that page's text. */
export interface TextLocator {
  page: number;
  start: number;
  end: number;
}

/** A region of an image, in image pixels: [x0, y0, x1, y1]. */
export type BBox = [number, number, number, number];

/** Where on Earth: WGS84 degrees. */
export interface GeoBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Extra, kind-specific place of a chunk beyond its text offsets: an image
 * region or a track segment. Text chunks have none.
 */
export type ExtraLocator = { bbox: BBox } | { entity: string; t0: string; t1: string };

export interface Source {
  /** sha256 of the file's bytes, hex. */
  id: string;
  kind: SourceKind;
  title: string;
  /** Where the bytes came from: a file path as given, or `parentId#attachment-name`. */
  origin: string;
  mime: string;
  bytes: number;
  /** ISO 8601. */
  ingestedAt: string;
  marking: string;
  packageId: string;
  /** Time span the source covers (capture time, track span), ISO 8601, when known. */
  t0?: string | null;
  t1?: string | null;
  geo?: GeoBounds | null;
  /** The message this attachment came from, when it is one. */
  parentId: string;
  metadata: Record<string, unknown>;
}

export interface Chunk {
  /** sha256(sourceId + locator), hex: stable across re-ingests. */
  id: string;
  sourceId: string;
  ordinal: number;
  /** Exactly pageText.slice(start, end). */
  text: string;
  page: number;
  start: number;
  end: number;
  marking: string;
  /** Image region or track segment, when the chunk is one. */
  locator?: ExtraLocator | null;
  t0?: string | null;
  t1?: string | null;
  geo?: GeoBounds | null;
}

export interface ScoredChunk extends Chunk {
  score: number;
  title: string;
}

export interface Citation {
  sourceId: string;
  chunkId: string;
  title: string;
  page: number;
  start: number;
  end: number;
  /** Exact text of the cited page between start and end. */
  quote: string;
  /** Image region or track segment, when the cited chunk is one. */
  locator?: ExtraLocator;
}

export interface AnswerSentence {
  text: string;
  citations: Citation[];
}

export interface Answer {
  answer: string;
  sentences: AnswerSentence[];
  citations: Citation[];
  banner: string;
  auditId: string;
}

/** A page of extracted text; non-paged formats have a single page 1. */
export interface PageText {
  page: number;
  text: string;
}

/** One position of one tracked entity (a vessel's MMSI, an aircraft, a device). */
export interface Observation {
  sourceId: string;
  entity: string;
  /** ISO 8601 UTC, or null when the feed gives no time. */
  t: string | null;
  lat: number;
  lon: number;
  alt: number | null;
  /** m/s over ground. */
  speed: number | null;
  /** Degrees true. */
  course: number | null;
  marking: string;
}

/** An area and a time window; any part may be open. */
export interface SpaceTimeFilter {
  bbox?: GeoBounds;
  /** ISO 8601 bounds, inclusive. */
  from?: string;
  to?: string;
  entity?: string;
}
