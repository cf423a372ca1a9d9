/**
 * The agent's vocabulary: chat messages, providers, tool calls, events and
 * answers. Plain types only; no I/O, no LangChain.
 */
import type { Citation, ScoredChunk } from '../core/types.js';

/** A JSON Schema object (draft 2020-12 subset), as sent to providers. */
export type JsonSchema = Record<string, unknown>;

export interface ToolCallRequest {
  /** Provider-assigned id for native tool calls, agent-assigned otherwise. */
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  /** `toolCalls` only when the provider returned native tool calls. */
  | { role: 'assistant'; content: string; toolCalls?: ToolCallRequest[] }
  | { role: 'tool'; content: string; toolCallId: string; name: string };

/** A tool as a provider sees it (for native tool calling). */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

export interface GenerateOptions {
  /** JSON Schema the reply must follow (grammar, JSON mode, response format). */
  schema?: JsonSchema;
  schemaName?: string;
  /** Tools a provider may offer natively; the JSON protocol in `schema` covers them too. */
  tools?: ToolSpec[];
  signal: AbortSignal;
  onToken?: (text: string) => void;
  maxTokens: number;
  temperature: number;
  seed?: number;
}

export interface GenerateResult {
  /** The raw text the model produced (JSON under the agent's protocol). */
  text: string;
  /** Native tool calls, when the provider supports and returned them. */
  toolCalls: ToolCallRequest[];
  finishReason?: string;
}

/** What `cairn models list` and the audit record say about a provider. */
export interface ProviderDescription {
  /** What the user types: "extractive", a GGUF file name, a configured endpoint name. */
  name: string;
  /** Registered provider kind: "extractive", "llama-cpp", "openai", "ollama", "langchain". */
  kind: string;
  /** Stable id recorded in audits: names the weights (file + sha256) or endpoint + model. */
  id: string;
  /** Model name or file name. */
  model: string;
  file?: string;
  sha256?: string;
  endpoint?: string;
  contextSize?: number;
  /** Provider settings worth recording (threads, structured-output mode...). */
  settings?: Record<string, unknown>;
}

/** A provider that chats: any LLM behind the one interface. */
export interface ChatProvider {
  readonly mode: 'chat';
  readonly id: string;
  describe(): ProviderDescription;
  generate(messages: readonly ChatMessage[], opts: GenerateOptions): Promise<GenerateResult>;
  /** Embedding vectors from the same weights, when the provider can. */
  embed?(texts: readonly string[]): Promise<Float32Array[]>;
  dispose?(): Promise<void>;
}

/** A provider that composes an answer straight from passages (no model). */
export interface ComposerProvider {
  readonly mode: 'compose';
  readonly id: string;
  describe(): ProviderDescription;
  compose(question: string, chunks: readonly ScoredChunk[]): { sentences: { text: string; citations: Citation[] }[]; found: boolean; bestCoverage: number };
  dispose?(): Promise<void>;
}

export type AnswerProvider = ChatProvider | ComposerProvider;

/** One tool call made during an answer, as recorded for the audit. */
export interface ToolCallRecord {
  callId: string;
  tool: string;
  args: Record<string, unknown>;
  /** 'agent' for the seeding search the agent runs itself, 'model' for calls the model asked for. */
  by: 'agent' | 'model';
  /** Chunks the call returned (the only ids the answer may cite). */
  chunkIds: string[];
  /** sha256 of each returned chunk's text, parallel to chunkIds. */
  contentHashes: string[];
  ms: number;
  /** Why the call was refused or failed (unknown tool, bad arguments, store error). */
  error?: string;
}

/** A sentence as shown to the user. */
export interface AgentSentence {
  text: string;
  /** Empty when unsupported: an unsupported sentence is never shown as cited. */
  citations: Citation[];
  supported: boolean;
  /** Why a sentence is unsupported. */
  reason?: string;
}

/** The checker's verdict on one sentence the model proposed. */
export interface CheckedSentence extends AgentSentence {
  /** The references the model gave, verbatim. */
  claimed: string[];
  /** Claimed ids that were never retrieved in this conversation. */
  rejectedIds: string[];
  /** Content terms, numbers or names found in none of the cited passages. */
  unsupportedTerms: string[];
}

export interface CitationVerdict {
  proposed: number;
  supported: number;
  unsupported: number;
  rejectedIds: string[];
  sentences: CheckedSentence[];
}

export interface RetrievedChunk {
  chunkId: string;
  sourceId: string;
  marking: string;
  contentHash: string;
  score: number;
}

export interface ModelStep {
  step: number;
  promptHash: string;
  rawOutputHash: string;
  ms: number;
  firstTokenMs: number | null;
  /** What the step asked for: a tool name, "answer", or "malformed". */
  outcome: string;
}

export type AnswerStatus = 'answered' | 'fallback' | 'cancelled';

export interface AgentAnswer {
  status: AnswerStatus;
  /** Shown sentences joined; empty when nothing was found. */
  answer: string;
  found: boolean;
  sentences: AgentSentence[];
  /** Distinct citations of the shown, supported sentences. */
  citations: Citation[];
  model: { id: string; kind: string; name: string; description: ProviderDescription; parameters: Record<string, unknown> };
  /** sha256 of the JSON of every prompt sent to the model, in order (extractive path: the question and the passage ids). */
  promptHash: string;
  /** The data-block delimiter nonce of this answer's prompts (needed to rebuild them for a replay). */
  nonce: string;
  /** sha256 of the model's raw outputs, in order. */
  rawOutputHash: string | null;
  toolCalls: ToolCallRecord[];
  /** Every chunk retrieved during this answer, in retrieval order: markings for the banner, hashes for the audit. */
  retrieved: RetrievedChunk[];
  /** The citation check of the model's proposal (null on the extractive path or when the model failed). */
  check: CitationVerdict | null;
  steps: ModelStep[];
  /** Why the answer is not the model's own (fallback) or was cut short. */
  note?: string;
  timings: { firstTokenMs: number | null; totalMs: number };
}

export type AgentEvent =
  | { type: 'token'; text: string; step: number }
  | { type: 'tool_start'; callId: string; tool: string; args: Record<string, unknown>; by: 'agent' | 'model' }
  | { type: 'tool_end'; callId: string; tool: string; chunkIds: string[]; ms: number; error?: string }
  | { type: 'sentence'; index: number; sentence: AgentSentence }
  | { type: 'error'; reason: string; message: string; recovered: boolean }
  | { type: 'done'; answer: AgentAnswer };
