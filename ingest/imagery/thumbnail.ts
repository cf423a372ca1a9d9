/**
 * Decodes an image once with sharp (the pixel limit enforced again at decode
 * time) into a small WebP: EXIF orientation applied, long side at most
 * `size` px, first page/frame only. Doubles as the "are these pixels
 * readable" check. Written content-addressed (<sha256 of the source>.webp),
 * atomically, and only once.
 */

import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

export interface Thumbnail {
  data: Buffer;
  width: number;
  height: number;
}

export const THUMBNAIL_SIZE = 256;

export async function renderThumbnail(bytes: Uint8Array, opts: { maxPixels: number; size?: number; strict: boolean; stretch: boolean }): Promise<Thumbnail> {
  const size = opts.size ?? THUMBNAIL_SIZE;
  const base = sharp(bytes, { limitInputPixels: opts.maxPixels, failOn: opts.strict ? 'error' : 'none' })
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true });
  let img: Sharp = base;
  if (opts.stretch) {
    // Single-band rasters (thermal, masks, elevation, 16-bit scans) are dark or flat when cast
    // straight to 8 bits: read the small copy at 16 bits and stretch its 1st..99th percentiles.
    const { data, info } = await base.toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const values = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    img = sharp(stretch(values), { raw: { width: info.width, height: info.height, channels: 1 } });
  }
  const { data, info } = await img.webp({ quality: 75, effort: 2 }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function stretch(values: Uint16Array): Uint8Array {
  const sorted = Uint16Array.from(values).sort();
  let lo = sorted[Math.floor(sorted.length * 0.01)] ?? 0;
  let hi = sorted[Math.ceil(sorted.length * 0.99) - 1] ?? 65535;
  if (hi <= lo) {
    lo = sorted[0] ?? 0;
    hi = sorted[sorted.length - 1] ?? 65535;
  }
  const out = new Uint8Array(values.length);
  const k = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < values.length; i++) out[i] = Math.max(0, Math.min(255, Math.round((values[i]! - lo) * k)));
  return out;
}

/** Writes `<dir>/<sha256>.webp` unless it exists; returns its path. */
export async function writeThumbnail(dir: string, sha256: string, data: Buffer): Promise<string> {
  const file = path.join(dir, `${sha256}.webp`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
  return file;
}
