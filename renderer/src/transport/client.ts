/**
 * The renderer's one door to Cairn: typed calls over whichever transport is
 * present (Electron's bridge, else loopback HTTP).
 */
import { HttpTransport } from './http.js';
import { electronBridge, IpcTransport } from './ipc.js';
import { takeToken } from './token.js';
import type { AnswerOutput, AskInput, AuditRecordRow, SearchInput, SearchOutput, Sentence, SourceRow, StreamEvent, TracksInput, TracksOutput, Transport, VerifyResultRow } from './types.js';

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

  sources(): Promise<SourceRow[]> {
    return this.transport.call('sources', {}) as Promise<SourceRow[]>;
  }

  auditRecords(): Promise<AuditRecordRow[]> {
    return this.transport.call('auditRecords', {}) as Promise<AuditRecordRow[]>;
  }

  auditVerify(): Promise<VerifyResultRow> {
    return this.transport.call('auditVerify', {}) as Promise<VerifyResultRow>;
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
