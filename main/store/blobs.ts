import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Originals of viewable sources (PDFs and images), kept content-addressed
 * under DATA/blobs/<first two hex>/<sha256> so the source viewer can show
 * the page or picture a citation points at. The id is the source id
 * (sha256 of the bytes); a blob is written once, atomically (temp file then
 * rename), and read back only when its bytes still hash to its name.
 */

/** Largest original kept (bytes); a bigger file is still ingested, just not viewable. */
export const BLOB_MAX_BYTES = 100 * 1024 * 1024;

/** What the viewer can show: PDF pages and pictures. Everything else is read as text. */
export function keepsOriginal(mime: string): boolean {
  return mime === 'application/pdf' || (mime.startsWith('image/') && mime !== 'image/svg+xml');
}

const HEX64 = /^[0-9a-f]{64}$/;

export function blobPath(dataDir: string, id: string): string {
  if (!HEX64.test(id)) throw new Error(`not a content id: ${id}`);
  return path.join(dataDir, 'blobs', id.slice(0, 2), id);
}

/** Keeps the original; a no-op when it is already there or over the size limit. Returns whether it is kept. */
export async function keepBlob(dataDir: string, id: string, bytes: Uint8Array, maxBytes = BLOB_MAX_BYTES): Promise<boolean> {
  if (bytes.byteLength > maxBytes) return false;
  const file = blobPath(dataDir, id);
  if (await stat(file).then((s) => s.size === bytes.byteLength, () => false)) return true;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return true;
}

/** The original's bytes, or null when none is kept (or the file no longer matches its name). */
export async function readBlob(dataDir: string, id: string): Promise<Buffer | null> {
  const bytes = await readFile(blobPath(dataDir, id)).catch(() => null);
  if (!bytes) return null;
  return createHash('sha256').update(bytes).digest('hex') === id ? bytes : null;
}

/** Whether an original is kept for this id (without reading it). */
export async function hasBlob(dataDir: string, id: string): Promise<boolean> {
  return stat(blobPath(dataDir, id)).then((s) => s.isFile(), () => false);
}
