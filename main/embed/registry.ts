import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import type { Embedder } from './embedder.js';
import { GgufEmbedder } from './gguf.js';
import { HashedEmbedder } from './hashed.js';
import { inspectOnnxModel, OnnxEmbedder, type OnnxModelInfo } from './onnx.js';

/** Where administrators place model files. */
export function modelsDir(dataDir: string): string {
  return path.join(dataDir, 'models');
}

export interface EmbedderChoice {
  /** What the user types: "hashed", "hashed-512", or a model file name in DATA/models. */
  name: string;
  kind: 'built-in' | 'gguf' | 'onnx';
  file?: string;
}

/** ONNX model folders in DATA/models, embedders and cross-encoders alike. */
export async function listOnnxModels(dataDir: string): Promise<OnnxModelInfo[]> {
  const out: OnnxModelInfo[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(modelsDir(dataDir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const info = await inspectOnnxModel(path.join(modelsDir(dataDir), e.name));
    if (info) out.push(info);
  }
  return out;
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
  for (const m of await listOnnxModels(dataDir)) if (m.role === 'embedder') out.push({ name: m.name, kind: 'onnx', file: m.file });
  return out;
}

const HASHED = /^(?:hashed|cairn-hashed-v1)(?:-(\d+))?$/;

/** Loads an embedder by user-facing name ("hashed", "model.gguf", an ONNX model folder's name). */
export async function loadEmbedder(name: string, dataDir: string): Promise<Embedder> {
  const m = HASHED.exec(name);
  if (m) return new HashedEmbedder(m[1] ? Number(m[1]) : undefined);
  const file = path.join(modelsDir(dataDir), path.basename(name));
  if (!name.toLowerCase().endsWith('.gguf')) {
    const onnx = await inspectOnnxModel(file);
    if (onnx) return OnnxEmbedder.load(onnx);
    throw new CairnError('NOT_FOUND', `unknown embedder ${JSON.stringify(name)}: use "hashed", a .gguf file or an ONNX model folder (config.json, tokenizer.json, onnx/model.onnx) placed in ${modelsDir(dataDir)}`, { input: name });
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
  const model = /^(?:gguf|onnx):(.+)@([0-9a-f]{12})$/.exec(id);
  if (model) {
    const e = await loadEmbedder(model[1]!, dataDir);
    if (e.id !== id) {
      throw new CairnError('STORE_MISMATCH', `the store was embedded with ${id} but ${model[1]} in ${modelsDir(dataDir)} has changed (now ${e.id}); restore the file or re-embed`, { input: id });
    }
    return e;
  }
  throw new CairnError('STORE_MISMATCH', `the store is pinned to an embedder this version does not know: ${id}`, { input: id });
}
