import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Which chunks table is live. A re-embed builds a new table beside the old
 * one and switches by atomically replacing this small file, so readers see
 * either the old table or the complete new one, never a half-built one.
 */
const FILE = 'active.json';
export const DEFAULT_CHUNKS_TABLE = 'chunks';

export async function activeChunksTable(storeDir: string): Promise<string> {
  try {
    const j = JSON.parse(await readFile(path.join(storeDir, FILE), 'utf8')) as { chunks?: unknown };
    return typeof j.chunks === 'string' && /^[A-Za-z0-9_-]+$/.test(j.chunks) ? j.chunks : DEFAULT_CHUNKS_TABLE;
  } catch {
    return DEFAULT_CHUNKS_TABLE;
  }
}

export async function setActiveChunksTable(storeDir: string, table: string): Promise<void> {
  const tmp = path.join(storeDir, `${FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify({ chunks: table }), { flush: true });
  await rename(tmp, path.join(storeDir, FILE));
}
