/**
 * What the imagery readers return. Plain data (structured-clone safe, so it
 * can cross a worker boundary): no database, no network.
 */

import type { BBox } from '../../main/core/types.js';

export type ImageFormat = 'jpeg' | 'png' | 'tiff' | 'webp' | 'gif' | 'heif' | 'avif';

/** A camera position in WGS84 degrees; alt in metres above sea level (negative below), null when absent. */
export interface GeoPoint {
  lat: number;
  lon: number;
  alt: number | null;
}

/**
 * Where a georeferenced raster lies. west/south/east/north are ALWAYS WGS84
 * degrees (reprojected from the native CRS, edges densified so the box covers
 * the whole raster); `crs` names the raster's native CRS ("EPSG:32618").
 * Native bounds and the geotransform are in `metadata.geotiff`.
 */
export interface Footprint {
  west: number;
  south: number;
  east: number;
  north: number;
  crs: string;
}

export interface OcrWord {
  text: string;
  /** [x0, y0, x1, y1] in pixels of the image as displayed (EXIF orientation applied), whatever rotation OCR used. */
  bbox: BBox;
  /** 0..100 */
  confidence: number;
}

export interface OcrLine {
  text: string;
  bbox: BBox;
  confidence: number;
  /** Tesseract's layout: block and paragraph numbers (0-based, in reading order). */
  block: number;
  paragraph: number;
  /** Index range into OcrResult.words, end exclusive. */
  wordStart: number;
  wordEnd: number;
  /** Character range in OcrResult.text: text === OcrResult.text.slice(start, end). */
  start: number;
  end: number;
}

export type OcrRotation = 0 | 90 | 180 | 270;

export interface OcrResult {
  /** Lines joined by "\n", paragraphs and blocks separated by a blank line. */
  text: string;
  words: OcrWord[];
  lines: OcrLine[];
  /** Mean word confidence, 0..100 (0 when no word was found). */
  meanConfidence: number;
  /** Share (0..1) of words with confidence below 60. */
  lowConfidenceShare: number;
  /** Clockwise rotation applied to the upright image before recognition (the page's text was rotated by -rotation). */
  rotation: OcrRotation;
  languages: string[];
  /** Size of the coordinate space of every bbox: the image as displayed. */
  width: number;
  height: number;
  /** Wall time of the whole call, milliseconds. */
  ms: number;
}

/**
 * A citable region of an OCR'd image: consecutive lines in reading order, at
 * most ~maxChars. `text === OcrResult.text.slice(start, end)`; bbox is the
 * union of its lines' boxes in displayed pixels.
 */
export interface OcrRegion {
  text: string;
  bbox: BBox;
  /** Mean word confidence, 0..100. */
  confidence: number;
  start: number;
  end: number;
}

export interface ExtractedImage {
  format: ImageFormat;
  mime: string;
  /** Width and height of the image as displayed (EXIF orientation applied); stored pixel size is in metadata. */
  width: number;
  height: number;
  title: string;
  /** Capture time, ISO 8601; keeps the UTC offset when the file states one, else local time without offset. */
  time: string | null;
  geo: GeoPoint | null;
  footprint: Footprint | null;
  camera: string | null;
  /** EXIF orientation 1..8, null when absent. */
  orientation: number | null;
  /** Path of the thumbnail written to thumbnailDir, null when none was asked for or the pixels cannot be decoded here (HEVC). */
  thumbnail: string | null;
  metadata: Record<string, unknown>;
  ocr: OcrResult | null;
}
