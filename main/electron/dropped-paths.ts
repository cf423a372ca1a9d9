/**
 * Paths of files dropped on the Library in the desktop shell. The preload
 * turns each dropped File into its path with Electron's
 * `webUtils.getPathForFile`; the page could still send anything, so the main
 * process checks every path before the ingest operation sees it: absolute,
 * existing, a regular file or a folder (no FIFOs, sockets or devices, which
 * could block or feed endless bytes), and not inside Cairn's own data folder
 * (its stores, blobs and inbox are not sources). A refused path becomes a
 * failed entry in the ingest summary, so the user sees why.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import type { IngestOutput } from '../api/contract.js';

/** More than any drag of files by hand; a page sending more is refused outright. */
export const MAX_DROPPED_PATHS = 1000;

export interface Refused {
  file: string;
  code: 'NOT_A_FILE' | 'NOT_FOUND' | 'BAD_INPUT' | 'FORBIDDEN';
  message: string;
}

export interface CheckedDrop {
  /** Real paths (symbolic links resolved), each once, in the order dropped. */
  paths: string[];
  refused: Refused[];
}

function within(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realOrSelf(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return path.resolve(p);
  }
}

/** Why one path cannot be ingested, or its real path. */
async function checkOne(p: string, dataDirReal: string): Promise<{ ok: string } | Refused> {
  // getPathForFile gives '' for a File with no file behind it (text or a picture dragged from a web page).
  if (p === '') return { file: p, code: 'NOT_A_FILE', message: 'a dropped item is not a file on this computer' };
  if (p.includes('\0')) return { file: p.replaceAll('\0', '\\0'), code: 'BAD_INPUT', message: 'the path contains a NUL character' };
  if (!path.isAbsolute(p)) return { file: p, code: 'BAD_INPUT', message: 'not an absolute path' };
  let real: string;
  try {
    real = await realpath(p);
  } catch {
    return { file: p, code: 'NOT_FOUND', message: 'no such file or folder (moved or deleted since it was dropped?)' };
  }
  const s = await stat(real);
  if (!s.isFile() && !s.isDirectory()) return { file: p, code: 'NOT_A_FILE', message: 'not a regular file or folder (a device, pipe or socket is never ingested)' };
  if (within(real, dataDirReal)) return { file: p, code: 'FORBIDDEN', message: "inside Cairn's own data folder, which holds its stores rather than sources" };
  return { ok: real };
}

/** Checks what the page sent: an array of path strings, at most MAX_DROPPED_PATHS (BAD_INPUT otherwise). */
export async function checkDroppedPaths(raw: unknown, dataDir: string): Promise<CheckedDrop> {
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((p) => typeof p === 'string')) {
    throw new CairnError('BAD_INPUT', 'dropped files must arrive as a non-empty list of paths', { input: 'paths' });
  }
  if (raw.length > MAX_DROPPED_PATHS) {
    throw new CairnError('BAD_INPUT', `${raw.length} files dropped at once; at most ${MAX_DROPPED_PATHS} (drop a folder instead)`, { input: 'paths' });
  }
  const dataDirReal = await realOrSelf(dataDir);
  const paths: string[] = [];
  const refused: Refused[] = [];
  for (const p of raw as string[]) {
    const r = await checkOne(p, dataDirReal);
    if ('ok' in r) {
      if (!paths.includes(r.ok)) paths.push(r.ok);
    } else refused.push(r);
  }
  return { paths, refused };
}

/** The ingest summary with the refused paths added as failed files. */
export function withRefused(summary: IngestOutput, refused: readonly Refused[]): IngestOutput {
  if (refused.length === 0) return summary;
  const failed = refused.map((r) => ({ file: r.file, status: 'failed' as const, error: { code: r.code, message: r.message } }));
  return { ...summary, files: [...summary.files, ...failed], failed: summary.failed + failed.length };
}
