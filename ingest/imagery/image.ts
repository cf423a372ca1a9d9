/**
 * Reads one raster image from its bytes: format (from the bytes, never the
 * name), size, pages, a thumbnail, EXIF place/time/camera, GeoTIFF footprint,
 * and optionally OCR. Pure apart from the optional thumbnail write.
 *
 * Order matters for hostile input: magic bytes first (SVG/XML never reaches a
 * decoder), then the TIFF IFD chain is walked with loop detection, then the
 * header dimensions are checked against maxPixels, and only then are pixels
 * decoded (with sharp's limitInputPixels as a second guard).
 *
 * HEIC: this build's sharp (libvips + libheif) reads HEIF headers but has no
 * HEVC decoder. A HEIC is still ingested: size from the HEIF header, EXIF
 * (GPS, time, camera) via exifr, thumbnail null, no OCR, and a warning in
 * metadata.warnings. AVIF decodes normally.
 */

import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { CairnError, isCairnError } from '../../main/core/errors.js';
import { detectImageFormat, IMAGE_MIME } from './detect.js';
import { readExif } from './exif.js';
import { readGeoTiff, type GeoTiffInfo } from './geotiff.js';
import { DEFAULT_MAX_PIXELS, ocrImage, tooLarge, type OcrOptions } from './ocr.js';
import { renderThumbnail, THUMBNAIL_SIZE, writeThumbnail, type Thumbnail } from './thumbnail.js';
import { walkTiffIfds } from './tiff-ifd.js';
import { withoutPngText } from './png-text.js';
import type { ExtractedImage, Footprint, ImageFormat, OcrResult } from './types.js';

export interface ReadImageOptions {
  filename: string;
  /** Refuse images with more pixels than this (per page), before decoding. Default 100 megapixels. */
  maxPixels?: number;
  /** Where to write the content-addressed thumbnail; none is written when absent. */
  thumbnailDir?: string;
  /** Long side of the thumbnail, px (default 256). */
  thumbnailSize?: number;
  /** Run OCR (off by default: it costs ~0.4-10 s per image). `true` = English. */
  ocr?: boolean | Omit<OcrOptions, 'filename' | 'maxPixels'>;
  /**
   * Accept images whose pixels decode only partly (a truncated JPEG): the
   * result is returned with metadata.corrupt set. Default false: such files
   * are refused with PARSE_FAILED.
   */
  partial?: boolean;
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
const HEVC_MISSING = /compression format has not been built in|HEVC|libde265|no decoder/i;

/** Orientations 5-8 swap width and height when displayed. */
const swaps = (o: number | undefined): boolean => o !== undefined && o >= 5 && o <= 8;

export async function readImage(bytes: Uint8Array, opts: ReadImageOptions): Promise<ExtractedImage> {
  const { filename } = opts;
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const format = detectImageFormat(bytes, filename);
  const warnings: string[] = [];
  if (format === 'tiff') warnings.push(...walkTiffIfds(bytes, filename).warnings);
  // What libvips decodes: a PNG without its (possibly bomb-sized) compressed comments.
  const pixels = format === 'png' ? withoutPngText(bytes) : bytes;

  let meta: Metadata;
  try {
    // Header only: no pixel is decoded here, so no limit is needed yet.
    meta = await sharp(pixels, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} is not a readable ${format.toUpperCase()} image: ${firstLine(e)}`, { input: filename, cause: e });
  }
  const storedWidth = meta.width ?? 0;
  const storedHeight = meta.height ?? 0;
  if (storedWidth <= 0 || storedHeight <= 0) throw new CairnError('PARSE_FAILED', `${filename} has no image dimensions in its header`, { input: filename });
  if (storedWidth * storedHeight > maxPixels) throw tooLarge(filename, storedWidth, storedHeight, maxPixels);

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const heif = format === 'heif';
  let thumb: Thumbnail | null = null;
  let corrupt: string | null = null;
  let decodable = true;
  const stretch = meta.channels === 1 && (meta.format === 'tiff' || meta.depth !== 'uchar');
  const render = (strict: boolean) => renderThumbnail(pixels, { maxPixels, size: opts.thumbnailSize ?? THUMBNAIL_SIZE, strict, stretch });
  try {
    thumb = await render(true);
  } catch (e) {
    const reason = firstLine(e);
    if (heif && HEVC_MISSING.test(e instanceof Error ? e.message : String(e))) {
      decodable = false;
      warnings.push('HEIC pixels cannot be decoded in this build (no HEVC decoder): no thumbnail and no OCR; metadata and EXIF were read');
    } else if (/pixel limit/i.test(reason)) {
      throw tooLarge(filename, storedWidth, storedHeight, maxPixels);
    } else if (opts.partial) {
      corrupt = reason;
      warnings.push(`pixels only partly decodable: ${reason}`);
      thumb = await render(false).catch(() => null);
    } else {
      throw new CairnError('PARSE_FAILED', `${filename} is corrupt or truncated: ${reason}`, { input: filename, cause: e });
    }
  }
  const thumbnail = thumb && opts.thumbnailDir ? await writeThumbnail(opts.thumbnailDir, sha256, thumb.data) : null;

  const exif = await readExif(bytes, format);
  warnings.push(...exif.warnings);

  let geotiff: GeoTiffInfo | null = null;
  if (format === 'tiff') {
    try {
      geotiff = await readGeoTiff(bytes, { filename });
      if (geotiff) warnings.push(...geotiff.warnings);
    } catch (e) {
      warnings.push(`GeoTIFF tags unreadable: ${isCairnError(e) ? e.message : firstLine(e)}`);
    }
  }
  const footprint: Footprint | null = geotiff?.footprint ?? null;

  let ocr: OcrResult | null = null;
  if (opts.ocr) {
    if (!decodable) warnings.push('OCR skipped: pixels not decodable in this build');
    else ocr = await ocrImage(pixels, { ...(opts.ocr === true ? {} : opts.ocr), filename, maxPixels });
  }

  // sharp reports HEIF sizes after the container's own rotation; EXIF orientation applies to the others.
  const orientation = exif.orientation ?? meta.orientation ?? null;
  const swap = !heif && swaps(meta.orientation ?? exif.orientation ?? undefined);
  return {
    format,
    mime: IMAGE_MIME[format],
    width: swap ? storedHeight : storedWidth,
    height: swap ? storedWidth : storedHeight,
    title: exif.title ?? filename,
    time: exif.time,
    geo: exif.geo,
    footprint,
    camera: exif.camera,
    orientation,
    thumbnail,
    metadata: metadataOf(format, sha256, bytes.byteLength, meta, exif, geotiff, thumb, corrupt, warnings),
    ocr,
  };
}

function metadataOf(
  format: ImageFormat,
  sha256: string,
  size: number,
  meta: Metadata,
  exif: Awaited<ReturnType<typeof readExif>>,
  geotiff: GeoTiffInfo | null,
  thumb: Thumbnail | null,
  corrupt: string | null,
  warnings: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    format,
    sha256,
    bytes: size,
    storedWidth: meta.width,
    storedHeight: meta.height,
    pages: meta.pages ?? 1,
    channels: meta.channels,
    colourSpace: meta.space,
    bitDepth: meta.depth,
    hasAlpha: meta.hasAlpha ?? false,
    density: meta.density ?? null,
    timeSource: exif.timeSource,
    exif: exif.tags,
  };
  if (thumb) out.thumbnailSize = { width: thumb.width, height: thumb.height, format: 'webp' };
  if (geotiff) {
    const { footprint: _f, warnings: _w, ...rest } = geotiff;
    out.geotiff = rest;
  }
  if (corrupt) out.corrupt = corrupt;
  if (warnings.length) out.warnings = [...new Set(warnings)].slice(0, 50);
  return out;
}
