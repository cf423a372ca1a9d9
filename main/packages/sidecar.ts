/**
 * Optional per-file metadata for `cairn package create`: a file named
 * `cairn-package.json` at the top of DIR (it is not itself packaged).
 *
 *   {
 *     "defaults": { "marking": "CUI", "originator": "Field Office 3", "collected": "2024-05-01", "grade": "B2" },
 *     "files": {
 *       "reports/convoy.txt": { "marking": "SECRET//NOFORN", "collected": "2024-04-30T06:00:00Z" },
 *       "imagery/pier.jpg":   { "originator": "UAS detachment" }
 *     }
 *   }
 *
 * Keys of "files" are paths relative to DIR with forward slashes. Every
 * field is optional. For each file the most specific value wins:
 *   the file's entry  >  --marking / --originator / --collected  >  "defaults"  >  built-in
 * (built-in: the policy's lowest level, the publisher name, and no date).
 * A "files" entry for a path that is not in DIR is an error (a typo would
 * otherwise silently leave a file under-marked).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';

export const SIDECAR_FILE = 'cairn-package.json';

const fieldsSchema = z.strictObject({
  marking: z.string().min(1).optional(),
  originator: z.string().min(1).optional(),
  collected: z.string().min(1).optional(),
  grade: z.string().regex(/^[A-Fa-f][1-6]$/, 'a grade is a reliability A-F and a credibility 1-6, e.g. B2').optional(),
});

const sidecarSchema = z.strictObject({
  defaults: fieldsSchema.optional(),
  files: z.record(z.string(), fieldsSchema).optional(),
});

export type SidecarFields = z.infer<typeof fieldsSchema>;
export type Sidecar = { defaults: SidecarFields; files: Map<string, SidecarFields> };

export async function readSidecar(dir: string): Promise<Sidecar | null> {
  const file = path.join(dir, SIDECAR_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CairnError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { input: file, cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not valid JSON (${(e as Error).message})`, { input: file, cause: e });
  }
  const r = sidecarSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new CairnError('BAD_INPUT', `${file}: ${i ? `${i.path.map(String).join('.') || 'document'}: ${i.message}` : 'invalid'}; see the format in main/packages/sidecar.ts`, { input: file });
  }
  return { defaults: r.data.defaults ?? {}, files: new Map(Object.entries(r.data.files ?? {})) };
}

/** Checks that every path the sidecar names is a file being packaged. */
export function checkSidecarPaths(sidecar: Sidecar, dir: string, files: ReadonlySet<string>): void {
  const unknown = [...sidecar.files.keys()].filter((p) => !files.has(p));
  if (unknown.length > 0) {
    throw new CairnError(
      'BAD_INPUT',
      `${path.join(dir, SIDECAR_FILE)} names ${unknown.length === 1 ? 'a file' : 'files'} not found in ${dir}: ${unknown.map((p) => JSON.stringify(p)).join(', ')} (paths are relative to the folder, with "/")`,
      { input: unknown[0] },
    );
  }
}
