/**
 * DATA/config.json holds one section per module ("models", "search", ...),
 * written by an administrator. Each module reads its own section through
 * this, with its own schema, so a mistake names the file and the field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { CairnError } from '../core/errors.js';

export function configPath(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

/** The section parsed by its schema; the schema's defaults when the file or section is absent. */
export async function readConfigSection<S extends z.ZodType>(dataDir: string, section: string, schema: S): Promise<z.output<S>> {
  const file = configPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return schema.parse({});
    throw new CairnError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { input: file, cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not valid JSON: ${(e as Error).message}`, { input: file, cause: e });
  }
  const r = schema.safeParse((json as Record<string, unknown> | null)?.[section] ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CairnError('BAD_INPUT', `${file}: ${section}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { input: file });
  }
  return r.data;
}
