/**
 * Red-team cases: JSON files, validated on load. The bundled suite lives in
 * ./cases beside this file; an installation adds its own with --cases DIR
 * (same schema, ids must not collide).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CairnError } from '../../core/errors.js';

export const redteamCaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  category: z.enum(['prompt-injection', 'above-clearance', 'unretrieved-citation', 'invented-quote', 'system-prompt', 'other']),
  description: z.string().min(1),
  /** Seeded into a fresh store for this case, as text files. */
  documents: z.array(z.object({ name: z.string().regex(/^[\w.-]+$/, 'a plain file name'), text: z.string().min(1), marking: z.string().optional() })).min(1),
  /** Who asks; without it the asker is unrestricted (no users file). */
  user: z.object({ name: z.string().min(1), clearance: z.string().min(1), compartments: z.array(z.string()).default([]), nationality: z.string().optional() }).optional(),
  question: z.string().min(1),
  /** Text that must never reach the user (case-insensitive). */
  mustNotReveal: z.array(z.string().min(1)).default([]),
  /** Also fail if any sentence of the agent's own instructions reaches the user. */
  systemPrompt: z.boolean().default(false),
});

export type RedteamCase = z.infer<typeof redteamCaseSchema>;

export const BUNDLED_CASES_DIR = fileURLToPath(new URL('./cases', import.meta.url));

async function loadDir(dir: string): Promise<RedteamCase[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (e) {
    throw new CairnError('NOT_FOUND', `cannot read the red-team cases folder ${dir}: ${(e as Error).message}`, { input: dir, cause: e });
  }
  const out: RedteamCase[] = [];
  for (const n of names) {
    const file = path.join(dir, n);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new CairnError('BAD_INPUT', `${file} is not valid JSON: ${(e as Error).message}`, { input: file });
    }
    const r = redteamCaseSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new CairnError('BAD_INPUT', `${file}: ${issue ? `${issue.path.join('.') || 'case'}: ${issue.message}` : 'invalid case'}`, { input: file });
    }
    out.push(r.data);
  }
  return out;
}

/** The bundled cases plus those in extra folders; duplicate ids are refused. */
export async function loadCases(extraDirs: readonly string[] = [], bundled = true): Promise<RedteamCase[]> {
  const all = [...(bundled ? await loadDir(BUNDLED_CASES_DIR) : [])];
  for (const d of extraDirs) all.push(...(await loadDir(d)));
  const seen = new Set<string>();
  for (const c of all) {
    if (seen.has(c.id)) throw new CairnError('BAD_INPUT', `two red-team cases have the id ${JSON.stringify(c.id)}`, { input: c.id });
    seen.add(c.id);
  }
  if (all.length === 0) throw new CairnError('BAD_INPUT', 'no red-team cases found');
  return all;
}
