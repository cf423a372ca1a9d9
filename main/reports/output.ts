/** Writing a product file (report, export) whole, and its sha256 for the audit log. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../core/hash.js';

export interface WrittenProduct {
  /** Absolute path. */
  file: string;
  sha256: string;
  bytes: number;
}

/** Writes via a temp file and a rename, so a reader never sees half a product. */
export async function writeProduct(file: string, data: Uint8Array | string): Promise<WrittenProduct> {
  const abs = path.resolve(file);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await mkdir(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.partial`;
  await writeFile(tmp, bytes);
  await rename(tmp, abs);
  return { file: abs, sha256: sha256Hex(bytes), bytes: bytes.byteLength };
}
