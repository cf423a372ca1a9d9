import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export type Handler = (req: Recorded, res: http.ServerResponse) => void | Promise<void>;

/** A loopback HTTP server that answers each request with the next scripted handler. */
export async function fakeServer(handlers: Handler[]): Promise<{ url: string; requests: Recorded[]; close: () => Promise<void> }> {
  const requests: Recorded[] = [];
  let i = 0;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      const rec: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} };
      requests.push(rec);
      const h = handlers[Math.min(i++, handlers.length - 1)]!;
      void Promise.resolve(h(rec, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** OpenAI chat.completion.chunk SSE frames: content in pieces, or tool-call deltas. */
export function sse(frames: unknown[], delayMs = 0): Handler {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const f of frames) {
      res.write(`data: ${JSON.stringify(f)}\n\n`);
      if (delayMs) await sleep(delayMs);
    }
    res.end('data: [DONE]\n\n');
  };
}

export function contentFrames(text: string, pieces = 4): unknown[] {
  const size = Math.ceil(text.length / pieces);
  const out: unknown[] = [];
  for (let i = 0; i < text.length; i += size) out.push({ choices: [{ index: 0, delta: { content: text.slice(i, i + size) }, finish_reason: null }] });
  out.push({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  return out;
}

export function json(status: number, body: unknown): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

/** Ollama /api/chat NDJSON lines. */
export function ndjson(lines: unknown[], delayMs = 0): Handler {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const l of lines) {
      res.write(`${JSON.stringify(l)}\n`);
      if (delayMs) await sleep(delayMs);
    }
    res.end();
  };
}

export async function closedPort(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}
