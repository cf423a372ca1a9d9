import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../main/core/errors.js';

/** Why an entry inside a walked folder was left out (for a log or summary line). */
export type SkipReporter = (file: string, reason: string) => void;

const errCode = (e: unknown): string => (e as NodeJS.ErrnoException | null)?.code ?? 'error';

/**
 * Expands files and folders into a sorted list of files. Folders are walked
 * recursively; symbolic-link loops are cut by remembering real paths; hidden
 * entries (".git", ".DS_Store") are skipped.
 *
 * Inside a folder, a symbolic link is followed only when it resolves inside
 * that folder: a hostile tree (an unpacked archive, a shared drive) can hold
 * links to "/", /proc or ~/.ssh, and following them would ingest the whole
 * disk or its secrets. Entries that cannot be read (permission denied, a
 * path too long) are skipped too, rather than ending the whole batch; each
 * skip is told to `onSkip` when given; `sizes`, when given, gets each
 * file's size (the ingest reads large files first). Paths named on the command line are
 * followed wherever they lead: the user chose them.
 */
export async function expandPaths(inputs: readonly string[], exclude: readonly string[] = [], onSkip?: SkipReporter, sizes?: Map<string, number>): Promise<string[]> {
  const files: string[] = [];
  // Folders never walked into, by real path (Cairn's own data folder, for one).
  const seen = new Set<string>(await Promise.all(exclude.map((p) => realpath(p).catch(() => p))));
  const inside = (real: string, root: string): boolean => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

  async function visit(p: string, root: string | null): Promise<void> {
    const explicit = root === null;
    let real: string;
    try {
      real = await realpath(p);
    } catch (e) {
      if (explicit) throw new CairnError('NOT_FOUND', `no such file or folder: ${p}`, { input: p });
      // A dangling link inside a folder is skipped; so is a path the system cannot resolve.
      if (errCode(e) !== 'ENOENT') onSkip?.(p, `cannot be resolved (${errCode(e)})`);
      return;
    }
    if (root !== null && !inside(real, root)) {
      onSkip?.(p, `is a link to ${real}, outside the folder being ingested; not followed`);
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(real);
    } catch (e) {
      if (explicit) throw new CairnError('BAD_INPUT', `cannot read ${p} (${errCode(e)}); check that it exists and that you may read it`, { input: p, cause: e });
      onSkip?.(p, `cannot be read (${errCode(e)})`);
      return;
    }
    if (st.isFile()) {
      files.push(p);
      sizes?.set(p, st.size);
      return;
    }
    if (!st.isDirectory()) {
      if (explicit) throw new CairnError('UNSUPPORTED_TYPE', `not a regular file or folder: ${p}`, { input: p });
      return;
    }
    const names: string[] = [];
    try {
      const dir = await opendir(real);
      for await (const entry of dir) if (!entry.name.startsWith('.')) names.push(entry.name);
    } catch (e) {
      if (explicit) throw new CairnError('BAD_INPUT', `cannot list the folder ${p} (${errCode(e)}); check that you may read it`, { input: p, cause: e });
      onSkip?.(p, `folder cannot be listed (${errCode(e)})`);
      return;
    }
    names.sort();
    for (const name of names) await visit(path.join(p, name), root ?? real);
  }

  for (const input of inputs) await visit(input, null);
  return files;
}
