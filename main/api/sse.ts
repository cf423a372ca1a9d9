import type { ServerResponse } from 'node:http';

/**
 * Server-sent events on a raw Node response: `event: <name>` then one
 * `data:` line of JSON (JSON.stringify never emits a raw newline, so one line
 * is always enough), a blank line between events, a comment as heartbeat.
 */

export function formatSseEvent(event: string, data: unknown): string {
  if (!/^[A-Za-z][\w.-]*$/.test(event)) throw new Error(`bad SSE event name ${JSON.stringify(event)}`);
  return `event: ${event}\ndata: ${JSON.stringify(data ?? null)}\n\n`;
}

export interface SseStream {
  send(event: string, data: unknown): void;
  end(): void;
  readonly closed: boolean;
}

export function openSseStream(res: ServerResponse, headers: Readonly<Record<string, string>>, heartbeatMs = 15_000): SseStream {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  let closed = false;
  const beat = setInterval(() => {
    if (!closed) res.write(': ping\n\n');
  }, heartbeatMs);
  beat.unref();
  const finish = (): void => {
    closed = true;
    clearInterval(beat);
  };
  res.on('close', finish);
  return {
    send(event, data) {
      if (!closed) res.write(formatSseEvent(event, data));
    },
    end() {
      if (!closed) res.end();
      finish();
    },
    get closed() {
      return closed;
    },
  };
}

/** Parses an SSE body (for clients and tests): the events in order. */
export function parseSse(text: string): { event: string; data: unknown }[] {
  const out: { event: string; data: unknown }[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':') || line === '') continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) out.push({ event, data: JSON.parse(data.join('\n')) as unknown });
  }
  return out;
}
