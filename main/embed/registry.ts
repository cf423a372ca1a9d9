import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import type { Embedder } from './embedder.js';
import { GgufEmbedder } from './gguf.js';
import { HashedEmbedder } from './hashed.js';

/** Where administrators place model files. */
export function modelsDir(dataDir: string): string {
  return path.join(dataDir, 'models');
}

export interface EmbedderChoice {
  /** What the user types: "hashed", "hashed-512", or a model file name in DATA/models. */
  name: string;
  kind: 'built-in' | 'gguf';
  file?: string;
}

/** Every embedder this installation can use: the built-in one and each GGUF file in DATA/models. */
export async function listEmbedders(dataDir: string): Promise<EmbedderChoice[]> {
  const out: EmbedderChoice[] = [{ name: 'hashed', kind: 'built-in' }];
  try {
    for (const f of (await readdir(modelsDir(dataDir))).sort()) {
      if (f.toLowerCase().endsWith('.gguf')) out.push({ name: f, kind: 'gguf', file: path.join(modelsDir(dataDir), f) });
    }
  } catch {
    // No models folder: only the built-in embedder.
  }
  return out;
}

const HASHED = /^(?:hashed|cairn-hashed-v1)(?:-(\d+))?$/;

/** Loads an embedder by user-facing name ("hashed", "model.gguf"). */
export async function loadEmbedder(name: string, dataDir: string): Promise<Embedder> {
  const m = HASHED.exec(name);
  if (m) return new HashedEmbedder(m[1] ? Number(m[1]) : undefined);
  const file = path.join(modelsDir(dataDir), path.basename(name));
  if (!name.toLowerCase().endsWith('.gguf')) {
    throw new CairnError('NOT_FOUND', `unknown embedder ${JSON.stringify(name)}: use "hashed" or a .gguf file placed in ${modelsDir(dataDir)}`, { input: name });
  }
  try {
    return await GgufEmbedder.load(file);
  } catch (e) {
    throw new CairnError('NOT_FOUND', `cannot load embedding model ${file}: ${(e as Error).message}`, { input: name, cause: e });
  }
}

/**
 * The embedder a store is pinned to, from its id: the built-in one by
 * dimension, a GGUF model by file name and hash (refused if the file changed).
 */
export async function embedderForId(id: string, dataDir: string): Promise<Embedder> {
  const hashed = /^cairn-hashed-v1-(\d+)$/.exec(id);
  if (hashed) return new HashedEmbedder(Number(hashed[1]));
  const gguf = /^gguf:(.+)@([0-9a-f]{12})$/.exec(id);
  if (gguf) {
    const e = await loadEmbedder(gguf[1]!, dataDir);
    if (e.id !== id) {
      throw new CairnError('STORE_MISMATCH', `the store was embedded with ${id} but ${gguf[1]} in ${modelsDir(dataDir)} has changed (now ${e.id}); restore the file or re-embed`, { input: id });
    }
    return e;
  }
  throw new CairnError('STORE_MISMATCH', `the store is pinned to an embedder this version does not know: ${id}`, { input: id });
}
