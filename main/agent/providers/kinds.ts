/**
 * The built-in provider kinds: extractive, llama.cpp (GGUF files in
 * DATA/models), OpenAI-compatible and Ollama endpoints (DATA/config.json).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ExtractiveProvider, EXTRACTIVE_NAME } from './extractive.js';
import { modelsDir } from './config.js';
import { endpointEntries, type ProviderEntry, type ProviderKind } from './kind.js';
import { LLAMA_DEFAULTS, LlamaCppProvider, llamaSettingsSchema } from './llama-cpp.js';
import { OllamaProvider, ollamaSettingsSchema } from './ollama.js';
import { OpenAiProvider, openAiSettingsSchema } from './openai.js';

export const extractiveKind: ProviderKind = {
  kind: 'extractive',
  async discover() {
    return [{ name: EXTRACTIVE_NAME, kind: 'extractive', summary: 'built-in extractive composer: quotes cited sentences, no model', settings: {} }];
  },
  async create() {
    return new ExtractiveProvider();
  },
};

// Encoder-only architectures: embedding models, not chat models.
const ENCODERS = /^(?:bert|nomic-bert|nomic-bert-moe|jina-bert-v2|t5encoder|neo-bert|modern-bert)$/;

async function architecture(file: string): Promise<string | undefined> {
  try {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const info = await readGgufFileInfo(file, { readTensorInfo: false });
    return info.metadata.general?.architecture as string | undefined;
  } catch {
    return undefined;
  }
}

export const llamaKind: ProviderKind = {
  kind: 'llama-cpp',
  async discover(env) {
    let files: string[];
    try {
      files = (await readdir(modelsDir(env.dataDir))).filter((f) => f.toLowerCase().endsWith('.gguf')).sort();
    } catch {
      return [];
    }
    const out: ProviderEntry[] = [];
    for (const f of files) {
      const file = path.join(modelsDir(env.dataDir), f);
      const arch = await architecture(file);
      if (arch && ENCODERS.test(arch)) continue;
      out.push({
        name: f,
        kind: 'llama-cpp',
        summary: `GGUF ${arch ?? 'model'} in ${modelsDir(env.dataDir)} (llama.cpp, CPU)`,
        settings: { file, threads: env.config.llama.threads ?? LLAMA_DEFAULTS.threads, ...(env.config.llama.contextSize ? { contextSize: env.config.llama.contextSize } : {}) },
      });
    }
    return out;
  },
  async create(entry) {
    return LlamaCppProvider.load(llamaSettingsSchema.parse({ ...entry.settings, name: entry.name, kind: 'llama-cpp' }));
  },
};

export const openAiKind: ProviderKind = {
  kind: 'openai',
  async discover(env) {
    return endpointEntries(env, 'openai', (raw) => openAiSettingsSchema.safeParse(raw));
  },
  async create(entry, env) {
    const raw = env.config.endpoints.find((e) => e.name === entry.name && e.kind === 'openai') ?? entry.settings;
    return new OpenAiProvider(openAiSettingsSchema.parse(raw));
  },
};

export const ollamaKind: ProviderKind = {
  kind: 'ollama',
  async discover(env) {
    return endpointEntries(env, 'ollama', (raw) => ollamaSettingsSchema.safeParse(raw));
  },
  async create(entry, env) {
    const raw = env.config.endpoints.find((e) => e.name === entry.name && e.kind === 'ollama') ?? entry.settings;
    return new OllamaProvider(ollamaSettingsSchema.parse(raw));
  },
};

export const BUILT_IN_KINDS: readonly ProviderKind[] = [extractiveKind, llamaKind, openAiKind, ollamaKind];
