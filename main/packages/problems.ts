import { CairnError } from '../core/errors.js';

/**
 * What can be wrong with a data package. Every problem names the archive
 * entry it is about (when there is one) and says what an administrator can
 * do about it. `cairn package verify --json` prints these as they are.
 */
export type ProblemCode =
  // The archive itself
  | 'ARCHIVE_UNREADABLE' // cannot open the file, not a tar archive, corrupt header, truncated
  | 'ENTRY_TYPE' // symlink, hard link, device, FIFO, unknown type
  | 'ABSOLUTE_PATH'
  | 'PATH_TRAVERSAL' // a `..` segment (zip-slip)
  | 'BAD_PATH' // empty/`.` segments, backslashes, control or Windows-reserved characters
  | 'DUPLICATE_ENTRY' // same path twice (compared case- and Unicode-insensitively)
  | 'PATH_CONFLICT' // a file where a folder is needed, or the reverse
  | 'TOO_MANY_ENTRIES'
  | 'ENTRY_TOO_LARGE'
  | 'ARCHIVE_TOO_LARGE'
  | 'UNEXPECTED_ENTRY' // outside the package layout (manifest.json, manifest.sig, files/...)
  // The manifest and its signature
  | 'MANIFEST_MISSING'
  | 'MANIFEST_INVALID'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'SIGNER_UNTRUSTED'
  | 'SIGNER_REVOKED'
  | 'SIGNER_MISMATCH'
  | 'MARKING_INVALID'
  // The files against the manifest
  | 'FILE_MISSING'
  | 'FILE_SIZE_MISMATCH'
  | 'FILE_HASH_MISMATCH'
  | 'FILE_UNLISTED'
  // Between verification and extraction
  | 'PACKAGE_CHANGED';

export interface Problem {
  code: ProblemCode;
  /** The archive entry (e.g. `files/report.txt`, `manifest.json`), when the problem is about one. */
  path?: string;
  message: string;
}

export function problem(code: ProblemCode, message: string, path?: string): Problem {
  return path === undefined ? { code, message } : { code, path, message };
}

/** One line per problem, for terminals and error messages. */
export function formatProblem(p: Problem): string {
  return `${p.code}${p.path !== undefined ? ` ${JSON.stringify(p.path)}` : ''}: ${p.message}`;
}

/**
 * A package that failed verification (or changed between verification and
 * extraction). A user error: the administrator fixes it by obtaining an
 * intact package or trusting its publisher; `problems` says exactly what.
 */
export class PackageInvalidError extends CairnError {
  readonly problems: readonly Problem[];

  constructor(pkgPath: string, problems: readonly Problem[], lead = 'failed verification') {
    const shown = problems.slice(0, 20).map((p) => `  - ${formatProblem(p)}`);
    if (problems.length > shown.length) shown.push(`  - ... and ${problems.length - shown.length} more (run \`cairn package verify --json\`)`);
    super('BAD_INPUT', `package ${pkgPath} ${lead}; nothing was imported:\n${shown.join('\n')}`, { input: pkgPath });
    this.name = 'PackageInvalidError';
    this.problems = problems;
  }

  override toJSON(): { code: 'BAD_INPUT'; message: string; input?: string; problems: Problem[] } {
    return { ...(super.toJSON() as { code: 'BAD_INPUT'; message: string; input?: string }), problems: [...this.problems] };
  }
}
