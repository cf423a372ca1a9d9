/**
 * What one answer run accumulates: tool calls, retrieved passages in order,
 * model steps, prompts and raw outputs (hashed for the audit), and events.
 */
import { sha256Hex } from '../core/hash.js';
import type { ScoredChunk } from '../core/types.js';
import type { AgentEvent, ModelStep, RetrievedChunk, ToolCallRecord } from './types.js';

export class RunState {
  readonly started = performance.now();
  readonly toolCalls: ToolCallRecord[] = [];
  readonly steps: ModelStep[] = [];
  readonly prompts: unknown[] = [];
  readonly rawOutputs: string[] = [];
  firstTokenMs: number | null = null;
  private readonly chunks = new Map<string, ScoredChunk>();
  private calls = 0;

  constructor(private readonly listener?: (e: AgentEvent) => void) {}

  emit(e: AgentEvent): void {
    if (!this.listener) return;
    try {
      this.listener(e);
    } catch {
      // A failing listener must not break the answer.
    }
  }

  nextCallId(): string {
    return `call-${++this.calls}`;
  }

  addChunks(chunks: readonly ScoredChunk[]): void {
    for (const c of chunks) if (!this.chunks.has(c.id)) this.chunks.set(c.id, c);
  }

  /** Passages retrieved in this run, in retrieval order. */
  get retrievedChunks(): ScoredChunk[] {
    return [...this.chunks.values()];
  }

  retrievedRecords(extra: readonly ScoredChunk[] = []): RetrievedChunk[] {
    const all = new Map(this.chunks);
    for (const c of extra) if (!all.has(c.id)) all.set(c.id, c);
    return [...all.values()].map((c) => ({ chunkId: c.id, sourceId: c.sourceId, marking: c.marking, contentHash: sha256Hex(c.text), score: c.score }));
  }

  markFirstToken(): void {
    if (this.firstTokenMs === null) this.firstTokenMs = Math.round(performance.now() - this.started);
  }

  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  promptHash(): string {
    return sha256Hex(JSON.stringify(this.prompts));
  }

  rawOutputHash(): string | null {
    return this.rawOutputs.length === 0 ? null : sha256Hex(JSON.stringify(this.rawOutputs));
  }
}
