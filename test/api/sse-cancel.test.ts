import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatProvider, type GenerateOptions, type GenerateResult, registerProviderKind } from '../../main/agent/index.js';
import { Cairn } from '../../main/api/cairn.js';
import type { AnswerOutput } from '../../main/api/contract.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import type { CairnService } from '../../main/api/ops.js';

/**
 * A model that streams tokens until it is told to stop (its signal aborts),
 * or gives up after a few thousand tokens and answers: if cancellation did
 * not reach it, the ask would end "answered", not "cancelled".
 */
class EndlessProvider implements ChatProvider {
  readonly mode = 'chat' as const;
  readonly id = 'test:endless';
  tokens = 0;
  stoppedByAbort = false;
  private resolveStopped!: () => void;
  readonly stopped = new Promise<void>((r) => (this.resolveStopped = r));

  describe() {
    return { name: 'endless', kind: 'endless-test', id: this.id, model: 'endless' };
  }

  async generate(_messages: unknown, opts: GenerateOptions): Promise<GenerateResult> {
    try {
      while (this.tokens < 5000) {
        if (opts.signal.aborted) {
          this.stoppedByAbort = true;
          throw opts.signal.reason;
        }
        this.tokens++;
        opts.onToken?.('blah ');
        await new Promise((r) => setTimeout(r, 5));
      }
      return { text: '{"sentences": []}', toolCalls: [] };
    } finally {
      this.resolveStopped();
    }
  }
}

describe('cancelling an answer over HTTP server-sent events', () => {
  let root: string;
  let server: CairnHttpServer;
  let cairn: Cairn;
  const provider = new EndlessProvider();
  const asks: Promise<AnswerOutput>[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-sse-cancel-'));
    await writeFile(path.join(root, 'report.txt'), 'The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time.');
    cairn = await Cairn.open(path.join(root, 'data'));
    await cairn.ingest({ paths: [path.join(root, 'report.txt')] });
    registerProviderKind({
      kind: 'endless-test',
      discover: async () => [{ name: 'endless', kind: 'endless-test', summary: 'streams forever', settings: {} }],
      create: async () => provider,
    });
    // The real service, watched: the test can wait for the ask the server started to finish.
    const watched = Object.create(cairn) as Cairn;
    watched.ask = (input, events) => {
      const p = cairn.ask(input, events);
      asks.push(p);
      return p;
    };
    server = await createHttpServer(watched as CairnService, { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('aborts the model run when the client goes away, and records the answer as cancelled', async () => {
    const client = new AbortController();
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ question: 'When did the Blue Heron arrive at Port Sarn?', model: 'endless' }),
      signal: client.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');

    // Read until the model's tokens are streaming, then hang up.
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: token')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before any token: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('event: tool_start');
    client.abort();
    await reader.cancel().catch(() => undefined);

    // The model run stops because its signal aborted, not because it ran out.
    await provider.stopped;
    expect(provider.stoppedByAbort).toBe(true);
    expect(provider.tokens).toBeLessThan(5000);

    expect(asks).toHaveLength(1);
    const answer = await asks[0]!;
    expect(answer.status).toBe('cancelled');
    expect(answer.sentences).toEqual([]);
    const record = (await cairn.auditRecords()).at(-1)!;
    expect(record.action).toBe('ask');
    expect(record.payload).toMatchObject({ status: 'cancelled' });
  });
});
