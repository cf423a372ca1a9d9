/**
 * Small JSON files under the data folder (reports, grades): read with a
 * schema, written atomically (temp file + rename, so a reader never sees half
 * a file), and changed under a cross-process lock so two `cairn` processes
 * cannot lose each other's edits.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import type { z } from 'zod';
import { CairnError } from '../core/errors.js';

/** `a.b: message; c: message`, the form every Cairn validation error uses. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'value'}: ${i.message}`)
    .join('; ');
}

/** The parsed file, or undefined when it does not exist. Anything unreadable throws BAD_INPUT naming the file. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T | undefined> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not a valid ${what}: not JSON (${e instanceof Error ? e.message : String(e)})`, { input: file, cause: e });
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new CairnError('BAD_INPUT', `${file} is not a valid ${what}: ${describeIssues(r.error)}`, { input: file });
  return r.data;
}

/** Pretty JSON plus a final newline, via a temp file in the same folder and a rename. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  await rename(tmp, file);
}

/** Runs fn holding a lock on `file` (which need not exist yet). */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, { realpath: false, stale: 15_000, retries: { retries: 200, factor: 1.3, minTimeout: 5, maxTimeout: 150 } });
  } catch (e) {
    throw new CairnError('TIMEOUT', `could not lock ${file} (another Cairn process holds it): ${e instanceof Error ? e.message : String(e)}`, { input: file, cause: e });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
