/**
 * Loopback HTTP transport for `cairn serve`: `POST /api/<op>` with a JSON
 * body and the bearer token. A streamed call sends `Accept:
 * text/event-stream` and reads `event: <name>` / `data: <json>` messages
 * until `result` (the output) or `error` (`{error: {code, message}}`).
 */
import { CallError, errorFromBody, OpUnavailableError } from './errors.js';
import { type SseEvent, SseParser } from './sse.js';
import type { OpName, SavedUpload, SourceBytes, StreamEvent, Transport } from './types.js';

export class HttpTransport implements Transport {
  readonly kind = 'http' as const;

  constructor(
    private readonly token: string | null,
    private readonly base = '/api/',
  ) {}

  async call(op: OpName, input: unknown): Promise<unknown> {
    const res = await this.post(op, input, 'application/json');
    return this.read(op, res);
  }

  async stream(op: OpName, input: unknown, onEvent: (e: StreamEvent) => void): Promise<unknown> {
    const res = await this.post(op, input, 'text/event-stream');
    return this.read(op, res, onEvent);
  }

  /** GET /api/content/<id>: the original, read as bytes (the token travels in a header, never in a URL). */
  async content(sourceId: string): Promise<SourceBytes> {
    const res = await fetch(`${this.base}content/${encodeURIComponent(sourceId)}`, {
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
    if (!res.ok) throw await errorOf('sourceContent', res);
    return { mime: (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim(), data: new Uint8Array(await res.arrayBuffer()) };
  }

  /** POST /api/upload?name=...: the raw file; XMLHttpRequest, because fetch reports no upload progress. */
  upload(file: Blob, name: string, onProgress?: (sent: number, total: number) => void): Promise<SavedUpload> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.base}upload?name=${encodeURIComponent(name)}`);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      if (this.token) xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onerror = () => reject(new CallError(`${name}: the upload was cut off`, 'UPLOAD_FAILED'));
      xhr.onload = () => {
        const body = parseData(xhr.responseText);
        if (xhr.status === 200) resolve(body as SavedUpload);
        else if (xhr.status === 401) reject(new CallError('Not authorised: open Cairn from the link `cairn serve` printed, which carries the access token.', 'UNAUTHORIZED', 401));
        else if (xhr.status === 404) reject(new OpUnavailableError('upload'));
        else reject(errorFromBody(body, xhr.status));
      };
      xhr.send(file);
    });
  }

  private async post(op: OpName, input: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.base}${encodeURIComponent(op)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(input ?? {}),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
    if (!res.ok) throw await errorOf(op, res);
    return res;
  }

  /** A JSON answer, or an event stream read to its `result` (a server may answer either way). */
  private async read(op: OpName, res: Response, onEvent?: (e: StreamEvent) => void): Promise<unknown> {
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return res.json();
    if (!res.body) throw new CallError(`the server sent an empty stream for ${op}`, 'STREAM_CUT');
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let result: { value: unknown } | undefined;
    const handle = (events: SseEvent[]): void => {
      for (const e of events) {
        const data = parseData(e.data);
        if (e.event === 'error') throw errorFromBody(data, res.status);
        if (e.event === 'result') result = { value: data };
        else onEvent?.({ event: e.event, data });
      }
    };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        handle(parser.push(decoder.decode(value, { stream: true })));
      }
      handle(parser.push(decoder.decode()));
      handle(parser.end());
    } finally {
      reader.releaseLock();
    }
    if (!result) throw new CallError(`the stream for ${op} ended without a result`, 'STREAM_CUT');
    return result.value;
  }
}

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

async function errorOf(op: OpName, res: Response): Promise<Error> {
  const body = parseData(await res.text().catch(() => ''));
  if (res.status === 401) {
    return new CallError('Not authorised: open Cairn from the link `cairn serve` printed, which carries the access token.', 'UNAUTHORIZED', 401);
  }
  const err = errorFromBody(body, res.status);
  // An unknown route (an older server), not a NOT_FOUND from the operation itself.
  if (res.status === 405 || res.status === 501 || (res.status === 404 && /no such route|route .* not found/i.test(err.message))) return new OpUnavailableError(op);
  return err;
}
