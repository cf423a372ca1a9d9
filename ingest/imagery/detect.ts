/**
 * Which raster format a file is, from its first bytes only. Anything else
 * (SVG and other XML, PDF, text) is refused before any decoder sees it:
 * vector formats can reference external entities and files.
 */

import { CairnError } from '../../main/core/errors.js';
import type { ImageFormat } from './types.js';

export const IMAGE_MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  tiff: 'image/tiff',
  webp: 'image/webp',
  gif: 'image/gif',
  heif: 'image/heic',
  avif: 'image/avif',
};

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

const at = (b: Uint8Array, sig: readonly number[], offset = 0): boolean => b.length >= offset + sig.length && sig.every((x, i) => b[offset + i] === x);
const ascii = (b: Uint8Array, start: number, end: number): string => String.fromCharCode(...b.subarray(start, end));

/** The raster format of these bytes, or null when they are not one we read. */
export function sniffImageFormat(b: Uint8Array): ImageFormat | null {
  if (at(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (at(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (at(b, [0x47, 0x49, 0x46, 0x38]) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  if (at(b, [0x52, 0x49, 0x46, 0x46]) && at(b, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (at(b, [0x49, 0x49, 0x2a, 0x00]) || at(b, [0x4d, 0x4d, 0x00, 0x2a]) || at(b, [0x49, 0x49, 0x2b, 0x00]) || at(b, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    const brands = [ascii(b, 8, 12)];
    const boxSize = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    for (let o = 16; o + 4 <= Math.min(boxSize, b.length, 64); o += 4) brands.push(ascii(b, o, o + 4));
    if (brands.some((x) => AVIF_BRANDS.has(x))) return 'avif';
    if (brands.some((x) => HEIF_BRANDS.has(x))) return 'heif';
  }
  return null;
}

function describe(b: Uint8Array): string {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 1024)).toString('utf8').trimStart().toLowerCase();
  if (head.includes('<svg') || head.startsWith('<?xml') || head.startsWith('<!doctype')) return 'SVG/XML (vector and XML images are not accepted: they can reference external files)';
  if (at(b, [0x25, 0x50, 0x44, 0x46])) return 'a PDF';
  if (at(b, [0x42, 0x4d])) return 'BMP';
  return 'not a JPEG, PNG, TIFF, WebP, GIF or HEIF/AVIF image';
}

/** The format, or CairnError UNSUPPORTED_TYPE (EMPTY_FILE for no bytes) naming the file. */
export function detectImageFormat(bytes: Uint8Array, filename: string): ImageFormat {
  if (bytes.byteLength === 0) throw new CairnError('EMPTY_FILE', `${filename} is empty`, { input: filename });
  const format = sniffImageFormat(bytes);
  if (format === null) throw new CairnError('UNSUPPORTED_TYPE', `${filename} is ${describe(bytes)}; image ingest reads JPEG, PNG, TIFF, WebP, GIF and HEIF/AVIF`, { input: filename });
  return format;
}
