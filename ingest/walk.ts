import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../main/core/errors.js';

/**
 * Expands files and folders into a sorted list of files. Folders are walked
 * recursively; symbolic-link loops are cut by remembering real paths; hidden
 * entries (".git", ".DS_Store") are skipped.
 */
export async function expandPaths(inputs: readonly string[], exclude: readonly string[] = []): Promise<string[]> {
  const files: string[] = [];
  // Folders never walked into, by real path (Cairn's own data folder, for one).
  const seen = new Set<string>(await Promise.all(exclude.map((p) => realpath(p).catch(() => p))));

  async function visit(p: string, explicit: boolean): Promise<void> {
    let real: string;
    try {
      real = await realpath(p);
    } catch {
      // A dangling link inside a folder is skipped; a missing argument is an error.
      if (!explicit) return;
      throw new CairnError('NOT_FOUND', `no such file or folder: ${p}`, { input: p });
    }
    if (seen.has(real)) return;
    seen.add(real);
    const st = await stat(real);
    if (st.isFile()) {
      files.push(p);
      return;
    }
    if (!st.isDirectory()) {
      if (explicit) throw new CairnError('UNSUPPORTED_TYPE', `not a regular file or folder: ${p}`, { input: p });
      return;
    }
    const dir = await opendir(real);
    const names: string[] = [];
    for await (const entry of dir) if (!entry.name.startsWith('.')) names.push(entry.name);
    names.sort();
    for (const name of names) await visit(path.join(p, name), false);
  }

  for (const input of inputs) await visit(input, true);
  return files;
}
