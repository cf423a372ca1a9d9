/**
 * The renderer's one door to Cairn: typed calls over whichever transport is
 * present (Electron's bridge, else loopback HTTP).
 */
import { HttpTransport } from './http.js';
import { electronBridge, IpcTransport } from './ipc.js';
import { takeToken } from './token.js';
import { CallError } from './errors.js';
import type { AnswerOutput, AskInput, AuditExport, AuditRecordRow, ChunkView, ConversationSummary, ConversationView, FeedbackInput, FeedbackListInput, FeedbackResult, FeedbackRow, IngestSummary, SavedUpload, SearchInput, SearchOutput, Sentence, SourceBytes, SourceRow, StreamEvent, TracksInput, TracksOutput, Transport, VerifyResultRow } from './types.js';

export interface IngestProgressEvent {
  done: number;
  total: number;
  file: string;
  status: string;
}

export interface AskProgress {
  /** Sentences streamed so far, in order. */
  sentences: Sentence[];
}

export class CairnClient {
  constructor(readonly transport: Transport) {}

  search(input: SearchInput): Promise<SearchOutput> {
    return this.transport.call('search', input) as Promise<SearchOutput>;
  }

  tracks(input: TracksInput): Promise<TracksOutput> {
    return this.transport.call('tracks', input) as Promise<TracksOutput>;
  }

  /** Asks, reporting each `sentence` event to `onProgress` as it arrives. */
  ask(input: AskInput, onProgress?: (p: AskProgress) => void): Promise<AnswerOutput> {
    if (!onProgress) return this.transport.call('ask', input) as Promise<AnswerOutput>;
    const sentences: Sentence[] = [];
    const onEvent = (e: StreamEvent): void => {
      const s = e.event === 'sentence' ? asSentence(e.data) : undefined;
      if (!s) return;
      const index = typeof (e.data as { index?: unknown }).index === 'number' ? (e.data as { index: number }).index : sentences.length;
      sentences[index] = s;
      onProgress({ sentences: sentences.filter(Boolean) });
    };
    return this.transport.stream('ask', input, onEvent) as Promise<AnswerOutput>;
  }

  /** The user's conversations, most recent first. */
  conversations(): Promise<ConversationSummary[]> {
    return this.transport.call('conversations', {}) as Promise<ConversationSummary[]>;
  }

  /** One conversation as its owner may read it now (passages above their clearance withheld). */
  conversation(id: string): Promise<ConversationView> {
    return this.transport.call('conversation', { id }) as Promise<ConversationView>;
  }

  /** Feedback on an answer, named by its auditId (audited; inherits the answer's banner). */
  feedback(input: FeedbackInput): Promise<FeedbackResult> {
    return this.transport.call('feedback', input) as Promise<FeedbackResult>;
  }

  feedbackList(input: FeedbackListInput = {}): Promise<FeedbackRow[]> {
    return this.transport.call('feedbackList', input) as Promise<FeedbackRow[]>;
  }

  sources(): Promise<SourceRow[]> {
    return this.transport.call('sources', {}) as Promise<SourceRow[]>;
  }

  auditRecords(): Promise<AuditRecordRow[]> {
    return this.transport.call('auditRecords', {}) as Promise<AuditRecordRow[]>;
  }

  auditVerify(): Promise<VerifyResultRow> {
    return this.transport.call('auditVerify', {}) as Promise<VerifyResultRow>;
  }

  /** An answer's PROV-JSON, or audit records as JSON Lines, as text to save (the export is audited). */
  auditExport(input: { format: 'prov' | 'jsonl'; answerId?: string }): Promise<AuditExport> {
    return this.transport.call('auditExport', input) as Promise<AuditExport>;
  }

  /** A passage with its neighbours and its source's viewer facts. */
  chunk(id: string, neighbours = 1): Promise<ChunkView> {
    return this.transport.call('chunk', { id, neighbours }) as Promise<ChunkView>;
  }

  /** The original PDF or image: raw over HTTP, base64 through the contract elsewhere. */
  async sourceContent(id: string): Promise<SourceBytes> {
    if (this.transport.content) return this.transport.content(id);
    const out = (await this.transport.call('sourceContent', { id })) as { mime: string; base64: string };
    const bin = atob(out.base64);
    const data = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
    return { mime: out.mime, data };
  }

  /** Whether dropped files can be sent from this window (loopback HTTP; the desktop ingests by path). */
  get canUpload(): boolean {
    return typeof this.transport.upload === 'function';
  }

  /** Whether dropped files can be ingested where they lie (the desktop shell). */
  get canIngestDropped(): boolean {
    return typeof this.transport.ingestDropped === 'function';
  }

  /** Ingests dropped files by their paths on this machine (desktop), reporting each file's `progress`. */
  ingestDropped(files: File[], input: { marking?: string }, onProgress?: (p: IngestProgressEvent) => void): Promise<IngestSummary> {
    if (!this.transport.ingestDropped) return Promise.reject(new CallError('this window cannot ingest dropped files; use `cairn ingest PATH`', 'UNSUPPORTED'));
    return this.transport.ingestDropped(files, input, (e) => {
      if (e.event === 'progress') onProgress?.(e.data as IngestProgressEvent);
    });
  }

  upload(file: Blob, name: string, onProgress?: (sent: number, total: number) => void): Promise<SavedUpload> {
    if (!this.transport.upload) return Promise.reject(new CallError('this window cannot send files; use `cairn ingest PATH`', 'UNSUPPORTED'));
    return this.transport.upload(file, name, onProgress);
  }

  /** Ingests files already on the Cairn machine, reporting each file's `progress`. */
  ingest(input: { paths: string[]; marking?: string }, onProgress?: (p: IngestProgressEvent) => void): Promise<IngestSummary> {
    const onEvent = (e: StreamEvent): void => {
      if (e.event === 'progress') onProgress?.(e.data as IngestProgressEvent);
    };
    return this.transport.stream('ingest', input, onEvent) as Promise<IngestSummary>;
  }
}

function asSentence(data: unknown): Sentence | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const o = data as Record<string, unknown>;
  if (typeof o.text !== 'string' || !Array.isArray(o.citations)) return undefined;
  const { index: _index, ...sentence } = o;
  return sentence as unknown as Sentence;
}

/** Electron's bridge when the preload put one there, else loopback HTTP with the URL's token. */
export function connect(): CairnClient {
  const bridge = electronBridge();
  return new CairnClient(bridge ? new IpcTransport(bridge) : new HttpTransport(takeToken()));
}
