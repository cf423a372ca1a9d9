/**
 * HTTP for model endpoints: POST JSON to the one configured URL, stream the
 * reply as server-sent events or newline-delimited JSON, and turn every
 * failure into a ModelFailure (unreachable, timeout, overflow, http).
 */
import { ModelFailure, toModelFailure } from '../errors.js';

export function endpointUrl(base: string, path: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new ModelFailure('failed', `the configured endpoint ${JSON.stringify(base)} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ModelFailure('failed', `the configured endpoint ${base} is not http(s)`);
  return `${u.toString().replace(/\/+$/, '')}${path}`;
}

export async function postJson(url: string, body: unknown, opts: { headers?: Record<string, string>; signal: AbortSignal }): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...opts.headers }, body: JSON.stringify(body), signal: opts.signal });
  } catch (e) {
    throw toModelFailure(e);
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 500);
    const failure = toModelFailure(new Error(`${url} answered HTTP ${res.status}: ${text}`));
    throw failure.reason === 'overflow' ? failure : new ModelFailure('http', `${url} answered HTTP ${res.status}: ${text}`);
  }
  return res;
}

/** Lines of a streamed body, decoded as UTF-8. */
export async function* lines(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  if (!body) return;
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
    }
  }
  buf += decoder.decode();
  if (buf !== '') yield buf;
}

/** Data payloads of a server-sent-events stream, up to `[DONE]`. */
export async function* sseData(body: ReadableStream<Uint8Array> | null): AsyncGenerator<string> {
  let data: string[] = [];
  for await (const line of lines(body)) {
    if (line === '') {
      if (data.length > 0) {
        const payload = data.join('\n');
        data = [];
        if (payload.trim() === '[DONE]') return;
        yield payload;
      }
      continue;
    }
    if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length > 0 && data.join('\n').trim() !== '[DONE]') yield data.join('\n');
}

export function parseJsonOr(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelFailure('malformed', `${what} sent something that is not JSON: ${text.slice(0, 200)}`);
  }
}
