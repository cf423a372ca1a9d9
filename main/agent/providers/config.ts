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
import path from 'node:path';
import { z } from 'zod';
import { configPath, readConfigSection } from '../../config/section.js';

export const modelsConfigSchema = z.object({
  default: z.string().min(1).optional(),
  llama: z.object({ threads: z.number().int().min(1).optional(), contextSize: z.number().int().positive().optional() }).default({}),
  /** Each endpoint is validated by its kind's own schema. */
  endpoints: z.array(z.record(z.string(), z.unknown())).default([]),
});

export type ModelsConfig = z.infer<typeof modelsConfigSchema>;

export { configPath };

export function modelsDir(dataDir: string): string {
  return path.join(dataDir, 'models');
}

export function loadModelsConfig(dataDir: string): Promise<ModelsConfig> {
  return readConfigSection(dataDir, 'models', modelsConfigSchema);
}
