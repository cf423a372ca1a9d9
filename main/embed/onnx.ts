import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import type * as TransformersModule from '@huggingface/transformers';
import type { Embedder } from './embedder.js';

/**
 * ONNX models an administrator placed in DATA/models, run by transformers.js
 * on onnxruntime-node (CPU). A model is a folder in the Hugging Face layout
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx or
 * onnx/model_quantized.onnx). Remote loading is switched off before every
 * load, so a missing file is an error, never a download.
 */

/** Threads for onnxruntime: the machine's cores, capped, as node-llama-cpp gets. */
const ORT_THREADS = 2;

export type OnnxModelRole = 'embedder' | 'reranker';

export interface OnnxModelInfo {
  /** Folder name in DATA/models: what the user types. */
  name: string;
  dir: string;
  role: OnnxModelRole;
  /** The weights file used and its dtype for transformers.js. */
  file: string;
  dtype: 'fp32' | 'q8';
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Describes the ONNX model in `dir`, or null if the folder is not one. A
 * sequence-classification architecture is a cross-encoder (reranker);
 * anything else is read as a sentence embedder.
 */
export async function inspectOnnxModel(dir: string): Promise<OnnxModelInfo | null> {
  const fp32 = path.join(dir, 'onnx', 'model.onnx');
  const q8 = path.join(dir, 'onnx', 'model_quantized.onnx');
  const configFile = path.join(dir, 'config.json');
  const [hasFp32, hasQ8, hasConfig, hasTokenizer] = await Promise.all([exists(fp32), exists(q8), exists(configFile), exists(path.join(dir, 'tokenizer.json'))]);
  if (!hasConfig || !hasTokenizer || (!hasFp32 && !hasQ8)) return null;
  let architectures: unknown;
  try {
    architectures = (JSON.parse(await readFile(configFile, 'utf8')) as { architectures?: unknown }).architectures;
  } catch {
    return null;
  }
  const isReranker = Array.isArray(architectures) && architectures.some((a) => typeof a === 'string' && a.endsWith('ForSequenceClassification'));
  return { name: path.basename(dir), dir, role: isReranker ? 'reranker' : 'embedder', file: hasFp32 ? fp32 : q8, dtype: hasFp32 ? 'fp32' : 'q8' };
}

type Transformers = typeof TransformersModule;

/** Loads transformers.js with every remote path closed and the model's parent as the only source. */
async function offlineTransformers(info: OnnxModelInfo): Promise<Transformers> {
  const t = await import('@huggingface/transformers');
  t.env.allowRemoteModels = false;
  t.env.allowLocalModels = true;
  t.env.localModelPath = path.dirname(info.dir) + path.sep;
  t.env.useBrowserCache = false;
  return t;
}

function loadOptions(info: OnnxModelInfo): { local_files_only: true; dtype: 'fp32' | 'q8'; device: 'cpu'; session_options: { intraOpNumThreads: number; interOpNumThreads: number } } {
  return { local_files_only: true, dtype: info.dtype, device: 'cpu', session_options: { intraOpNumThreads: ORT_THREADS, interOpNumThreads: 1 } };
}

function loadError(info: OnnxModelInfo, e: unknown): CairnError {
  return new CairnError('NOT_FOUND', `cannot load ONNX model ${info.dir}: ${(e as Error).message}`, { input: info.name, cause: e });
}

/** Passages per model call: bounds memory on long passages without per-text overhead. */
const BATCH = 16;

/**
 * Sentence embeddings: mean pooling over the last hidden state, L2-normalised.
 * The id names the folder and the weights' hash, so a replaced model is a
 * different embedder and the store refuses to mix their vectors.
 */
export class OnnxEmbedder implements Embedder {
  readonly trained = true;
  private constructor(
    readonly id: string,
    readonly dimension: number,
    private readonly extract: (texts: string[]) => Promise<{ data: Float32Array | number[]; dims: number[] }>,
  ) {}

  static idFor(info: OnnxModelInfo, sha256: string): string {
    return `onnx:${info.name}@${sha256.slice(0, 12)}`;
  }

  static async load(info: OnnxModelInfo): Promise<OnnxEmbedder> {
    if (info.role !== 'embedder') throw new CairnError('BAD_INPUT', `${info.name} is a reranker (sequence classification), not an embedding model`, { input: info.name });
    const [t, sha] = await Promise.all([offlineTransformers(info), fileSha256(info.file)]);
    let pipe: Awaited<ReturnType<Transformers['pipeline']>>;
    try {
      pipe = await t.pipeline('feature-extraction', info.name, loadOptions(info));
    } catch (e) {
      throw loadError(info, e);
    }
    const extract = async (texts: string[]): Promise<{ data: Float32Array | number[]; dims: number[] }> => {
      const out = (await (pipe as unknown as (x: string[], o: object) => Promise<{ data: Float32Array; dims: number[] }>)(texts, { pooling: 'mean', normalize: true }));
      return { data: out.data, dims: out.dims };
    };
    const probe = await extract(['dimension probe']);
    const dimension = probe.dims[probe.dims.length - 1]!;
    return new OnnxEmbedder(OnnxEmbedder.idFor(info, sha), dimension, extract);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH).map((s) => (s.trim() === '' ? ' ' : s));
      const { data } = await this.extract(batch);
      for (let j = 0; j < batch.length; j++) out.push(Float32Array.from(data.slice(j * this.dimension, (j + 1) * this.dimension)));
    }
    return out;
  }
}

/**
 * A cross-encoder: reads the question and a passage together and scores how
 * well the passage answers it. Used to re-order the first retrieved
 * candidates, where reading each pair is affordable.
 */
export class OnnxReranker {
  private constructor(
    readonly id: string,
    private readonly score: (query: string, passages: string[]) => Promise<number[]>,
  ) {}

  static async load(info: OnnxModelInfo): Promise<OnnxReranker> {
    if (info.role !== 'reranker') throw new CairnError('BAD_INPUT', `${info.name} is not a cross-encoder: its config.json names no *ForSequenceClassification architecture`, { input: info.name });
    const [t, sha] = await Promise.all([offlineTransformers(info), fileSha256(info.file)]);
    let tokenizer: Awaited<ReturnType<Transformers['AutoTokenizer']['from_pretrained']>>;
    let model: Awaited<ReturnType<Transformers['AutoModelForSequenceClassification']['from_pretrained']>>;
    try {
      [tokenizer, model] = await Promise.all([
        t.AutoTokenizer.from_pretrained(info.name, { local_files_only: true }),
        t.AutoModelForSequenceClassification.from_pretrained(info.name, loadOptions(info)),
      ]);
    } catch (e) {
      throw loadError(info, e);
    }
    const score = async (query: string, passages: string[]): Promise<number[]> => {
      const scores: number[] = [];
      for (let i = 0; i < passages.length; i += BATCH) {
        const batch = passages.slice(i, i + BATCH);
        const inputs = (tokenizer as unknown as (a: string[], o: object) => unknown)(
          batch.map(() => query),
          { text_pair: batch, padding: true, truncation: true },
        );
        const { logits } = (await (model as unknown as (x: unknown) => Promise<{ logits: { data: Float32Array; dims: number[] } }>)(inputs));
        const labels = logits.dims[1] ?? 1;
        // One logit: the relevance score. Two: [irrelevant, relevant], take the second.
        for (let j = 0; j < batch.length; j++) scores.push(logits.data[j * labels + (labels > 1 ? 1 : 0)]!);
      }
      return scores;
    };
    return new OnnxReranker(`onnx-rerank:${info.name}@${sha.slice(0, 12)}`, score);
  }

  /** Relevance score of each passage for the query, in input order (higher is better). */
  rank(query: string, passages: readonly string[]): Promise<number[]> {
    return this.score(query, [...passages]);
  }
}
