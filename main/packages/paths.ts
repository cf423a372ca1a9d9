/**
 * Path rules for names inside a package, shared by create (so we never
 * write a package we would refuse), verify (before anything touches disk)
 * and extract (checked again before each write). The rules are the portable
 * subset: a name that is safe to create on Linux, macOS and Windows alike.
 */
import path from 'node:path';
import type { ProblemCode } from './problems.js';

export type PathCheck = { ok: true; path: string; trailingSlash: boolean } | { ok: false; code: Extract<ProblemCode, 'ABSOLUTE_PATH' | 'PATH_TRAVERSAL' | 'BAD_PATH'>; message: string };

const MAX_PATH_BYTES = 4096;
const MAX_SEGMENT_BYTES = 255;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks one archive entry name (forward slashes, relative). Returns the
 * name without a trailing slash, or why it is refused. The order matters:
 * an absolute or `..` name is reported as such, not as a generic bad name.
 */
export function checkEntryPath(raw: string): PathCheck {
  if (raw === '') return { ok: false, code: 'BAD_PATH', message: 'empty name' };
  if (raw.startsWith('/') || raw.startsWith('\\') || /^[A-Za-z]:/.test(raw)) {
    return { ok: false, code: 'ABSOLUTE_PATH', message: 'absolute path: a package may only hold names relative to its root' };
  }
  if (raw.split(/[/\\]/).includes('..')) {
    return { ok: false, code: 'PATH_TRAVERSAL', message: 'a ".." segment would write outside the extraction folder (zip-slip)' };
  }
  if (raw.includes('\\')) return { ok: false, code: 'BAD_PATH', message: 'backslash in name (a folder separator on Windows)' };
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) return { ok: false, code: 'BAD_PATH', message: `name longer than ${MAX_PATH_BYTES} bytes` };
  const trailingSlash = raw.endsWith('/');
  const name = trailingSlash ? raw.slice(0, -1) : raw;
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') {
      const hint = raw.startsWith('./') ? ' (an archive made with `tar -C DIR .`; make packages with `cairn package create`)' : '';
      return { ok: false, code: 'BAD_PATH', message: `empty or "." path segment${hint}` };
    }
    if (CONTROL.test(seg)) return { ok: false, code: 'BAD_PATH', message: 'control character in name' };
    if (WINDOWS_FORBIDDEN.test(seg)) return { ok: false, code: 'BAD_PATH', message: `character ${JSON.stringify(WINDOWS_FORBIDDEN.exec(seg)?.[0])} is not allowed in names (reserved on Windows)` };
    if (WINDOWS_RESERVED.test(seg)) return { ok: false, code: 'BAD_PATH', message: `"${seg}" is a reserved device name on Windows` };
    if (/[. ]$/.test(seg)) return { ok: false, code: 'BAD_PATH', message: `segment "${seg}" ends with a dot or space (not portable to Windows)` };
    if (Buffer.byteLength(seg) > MAX_SEGMENT_BYTES) return { ok: false, code: 'BAD_PATH', message: `segment longer than ${MAX_SEGMENT_BYTES} bytes` };
  }
  return { ok: true, path: name, trailingSlash };
}

/**
 * The key two names collide under on some file system: case-insensitive
 * (Windows, macOS) and Unicode-normalising (macOS). Two entries with the
 * same key would overwrite each other on extraction, so both are refused.
 */
export function collisionKey(p: string): string {
  return p.normalize('NFC').toLowerCase();
}

/** Every folder above a relative name: `a/b/c` -> [`a`, `a/b`]. */
export function ancestors(p: string): string[] {
  const parts = p.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Joins a checked relative name onto a root and proves the result is
 * strictly inside it (defence in depth: the name was already checked).
 */
export function insideRoot(root: string, rel: string): string {
  const check = checkEntryPath(rel);
  if (!check.ok) throw new Error(`refusing to write ${JSON.stringify(rel)}: ${check.message}`);
  const dest = path.resolve(root, ...check.path.split('/'));
  const back = path.relative(root, dest);
  if (back === '' || back === '..' || back.startsWith(`..${path.sep}`) || path.isAbsolute(back)) throw new Error(`refusing to write ${JSON.stringify(rel)}: it resolves outside ${root}`);
  return dest;
}
