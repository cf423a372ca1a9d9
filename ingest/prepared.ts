import type { Attachment } from './documents/types.js';
import type { ExtraLocator, GeoBounds, Observation, PageText, SourceKind } from '../main/core/types.js';

/** A passage ready to embed and store; `text === pages[page].text.slice(start, end)`. */
export interface PreparedChunk {
  page: number;
  start: number;
  end: number;
  text: string;
  locator?: ExtraLocator | null;
  t0?: string | null;
  t1?: string | null;
  geo?: GeoBounds | null;
}

/**
 * What every reader family (documents, imagery, sensor feeds) hands the
 * pipeline: the page texts citations point into, the passages cut from them,
 * and anything kind-specific (track points, attachments, place and time).
 */
export interface Prepared {
  kind: SourceKind;
  mime: string;
  title: string;
  pages: PageText[];
  chunks: PreparedChunk[];
  observations: Omit<Observation, 'sourceId' | 'marking'>[];
  attachments: Attachment[];
  metadata: Record<string, unknown>;
  t0: string | null;
  t1: string | null;
  geo: GeoBounds | null;
}

export interface ReaderContext {
  filename: string;
  password?: string;
  timeoutMs: number;
  /** Folder for derived files (image thumbnails). */
  dataDir: string;
}

export type Reader = (bytes: Uint8Array, ctx: ReaderContext) => Promise<Prepared>;
