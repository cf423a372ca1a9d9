/**
 * What the renderer calls, typed from the one contract (main/api/contract.ts,
 * types only: the renderer bundles no zod and no main/ code).
 */
import type {
  AnswerOutput,
  ApiErrorBody,
  ApiResult,
  AskInput,
  AuditRecordOutput,
  ChunkViewOutput,
  OpName,
  SearchInput,
  SearchOutput,
  SourceOutput,
  StreamEvent as ContractStreamEvent,
  TracksInput,
  TracksOutput,
  VerifyOutput,
  IngestOutput,
  ConversationOutput,
  ConversationSummaryOutput,
  OpInput,
  OpOutput,
} from '../../../main/api/contract.js';

export type { AnswerOutput, ApiErrorBody, ApiResult, AskInput, OpName, SearchInput, SearchOutput, TracksInput, TracksOutput };
export type Citation = AnswerOutput['citations'][number];
/** A sentence; a citation check may add `supported: false` and its `reason`. */
export type Sentence = AnswerOutput['sentences'][number] & { supported?: boolean; reason?: string; /** A reopened turn's sentence that cites a passage now above the reader's clearance. */ withheld?: boolean };
export type Observation = TracksOutput['observations'][number];
export type SearchHit = SearchOutput['hits'][number];
export type SourceRow = SourceOutput;
export type AuditRecordRow = AuditRecordOutput;
export type VerifyResultRow = VerifyOutput;
export type AuditExport = OpOutput<'auditExport'>;
export type ChunkView = ChunkViewOutput;
export type Passage = ChunkViewOutput['chunk'];
export type IngestSummary = IngestOutput;
export type ConversationView = ConversationOutput;
export type ConversationSummary = ConversationSummaryOutput;
export type FeedbackInput = OpInput<'feedback'>;
export type FeedbackResult = OpOutput<'feedback'>;
export type FeedbackListInput = OpInput<'feedbackList'>;
export type FeedbackRow = OpOutput<'feedbackList'>[number];

/** An original's bytes, as the viewer draws them. */
export interface SourceBytes {
  mime: string;
  data: Uint8Array;
}

/** A file saved into the inbox by an upload, ready for the ingest operation. */
export interface SavedUpload {
  path: string;
  name: string;
  bytes: number;
  sha256: string;
}

/** One message of a streamed call before its result (`sentence`, `progress`, or one a newer back end adds). */
export type StreamEvent = ContractStreamEvent | { event: string; data: unknown };

/** How calls reach Cairn: Electron IPC or loopback HTTP. */
export interface Transport {
  readonly kind: 'electron' | 'http';
  /** Calls `op`; throws OpUnavailableError when the back end has no such operation. */
  call(op: OpName, input: unknown): Promise<unknown>;
  /** Calls `op` reporting its events to `onEvent` before resolving to its result. */
  stream(op: OpName, input: unknown, onEvent: (e: StreamEvent) => void): Promise<unknown>;
  /** An original's raw bytes (HTTP: GET /api/content/<id>); absent where only JSON travels (IPC uses sourceContent). */
  content?(sourceId: string): Promise<SourceBytes>;
  /** Sends a file into the inbox, reporting bytes sent; absent where files cannot be sent (IPC). */
  upload?(file: Blob, name: string, onProgress?: (sent: number, total: number) => void): Promise<SavedUpload>;
  /** Ingests dropped files where they lie (the desktop shell: their paths never pass through the page); absent elsewhere. */
  ingestDropped?(files: File[], input: { marking?: string }, onEvent: (e: StreamEvent) => void): Promise<IngestSummary>;
}
