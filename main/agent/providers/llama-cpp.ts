/**
 * Any GGUF chat model an administrator places in DATA/models, run on the CPU
 * by node-llama-cpp. The chat template comes from the file; structured output
 * is enforced by a grammar built from the JSON schema, so every reply parses.
 * Threads default to 2 (the library default oversubscribes small machines,
 * about 100x slower). Loads only local files; never downloads or builds.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChatHistoryItem, Llama, LlamaChat, LlamaContext, LlamaEmbeddingContext, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import { z } from 'zod';
import { ModelFailure } from '../errors.js';
import type { ChatMessage, ChatProvider, GenerateOptions, GenerateResult, JsonSchema, ProviderDescription } from '../types.js';
import { toGbnfSchema } from './gbnf-schema.js';
import { plainTurns } from './messages.js';

export const llamaSettingsSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('llama-cpp'),
  /** Absolute path of the .gguf file. */
  file: z.string().min(1),
  threads: z.number().int().min(1).default(2),
  /** Tokens of context; default min(training context, 4096). */
  contextSize: z.number().int().positive().optional(),
  description: z.string().optional(),
});

export type LlamaSettings = z.infer<typeof llamaSettingsSchema>;

export const LLAMA_DEFAULTS = { threads: 2, maxContext: 4096 } as const;

let llamaPromise: Promise<Llama> | null = null;

/** The one llama.cpp runtime: prebuilt CPU binary, no build, no download. */
export function sharedLlama(): Promise<Llama> {
  llamaPromise ??= import('node-llama-cpp').then(({ getLlama }) => getLlama({ gpu: false, build: 'never', logLevel: 'error' as never }));
  return llamaPromise;
}

const shaCache = new Map<string, string>();

async function fileSha256(file: string): Promise<string> {
  const st = await stat(file);
  const key = `${file}:${st.size}:${st.mtimeMs}`;
  const cached = shaCache.get(key);
  if (cached) return cached;
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  const hex = h.digest('hex');
  shaCache.set(key, hex);
  return hex;
}

function historyOf(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const out: ChatHistoryItem[] = plainTurns(messages).map((m): ChatHistoryItem => (m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content }));
  out.push({ type: 'model', response: [] });
  return out;
}

export class LlamaCppProvider implements ChatProvider {
  readonly mode = 'chat' as const;
  readonly id: string;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private embedding: Promise<LlamaEmbeddingContext> | null = null;

  private constructor(
    private readonly s: LlamaSettings,
    readonly sha256: string,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly chat: LlamaChat,
  ) {
    this.id = `llama-cpp:${path.basename(s.file)}@${sha256.slice(0, 12)}`;
  }

  static async load(settings: LlamaSettings): Promise<LlamaCppProvider> {
    const { LlamaChat } = await import('node-llama-cpp');
    const [sha, llama] = await Promise.all([fileSha256(settings.file), sharedLlama()]);
    const model = await llama.loadModel({ modelPath: settings.file });
    const contextSize = settings.contextSize ?? Math.min(model.trainContextSize, LLAMA_DEFAULTS.maxContext);
    const context = await model.createContext({ threads: settings.threads, contextSize });
    const chat = new LlamaChat({ contextSequence: context.getSequence() });
    return new LlamaCppProvider(settings, sha, llama, model, context, chat);
  }

  describe(): ProviderDescription {
    return {
      name: this.s.name,
      kind: 'llama-cpp',
      id: this.id,
      model: path.basename(this.s.file),
      file: this.s.file,
      sha256: this.sha256,
      contextSize: this.context.contextSize,
      settings: { threads: this.s.threads, chatTemplate: this.chat.chatWrapper.wrapperName, gpu: false },
    };
  }

  private grammar(schema: JsonSchema): Promise<LlamaGrammar> {
    const gbnf = toGbnfSchema(schema);
    const key = JSON.stringify(gbnf);
    let g = this.grammars.get(key);
    if (!g) {
      g = this.llama.createGrammarForJsonSchema(gbnf as never) as Promise<LlamaGrammar>;
      this.grammars.set(key, g);
      if (this.grammars.size > 64) this.grammars.delete(this.grammars.keys().next().value!);
    }
    return g;
  }

  /** Refuses a prompt that cannot fit with room for the reply: better a clear fallback than a silently cut prompt. */
  private checkFits(messages: readonly ChatMessage[], maxTokens: number): void {
    const prompt = messages.reduce((n, m) => n + this.model.tokenize(m.content).length + 8, 0);
    const room = this.context.contextSize - Math.min(maxTokens, Math.floor(this.context.contextSize / 4));
    if (prompt > room) throw new ModelFailure('overflow', `the prompt needs about ${prompt} tokens but ${path.basename(this.s.file)} has a ${this.context.contextSize}-token context`);
  }

  generate(messages: readonly ChatMessage[], opts: GenerateOptions): Promise<GenerateResult> {
    const run = async (): Promise<GenerateResult> => {
      this.checkFits(messages, opts.maxTokens);
      const grammar = opts.schema ? await this.grammar(opts.schema) : undefined;
      const r = await this.chat.generateResponse(historyOf(messages), {
        ...(grammar ? { grammar } : {}),
        maxTokens: opts.maxTokens,
        temperature: opts.temperature,
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        signal: opts.signal,
        onTextChunk: (t) => opts.onToken?.(t),
        contextShift: {
          strategy: () => {
            throw new ModelFailure('overflow', `the conversation outgrew the ${this.context.contextSize}-token context of ${path.basename(this.s.file)}`);
          },
        },
      });
      return { text: r.response, toolCalls: [], finishReason: r.metadata.stopReason };
    };
    // One sequence, one generation at a time.
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Embedding vectors from the same weights (unit length). */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedding ??= this.model.createEmbeddingContext({ threads: this.s.threads, contextSize: Math.min(this.model.trainContextSize, 2048) });
    const ctx = await this.embedding;
    const out: Float32Array[] = [];
    for (const t of texts) {
      const v = Float32Array.from((await ctx.getEmbeddingFor(t)).vector);
      let sq = 0;
      for (const x of v) sq += x * x;
      const norm = Math.sqrt(sq);
      if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
      out.push(v);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.embedding) await (await this.embedding).dispose();
    this.chat.dispose();
    await this.context.dispose();
    await this.model.dispose();
  }
}
