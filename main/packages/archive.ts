/**
 * Streams a package's tar entries (node-tar's Parser; gzip is detected) and
 * applies the structural rules before a caller sees any entry body:
 *
 *   - only regular files and folders (no symlinks, hard links, devices, FIFOs, unknown types)
 *   - relative, portable names with no `..` (paths.ts)
 *   - no name twice, no file where a folder is needed (compared case- and Unicode-insensitively)
 *   - at most `maxEntries` entries, each at most `maxEntryBytes`, together at most `maxTotalBytes`
 *     (declared sizes, checked from the header before the body is read)
 *
 * Nothing here writes to disk: an accepted file entry's body goes to the
 * Writable the caller returns (a hasher when verifying, a staged file when
 * extracting). A broken count or size limit stops the scan at once, so a
 * hostile archive costs no more than the limits allow.
 */
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { ancestors, checkEntryPath, collisionKey } from './paths.js';
import { problem, type Problem } from './problems.js';

export interface PackageLimits {
  /** Entries in the archive, pax and long-name headers included. */
  maxEntries: number;
  /** Uncompressed size of any one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** manifest.json; the manifest is read into memory. */
  maxManifestBytes: number;
}

const GiB = 1024 ** 3;

/** Generous for removable-media transfers, small enough to refuse a decompression bomb. */
export const DEFAULT_LIMITS: PackageLimits = Object.freeze({
  maxEntries: 100_000,
  maxEntryBytes: 4 * GiB,
  maxTotalBytes: 64 * GiB,
  maxManifestBytes: 64 * 1024 * 1024,
});

export function resolveLimits(partial: Partial<PackageLimits> = {}): PackageLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(DEFAULT_LIMITS) as (keyof PackageLimits)[]) {
    const v = partial[k];
    if (v !== undefined) {
      if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${k} must be a positive integer, got ${v}`);
      out[k] = v;
    }
  }
  return out;
}

export interface ScannedEntry {
  /** Checked name without a trailing slash. */
  path: string;
  type: 'file' | 'directory';
  /** Declared uncompressed size. */
  size: number;
}

/**
 * Called for each entry that passed the structural checks. For a file,
 * return a Writable to receive its body (the scan waits for it to finish),
 * or null to skip the body.
 */
export type EntryHandler = (entry: ScannedEntry) => Writable | null;

export interface ScanResult {
  problems: Problem[];
  entries: number;
  totalBytes: number;
  /** A limit was hit or the archive was unreadable: the scan did not reach the end. */
  stopped: boolean;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

function describeType(entry: ReadEntry): string {
  switch (entry.type) {
    case 'SymbolicLink':
      return `symbolic link (to ${JSON.stringify(entry.linkpath ?? '')})`;
    case 'Link':
      return `hard link (to ${JSON.stringify(entry.linkpath ?? '')})`;
    case 'CharacterDevice':
    case 'BlockDevice':
      return 'device file';
    case 'FIFO':
      return 'named pipe (FIFO)';
    default:
      return `"${entry.type}" entry`;
  }
}

export async function scanArchive(file: string, limitsIn: Partial<PackageLimits>, onEntry: EntryHandler): Promise<ScanResult> {
  const limits = resolveLimits(limitsIn);
  const problems: Problem[] = [];
  const pending: Promise<void>[] = [];
  const sinks = new Set<Writable>();
  const seenFiles = new Map<string, string>();
  const seenDirs = new Map<string, string>();
  const impliedDirs = new Map<string, string>();
  let entries = 0;
  let totalBytes = 0;
  let stopped = false;

  const input = createReadStream(file);
  // Meta entries (pax headers, long names) are small; a huge one is an attack, not a long name.
  const parser = new Parser({ strict: false, maxMetaEntrySize: 256 * 1024 });

  const stop = (p: Problem): void => {
    if (stopped) return;
    stopped = true;
    problems.push(p);
    input.destroy();
    parser.abort(new Error(p.message));
  };

  const countEntry = (name: string): boolean => {
    entries++;
    if (entries > limits.maxEntries) {
      stop(problem('TOO_MANY_ENTRIES', `more than ${limits.maxEntries} entries; scanning stopped here (raise --max-entries if the package is genuine)`, name));
      return false;
    }
    return true;
  };

  /** Per-entry and running total size limits, from the declared size; stops the scan when broken. */
  const withinSize = (entry: ReadEntry): boolean => {
    const size = entry.size ?? 0;
    if (size > limits.maxEntryBytes) {
      stop(problem('ENTRY_TOO_LARGE', `declares ${size} bytes, over the ${limits.maxEntryBytes}-byte limit per entry; scanning stopped here (raise --max-entry-bytes if the package is genuine)`, entry.path));
      return false;
    }
    totalBytes += size;
    if (totalBytes > limits.maxTotalBytes) {
      stop(problem('ARCHIVE_TOO_LARGE', `the entries up to here declare ${totalBytes} bytes, over the ${limits.maxTotalBytes}-byte limit for a package; scanning stopped here (raise --max-total-bytes if the package is genuine)`, entry.path));
      return false;
    }
    return true;
  };

  /** Duplicate and file-versus-folder checks; records the entry when it is new. */
  const claim = (name: string, type: 'file' | 'directory'): Problem | null => {
    const key = collisionKey(name);
    const other = seenFiles.get(key) ?? seenDirs.get(key);
    if (other !== undefined) {
      const same = (type === 'file' ? seenFiles : seenDirs).has(key);
      return same
        ? problem('DUPLICATE_ENTRY', `appears more than once${other === name ? '' : ` (also as ${JSON.stringify(other)}; names differing only in case or Unicode form collide on Windows and macOS)`}: a later copy could replace the checked one`, name)
        : problem('PATH_CONFLICT', `is both a file and a folder (${JSON.stringify(other)})`, name);
    }
    if (type === 'file' && impliedDirs.has(key)) return problem('PATH_CONFLICT', `is a file, but ${JSON.stringify(impliedDirs.get(key))} needs it to be a folder`, name);
    for (const a of ancestors(name)) {
      const f = seenFiles.get(collisionKey(a));
      if (f !== undefined) return problem('PATH_CONFLICT', `lies under ${JSON.stringify(f)}, which is a file`, name);
    }
    (type === 'file' ? seenFiles : seenDirs).set(key, name);
    for (const a of ancestors(name)) if (!impliedDirs.has(collisionKey(a))) impliedDirs.set(collisionKey(a), name);
    return null;
  };

  // node-tar ignores a cut between entries; the end-of-archive marker (two zero blocks) proves the copy is whole.
  let sawEof = false;
  parser.on('eof', () => {
    sawEof = true;
  });

  parser.on('meta', () => {
    countEntry('(pax or long-name header)');
  });

  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (stopped || !countEntry(entry.path)) return;
    // node-tar skips the body of an ignored entry by reading through it: bound that too.
    if (!withinSize(entry)) return;
    problems.push(problem('ENTRY_TYPE', `${entry.meta ? `oversized "${entry.type}" header` : `unsupported "${entry.type}" entry`}: packages hold only regular files and folders`, entry.path));
  });

  parser.on('entry', (entry: ReadEntry) => {
    if (stopped || !countEntry(entry.path)) {
      entry.resume();
      return;
    }
    if (!withinSize(entry)) {
      entry.resume();
      return;
    }
    const size = entry.size ?? 0;
    const isFile = FILE_TYPES.has(entry.type);
    if (!isFile && entry.type !== 'Directory') {
      problems.push(problem('ENTRY_TYPE', `${describeType(entry)}: packages hold only regular files and folders`, entry.path));
      entry.resume();
      return;
    }
    const check = checkEntryPath(entry.path);
    if (!check.ok) {
      problems.push(problem(check.code, check.message, entry.path));
      entry.resume();
      return;
    }
    if (isFile && check.trailingSlash) {
      problems.push(problem('BAD_PATH', 'a file name may not end in "/"', entry.path));
      entry.resume();
      return;
    }
    const type = isFile ? 'file' : 'directory';
    const conflict = claim(check.path, type);
    if (conflict) {
      problems.push(conflict);
      entry.resume();
      return;
    }
    const sink = onEntry({ path: check.path, type, size });
    if (!isFile || !sink) {
      entry.resume();
      return;
    }
    sinks.add(sink);
    pending.push(
      finished(sink).then(
        () => {
          sinks.delete(sink);
        },
        (e: unknown) => {
          sinks.delete(sink);
          // A scan stop destroys open sinks; only report failures of their own.
          // A sink may say exactly what was wrong (e.g. a hash mismatch while extracting).
          if (!stopped) stop((e as { problem?: Problem }).problem ?? problem('ARCHIVE_UNREADABLE', `could not process this entry: ${(e as Error).message}`, check.path));
        },
      ),
    );
    entry.pipe(sink);
  });

  let warnings = 0;
  parser.on('warn', (code: string, message: string) => {
    if (++warnings > 20) {
      stop(problem('ARCHIVE_UNREADABLE', 'more than 20 damaged headers: this is not a Cairn package, or it is badly damaged; scanning stopped here'));
      return;
    }
    problems.push(problem('ARCHIVE_UNREADABLE', `${code === 'TAR_BAD_ARCHIVE' ? 'not a valid tar archive, or cut short' : code === 'TAR_ENTRY_INVALID' ? 'damaged entry header' : code}: ${message}`));
  });

  await new Promise<void>((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve();
    };
    parser.on('end', finish);
    parser.on('close', finish);
    parser.on('error', (e: Error) => {
      if (!stopped) {
        stopped = true;
        problems.push(problem('ARCHIVE_UNREADABLE', `cannot read the archive: ${e.message}`));
        input.destroy();
      }
      finish();
    });
    input.on('error', (e: NodeJS.ErrnoException) => {
      if (!stopped) {
        stopped = true;
        problems.push(problem('ARCHIVE_UNREADABLE', `cannot read ${file}: ${e.code ?? e.message}`));
      }
      finish();
    });
    input.pipe(parser as unknown as NodeJS.WritableStream);
  });
  if (!stopped && !sawEof && !problems.some((p) => p.code === 'ARCHIVE_UNREADABLE')) {
    problems.push(problem('ARCHIVE_UNREADABLE', 'the archive ends without the tar end-of-archive marker: it was cut short (an incomplete copy?); copy the package again'));
  }
  if (stopped) for (const s of sinks) s.destroy(new Error('scan stopped'));
  await Promise.allSettled(pending);
  return { problems, entries, totalBytes, stopped };
}
