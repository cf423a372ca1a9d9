/**
 * Turning a run into the answer the lead records and shows: distinct
 * citations, the joined answer text, the model and its parameters, hashes.
 */
import type { Citation, ScoredChunk } from '../core/types.js';
import type { Conversation } from './conversation.js';
import type { RunState } from './run-state.js';
import type { AgentAnswer, AgentSentence, AnswerProvider, AnswerStatus, CitationVerdict } from './types.js';

export const UNSUPPORTED_MARK = '[unsupported]';

export function distinctCitations(sentences: readonly AgentSentence[]): Citation[] {
  const out: Citation[] = [];
  const seen = new Set<string>();
  for (const c of sentences.filter((s) => s.supported).flatMap((s) => s.citations)) {
    const key = `${c.chunkId}:${c.start}:${c.end}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(c);
    }
  }
  return out;
}

export interface FinishInput {
  status: AnswerStatus;
  sentences: AgentSentence[];
  check: CitationVerdict | null;
  note?: string;
  parameters: Record<string, unknown>;
  nonce: string;
}

export function buildAnswer(provider: AnswerProvider, run: RunState, conversation: Conversation, f: FinishInput): AgentAnswer {
  const citations = distinctCitations(f.sentences);
  // Passages cited from earlier turns belong in the record too (their markings roll into the banner).
  const earlier = citations.map((c) => conversation.resolve(c.chunkId)).filter((c): c is ScoredChunk => c !== undefined);
  const description = provider.describe();
  return {
    status: f.status,
    answer: f.sentences.map((s) => (s.supported ? s.text : `${UNSUPPORTED_MARK} ${s.text}`)).join(' '),
    found: f.sentences.some((s) => s.supported),
    sentences: f.sentences,
    citations,
    model: { id: provider.id, kind: description.kind, name: description.name, description, parameters: f.parameters },
    promptHash: run.promptHash(),
    nonce: f.nonce,
    rawOutputHash: run.rawOutputHash(),
    toolCalls: run.toolCalls,
    retrieved: run.retrievedRecords(earlier),
    check: f.check,
    steps: run.steps,
    ...(f.note ? { note: f.note } : {}),
    timings: { firstTokenMs: run.firstTokenMs, totalMs: run.elapsed() },
  };
}
