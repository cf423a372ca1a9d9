/**
 * The "models" section of DATA/config.json, where an administrator names the
 * default model and the endpoints on the secure LAN:
 *
 *   { "models": {
 *       "default": "lan-vllm",
 *       "llama": { "threads": 2, "contextSize": 4096 },
 *       "endpoints": [
 *         { "name": "lan-vllm", "kind": "openai", "baseUrl": "http://10.1.2.3:8000/v1", "model": "qwen2.5-7b-instruct", "apiKeyEnv": "CAIRN_LAN_KEY" },
 *         { "name": "ollama", "kind": "ollama", "baseUrl": "http://127.0.0.1:11434", "model": "llama3.1:8b" } ] } }
 *
 * Other sections of the file belong to other modules and are ignored here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../../core/errors.js';

export const modelsConfigSchema = z.object({
  default: z.string().min(1).optional(),
  llama: z.object({ threads: z.number().int().min(1).optional(), contextSize: z.number().int().positive().optional() }).default({}),
  /** Each endpoint is validated by its kind's own schema. */
  endpoints: z.array(z.record(z.string(), z.unknown())).default([]),
});

export type ModelsConfig = z.infer<typeof modelsConfigSchema>;

export function configPath(dataDir: string): string {
  return path.join(dataDir, 'config.json');
}

export function modelsDir(dataDir: string): string {
  return path.join(dataDir, 'models');
}

export async function loadModelsConfig(dataDir: string): Promise<ModelsConfig> {
  const file = configPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return modelsConfigSchema.parse({});
    throw new CairnError('BAD_INPUT', `cannot read ${file}: ${(e as Error).message}`, { input: file, cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not valid JSON: ${(e as Error).message}`, { input: file, cause: e });
  }
  const r = modelsConfigSchema.safeParse((json as { models?: unknown } | null)?.models ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CairnError('BAD_INPUT', `${file}: models.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { input: file });
  }
  return r.data;
}
