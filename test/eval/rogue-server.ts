import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What the scripted model does with one request. */
export type Behaviour =
  /** Cites a chunk id it was never given. */
  | { kind: 'unretrieved'; text: string }
  /** Cites a passage it was given, for a claim that passage does not make. */
  | { kind: 'invent'; text: string }
  /** Returns text that is not the JSON the protocol asks for. */
  | { kind: 'malformed' }
  /** Repeats its system prompt as an answer sentence. */
  | { kind: 'leak-system' }
  /** A well-behaved answer: the given sentence citing c1. */
  | { kind: 'cite'; text: string };

export interface RogueServer {
  url: string;
  requests: number;
  close: () => Promise<void>;
}

function content(body: { messages?: { role: string; content?: string }[] }, b: Behaviour): string {
  switch (b.kind) {
    case 'unretrieved':
      return JSON.stringify({ sentences: [{ text: b.text, chunkIds: ['f'.repeat(64)] }] });
    case 'invent':
    case 'cite':
      return JSON.stringify({ sentences: [{ text: b.text, chunkIds: ['c1'] }] });
    case 'malformed':
      // Cut off: never valid JSON.
      return '{"sentences": [ {"text": "The answer is';
    case 'leak-system': {
      const sys = body.messages?.find((m) => m.role === 'system')?.content ?? '';
      return JSON.stringify({ sentences: [{ text: sys.split('\n')[0] ?? sys, chunkIds: ['c1'] }] });
    }
  }
}

/**
 * A loopback OpenAI-compatible server that misbehaves in known ways: `plan`
 * picks a behaviour from the text of the conversation (the question is in it).
 * Answers in one JSON body (it ignores stream: true, as some servers do).
 */
export async function rogueServer(plan: (conversation: string) => Behaviour): Promise<RogueServer> {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      state.requests++;
      const body = JSON.parse(data || '{}') as { messages?: { role: string; content?: string }[] };
      const conversation = (body.messages ?? []).map((m) => m.content ?? '').join('\n');
      const text = content(body, plan(conversation));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { completion_tokens: 20 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** DATA/config.json naming the scripted server as model `name`. */
export async function configureEndpoint(dataDir: string, name: string, url: string): Promise<void> {
  await writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ models: { endpoints: [{ name, kind: 'openai', baseUrl: `${url}/v1`, model: 'rogue-1', structuredOutput: 'json_object' }] } }));
}
