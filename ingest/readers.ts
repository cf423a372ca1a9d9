import { CairnError } from '../main/core/errors.js';
import { chunkPages } from './chunking.js';
import type { IngestKind } from './classify.js';
import { readDocumentIsolated, runIsolated } from './documents/worker.js';
import type { Reader } from './prepared.js';
import type { ExtractedDocument } from './documents/types.js';
import { layoutImage } from './images.js';
import type { ExtractedImage } from './imagery/index.js';
import type { ExtractedTrack } from './sensors/index.js';
import path from 'node:path';
import { layoutTrack } from './tracks.js';
import { documentReferenceDate, spanOf, withStatedPlaceTime } from './stated/index.js';

/** A PDF without a text layer is rendered and OCR'd instead (slower: each page is an image). */
async function readOrOcr(bytes: Uint8Array, ctx: Parameters<Reader>[1]): Promise<ExtractedDocument> {
  try {
    return await readDocumentIsolated(bytes, { filename: ctx.filename, password: ctx.password }, { timeoutMs: ctx.timeoutMs });
  } catch (e) {
    if (!(e instanceof CairnError) || e.code !== 'NEEDS_OCR') throw e;
    return runIsolated<ExtractedDocument>('pdf-ocr', bytes, { filename: ctx.filename, ...(ctx.password ? { password: ctx.password } : {}) }, { timeoutMs: ctx.timeoutMs * 4 });
  }
}

const readDocumentKind: Reader = async (bytes, ctx) => {
  const doc = await readOrOcr(bytes, ctx);
  // Dates and places the text states make its passages filterable by time and area.
  const reference = documentReferenceDate(doc.pages, doc.metadata);
  const chunks = withStatedPlaceTime(chunkPages(doc.pages), reference);
  const span = spanOf(chunks);
  return {
    kind: 'document',
    mime: doc.mime,
    title: doc.title,
    pages: doc.pages,
    chunks,
    observations: [],
    attachments: doc.attachments,
    metadata: { ...doc.metadata, format: doc.format, pages: doc.pages.length, attachments: doc.attachments.map((a) => a.filename), ...(reference ? { referenceDate: reference.toISOString() } : {}) },
    ...span,
  };
};

const TRACK_MIME: Record<string, string> = {
  gpx: 'application/gpx+xml',
  kml: 'application/vnd.google-earth.kml+xml',
  kmz: 'application/vnd.google-earth.kmz',
  tcx: 'application/vnd.garmin.tcx+xml',
  geojson: 'application/geo+json',
  nmea: 'text/x-nmea',
  ais: 'text/x-aivdm',
  cot: 'application/x-cot+xml',
  csv: 'text/csv',
  adsb: 'text/x-mode-s',
  sbs: 'text/x-sbs1',
};

const readTrackKind: Reader = async (bytes, ctx) => {
  const track = await runIsolated<ExtractedTrack>('track', bytes, { filename: ctx.filename }, { timeoutMs: ctx.timeoutMs });
  const layout = layoutTrack(track);
  if (layout.passages.length === 0 && layout.observations.length === 0) {
    throw new CairnError('EMPTY_FILE', `${ctx.filename} holds no positions or named features${track.warnings.length ? ` (${track.warnings.slice(0, 3).join('; ')})` : ''}`, { input: ctx.filename });
  }
  return {
    kind: 'track',
    mime: TRACK_MIME[track.format] ?? 'application/octet-stream',
    title: track.title || ctx.filename,
    pages: [layout.page],
    chunks: layout.passages.map((p) => ({ page: 1, start: p.start, end: p.end, text: layout.page.text.slice(p.start, p.end), locator: p.locator, t0: p.t0, t1: p.t1, geo: p.geo })),
    observations: layout.observations,
    attachments: [],
    metadata: { ...track.metadata, format: track.format, observations: layout.observations.length, segments: track.segments.length, features: track.features.length, warnings: track.warnings.slice(0, 50) },
    t0: layout.t0,
    t1: layout.t1,
    geo: layout.geo,
  };
};

const readImageKind: Reader = async (bytes, ctx) => {
  const img = await runIsolated<ExtractedImage>('image', bytes, { filename: ctx.filename, thumbnailDir: path.join(ctx.dataDir, 'thumbnails'), ocr: true }, { timeoutMs: ctx.timeoutMs });
  const layout = layoutImage(img, ctx.filename);
  const ocr = img.ocr
    ? { meanConfidence: Math.round(img.ocr.meanConfidence * 10) / 10, lowConfidenceShare: Math.round(img.ocr.lowConfidenceShare * 1000) / 1000, words: img.ocr.words.length, rotation: img.ocr.rotation, languages: img.ocr.languages }
    : null;
  return {
    kind: 'image',
    mime: img.mime,
    title: img.title || ctx.filename,
    pages: [{ page: 1, text: layout.text }],
    chunks: layout.chunks,
    observations: [],
    attachments: [],
    metadata: { ...img.metadata, format: img.format, width: img.width, height: img.height, camera: img.camera, orientation: img.orientation, thumbnail: img.thumbnail, geo: img.geo, footprint: img.footprint, ocr },
    t0: img.time,
    t1: img.time,
    geo: layout.chunks[0]?.geo ?? null,
  };
};

/** One reader per kind: adding a kind is adding an entry, never a new branch in the pipeline. */
export const READERS: Record<IngestKind, Reader> = {
  document: readDocumentKind,
  track: readTrackKind,
  image: readImageKind,
};
