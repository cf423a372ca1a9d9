import type { ExtractedImage, OcrRegion } from './imagery/index.js';
import { ocrRegions } from './imagery/index.js';
import type { PreparedChunk } from './prepared.js';

/**
 * Lays an image out as one citable page: a description line (what, when,
 * where, which camera) followed by the OCR text, and cuts it into passages:
 * the description, then one passage per OCR region located by its bounding
 * box in image pixels, so a citation can point at the region.
 */
export interface ImageLayout {
  text: string;
  chunks: PreparedChunk[];
}

function describe(img: ExtractedImage, filename: string): string {
  const parts = [`Image ${filename}: ${img.format.toUpperCase()} ${img.width}x${img.height} pixels`];
  if (img.time) parts.push(`taken ${img.time}`);
  if (img.geo) parts.push(`at latitude ${img.geo.lat.toFixed(6)}, longitude ${img.geo.lon.toFixed(6)}${img.geo.alt !== null ? `, altitude ${Math.round(img.geo.alt)} m` : ''}`);
  if (img.footprint) parts.push(`covering ${img.footprint.south.toFixed(4)} to ${img.footprint.north.toFixed(4)} N, ${img.footprint.west.toFixed(4)} to ${img.footprint.east.toFixed(4)} E (${img.footprint.crs})`);
  if (img.camera) parts.push(`camera ${img.camera}`);
  return `${parts.join(', ')}.`;
}

export function layoutImage(img: ExtractedImage, filename: string): ImageLayout {
  const head = describe(img, filename);
  const geo = img.footprint
    ? { west: img.footprint.west, south: img.footprint.south, east: img.footprint.east, north: img.footprint.north }
    : img.geo
      ? { west: img.geo.lon, south: img.geo.lat, east: img.geo.lon, north: img.geo.lat }
      : null;
  const when = { t0: img.time, t1: img.time, geo };
  const chunks: PreparedChunk[] = [{ page: 1, start: 0, end: head.length, text: head, locator: null, ...when }];
  const ocrText = img.ocr?.text ?? '';
  if (!img.ocr || ocrText.trim() === '') return { text: head, chunks };
  const offset = head.length + 2;
  const text = `${head}\n\n${ocrText}`;
  for (const r of ocrRegions(img.ocr) as OcrRegion[]) {
    const start = offset + r.start;
    const end = offset + r.end;
    chunks.push({ page: 1, start, end, text: text.slice(start, end), locator: { bbox: r.bbox }, ...when });
  }
  return { text, chunks };
}
