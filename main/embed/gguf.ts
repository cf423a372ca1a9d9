import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Embedder } from './embedder.js';
import type { LlamaEmbeddingContext as EmbeddingContext, LlamaModel } from 'node-llama-cpp';

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Embeddings from a GGUF model an administrator placed in DATA/models, run
 * by node-llama-cpp on the CPU. The id names the file and its hash, so a
 * replaced file with the same name is a different embedder. Threads are
 * pinned to 2: the library default oversubscribes small machines badly.
 */
export class GgufEmbedder implements Embedder {
  readonly trained = true;
  private constructor(
    readonly id: string,
    readonly dimension: number,
    readonly file: string,
    private readonly model: LlamaModel,
    private readonly context: EmbeddingContext,
    private readonly maxTokens: number,
  ) {}

  static idFor(file: string, sha256: string): string {
    return `gguf:${path.basename(file)}@${sha256.slice(0, 12)}`;
  }

  static async load(file: string, opts: { threads?: number } = {}): Promise<GgufEmbedder> {
    const { getLlama } = await import('node-llama-cpp');
    const [sha, llama] = await Promise.all([fileSha256(file), getLlama({ gpu: false, build: 'never', logLevel: 'error' as never })]);
    const model = await llama.loadModel({ modelPath: file });
    const contextSize = Math.min(2048, model.trainContextSize);
    const context = await model.createEmbeddingContext({ threads: opts.threads ?? 2, contextSize });
    return new GgufEmbedder(GgufEmbedder.idFor(file, sha), model.embeddingVectorSize, file, model, context, contextSize - 8);
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const t of texts) {
      // Long passages are cut to the context; the leading text carries most of a passage's topic.
      const tokens = this.model.tokenize(t).slice(0, this.maxTokens);
      const e = await this.context.getEmbeddingFor(tokens);
      const v = Float32Array.from(e.vector);
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
      out.push(v);
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}
