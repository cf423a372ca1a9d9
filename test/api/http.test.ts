import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { contract, type OpName } from '../../main/api/contract.js';
import { assertBindAllowed, type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import { CSP } from '../../main/api/security-headers.js';
import { parseSse } from '../../main/api/sse.js';
import { INTERNAL_MESSAGE } from '../../main/api/transport-errors.js';
import { CairnError } from '../../main/core/errors.js';

const REPORT = 'The cargo vessel Blue Heron arrived at Port Sarn on 12 March 2024. It carried forty containers of grain from Velmar. The harbour master inspected the vessel the next morning and found no irregularities.';
const NOTES = '<!doctype html><html><head><title>Kelm Ridge field notes</title></head><body><h1>Kelm Ridge</h1><p>The radar station at Kelm Ridge reported two unidentified aircraft heading north at dawn on 3 April.</p><p>Both contacts were lost over the mountains twenty minutes later.</p></body></html>';
const LATE = 'The convoy left the depot at Osterhal at noon and reached the border crossing at Tarn before nightfall.';

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

describe('cairn serve: the HTTP transport over a real Cairn', () => {
  let root: string;
  let server: CairnHttpServer;
  const internalErrors: unknown[] = [];

  async function api(op: string, body: unknown, init: { token?: string | null; headers?: Record<string, string> } = {}): Promise<Reply> {
    const token = init.token === undefined ? server.token : init.token;
    const res = await fetch(`${server.url}/api/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /** A raw request, so the Host header can be anything (fetch would not let us set it). */
  function rawGet(urlPath: string, headers: Record<string, string>, port: number = server.port): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      // setHost: false, so a request without any Host header can be sent too
      const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'GET', headers, setHost: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-http-'));
    await mkdir(path.join(root, 'docs'));
    await writeFile(path.join(root, 'docs', 'port-report.txt'), REPORT);
    await writeFile(path.join(root, 'docs', 'field-notes.html'), NOTES);
    await writeFile(path.join(root, 'late.txt'), LATE);
    const cairn = await Cairn.open(path.join(root, 'data'), { actor: 'analyst1' });
    const summary = await cairn.ingest({ paths: [path.join(root, 'docs')] });
    expect(summary.ingested).toBe(2);
    server = await createHttpServer(cairn, { port: 0, logError: (e) => internalErrors.push(e) });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 with a generated 256-bit token', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.tokenGenerated).toBe(true);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  describe('the token', () => {
    it('is required on every /api route: missing -> 401', async () => {
      for (const op of Object.keys(contract)) {
        const r = await api(op, {}, { token: null });
        expect(r.status, op).toBe(401);
        expect(r.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('must match: wrong, truncated, extended, wrong scheme -> 401', async () => {
      for (const auth of [`Bearer ${'x'.repeat(43)}`, `Bearer ${server.token.slice(0, -1)}`, `Bearer ${server.token}x`, `Basic ${server.token}`, server.token]) {
        const r = await api('sources', {}, { token: null, headers: { authorization: auth } });
        expect(r.status, auth).toBe(401);
      }
    });

    it('is required for the event stream too (header or ?token=)', async () => {
      const none = await fetch(`${server.url}/api/events/search?query=vessel`);
      expect(none.status).toBe(401);
      const wrong = await fetch(`${server.url}/api/events/search?query=vessel&token=${'y'.repeat(43)}`);
      expect(wrong.status).toBe(401);
    });
  });

  describe('operations', () => {
    it('search finds the passage, in the contract shape', async () => {
      const r = await api('search', { query: 'Blue Heron Port Sarn', k: 3 });
      expect(r.status).toBe(200);
      const out = contract.search.output.parse(r.body);
      expect(out.hits.length).toBeGreaterThan(0);
      expect(out.hits[0]!.text).toContain('Blue Heron');
      expect(out.hits[0]!.title).toBe('port-report.txt');
      expect(r.headers.get('cache-control')).toBe('no-store');
    });

    it('ask answers with citations quoting the source, and records it in the audit log', async () => {
      const r = await api('ask', { question: 'When did the Blue Heron arrive at Port Sarn?' });
      expect(r.status).toBe(200);
      const a = contract.ask.output.parse(r.body);
      expect(a.sentences.length).toBeGreaterThan(0);
      expect(a.citations[0]!.quote.length).toBeGreaterThan(0);
      expect(REPORT).toContain(a.citations[0]!.quote);
      expect(a.answer).toContain('12 March 2024');
      const records = contract.auditRecords.output.parse((await api('auditRecords', {})).body);
      expect(records.some((rec) => rec.action === 'ask' && rec.hash === a.auditId)).toBe(true);
      const verify = contract.auditVerify.output.parse((await api('auditVerify', {})).body);
      expect(verify.ok).toBe(true);
    });

    it('sources lists both files; an empty body is the same as {}', async () => {
      const res = await fetch(`${server.url}/api/sources`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } });
      expect(res.status).toBe(200);
      const sources = contract.sources.output.parse(await res.json());
      expect(sources.map((s) => s.title).sort()).toEqual(['Kelm Ridge field notes', 'port-report.txt']);
    });

    it('tracks answers (no tracks loaded: empty)', async () => {
      const r = await api('tracks', {});
      expect(r.status).toBe(200);
      expect(contract.tracks.output.parse(r.body)).toEqual({ observations: [], entities: [] });
    });
  });

  describe('errors, mapped once', () => {
    it('bad input -> 400 with the code, a message and the offending field', async () => {
      const empty = await api('search', { query: '' });
      expect(empty.status).toBe(400);
      expect(empty.body).toMatchObject({ error: { code: 'BAD_INPUT', input: 'query' } });
      const k = await api('search', { query: 'x', k: 'ten' });
      expect(k.status).toBe(400);
      expect(k.body).toMatchObject({ error: { code: 'BAD_INPUT', input: 'k' } });
      const notObject = await api('ask', '"just a string"');
      expect(notObject.status).toBe(400);
      expect(notObject.body).toMatchObject({ error: { code: 'BAD_INPUT' } });
    });

    it('malformed JSON -> 400, wrong media type -> 415, oversize body -> 413', async () => {
      const bad = await api('search', '{"query": ');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'BAD_INPUT' } });
      const xml = await api('search', '<q/>', { headers: { 'content-type': 'application/xml' } });
      expect(xml.status).toBe(415);
      const big = await api('search', { query: 'x'.repeat(2 * 1024 * 1024) });
      expect(big.status).toBe(413);
      expect(big.body).toMatchObject({ error: { code: 'TOO_LARGE' } });
    });

    it('a user error from the service keeps its code and offending input (ingest of a missing path -> 404)', async () => {
      const missing = path.join(root, 'no-such-file.txt');
      const r = await api('ingest', { paths: [missing] });
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: { code: 'NOT_FOUND', input: missing } });
    });

    it('unknown operation -> 404 in the same shape', async () => {
      const r = await api('dropTables', {});
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });
  });

  describe('server-sent events', () => {
    it('POST with Accept: text/event-stream streams ingest progress, then the result', async () => {
      const res = await fetch(`${server.url}/api/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ paths: [path.join(root, 'late.txt')] }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      const events = parseSse(await res.text());
      const progress = events.filter((e) => e.event === 'progress');
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)!.data).toMatchObject({ done: 1, total: 1, status: 'ingested' });
      expect(events.at(-1)!.event).toBe('result');
      expect(contract.ingest.output.parse(events.at(-1)!.data).ingested).toBe(1);
      expect(events.filter((e) => e.event === 'result')).toHaveLength(1);
    });

    it('GET /api/events/ask streams each sentence, then the answer (EventSource style, ?token=)', async () => {
      const q = new URLSearchParams({ question: 'Where did the radar station see aircraft?', token: server.token });
      const res = await fetch(`${server.url}/api/events/ask?${q}`, { headers: { accept: 'text/event-stream' } });
      expect(res.status).toBe(200);
      const events = parseSse(await res.text());
      const result = events.at(-1)!;
      expect(result.event).toBe('result');
      const answer = contract.ask.output.parse(result.data);
      const sentences = events.filter((e) => e.event === 'sentence').map((e) => e.data as { index: number; text: string });
      expect(sentences.map((s) => s.text)).toEqual(answer.sentences.map((s) => s.text));
      expect(sentences.length).toBeGreaterThan(0);
      expect(answer.answer).toContain('Kelm Ridge');
    });

    it('GET converts query fields by the input schema (k is a number)', async () => {
      const res = await fetch(`${server.url}/api/events/search?query=grain&k=1`, { headers: { authorization: `Bearer ${server.token}` } });
      const events = parseSse(await res.text());
      expect(events.map((e) => e.event)).toEqual(['result']);
      expect(contract.search.output.parse(events[0]!.data).hits).toHaveLength(1);
    });

    it('bad input is a plain 400 before any event', async () => {
      const res = await fetch(`${server.url}/api/events/search?k=0`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_INPUT' } });
    });
  });

  describe('hardening', () => {
    it('refuses a Host that is not loopback (DNS rebinding) with 403, even with the token', async () => {
      for (const host of [`evil.example:${server.port}`, 'evil.example', `127.0.0.1.nip.io:${server.port}`, `127.0.0.1:${server.port + 1}`, '', undefined]) {
        const r = await rawGet('/api/events/sources', { ...(host === undefined ? {} : { host }), authorization: `Bearer ${server.token}` });
        if (host === undefined) {
          expect(r.status).toBe(400); // Node itself refuses an HTTP/1.1 request with no Host
          continue;
        }
        expect(r.status, host).toBe(403);
        expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
        expect(r.headers['content-security-policy']).toBe(CSP);
      }
      for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`]) {
        const r = await rawGet('/api/events/sources', { host, authorization: `Bearer ${server.token}` });
        expect(r.status, host).toBe(200);
      }
    });

    it('refuses a cross-site Origin with 403 and sends no CORS headers', async () => {
      const r = await api('sources', {}, { headers: { origin: 'http://evil.example' } });
      expect(r.status).toBe(403);
      const same = await api('sources', {}, { headers: { origin: server.url } });
      expect(same.status).toBe(200);
      expect(same.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(`${server.url}/api/sources`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sends the strict security headers on every response (200, 401, 404)', async () => {
      const replies = [await api('sources', {}), await api('sources', {}, { token: null }), await api('nope', {}), { headers: (await fetch(`${server.url}/`)).headers }];
      for (const r of replies) {
        expect(r.headers.get('content-security-policy')).toBe(
          "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
        );
        expect(r.headers.get('x-content-type-options')).toBe('nosniff');
        expect(r.headers.get('referrer-policy')).toBe('no-referrer');
        expect(r.headers.get('x-frame-options')).toBe('DENY');
        expect(r.headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('refuses to bind a non-loopback address unless allowRemote is set', async () => {
      const cairn = { search: async () => ({ query: '', hits: [] }) } as never;
      for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.org']) {
        await expect(createHttpServer(cairn, { host, port: 0 })).rejects.toThrow(/--allow-remote/);
        expect(() => assertBindAllowed(host, false)).toThrow(CairnError);
        expect(() => assertBindAllowed(host, true)).not.toThrow();
      }
      for (const host of ['127.0.0.1', 'localhost', '::1']) expect(() => assertBindAllowed(host, false)).not.toThrow();
    });

    it('refuses a weak --token', async () => {
      await expect(createHttpServer({} as never, { token: 'short' })).rejects.toThrow(/at least 16/);
    });
  });

  it('hides internal errors: 500, a generic message, no stack; the detail goes to the log', async () => {
    const broken = {
      search: async () => {
        throw new Error('ENOENT: /secret/path/lance/table.lance');
      },
      ask: async () => {
        throw new TypeError('Cannot read properties of undefined');
      },
    } as unknown as Cairn;
    const logged: unknown[] = [];
    const s = await createHttpServer(broken, { logError: (e) => logged.push(e) });
    try {
      const res = await fetch(`${s.url}/api/search`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: '{"query":"x"}' });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
      expect(text).not.toMatch(/secret|ENOENT|at /);
      const sse = await fetch(`${s.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${s.token}` }, body: '{"question":"x"}' });
      const events = parseSse(await sse.text());
      expect(events).toEqual([{ event: 'error', data: { error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } } }]);
      expect(logged).toHaveLength(2);
      expect(String(logged[0])).toContain('/secret/path');
    } finally {
      await s.close();
    }
  });

  it('maps a user CairnError thrown by the service: NOT_FOUND -> 404, others -> 400', async () => {
    const svc = {
      search: async () => {
        throw new CairnError('NOT_FOUND', 'no such source', { input: 'abc' });
      },
      ask: async () => {
        throw new CairnError('AUDIT_BROKEN', 'audit log line 3 is not a valid record', { input: 'log.jsonl:3' });
      },
    } as unknown as Cairn;
    const s = await createHttpServer(svc);
    try {
      const call = async (op: OpName, body: unknown): Promise<{ status: number; json: unknown }> => {
        const res = await fetch(`${s.url}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: JSON.stringify(body) });
        return { status: res.status, json: await res.json() };
      };
      expect(await call('search', { query: 'x' })).toEqual({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'no such source', input: 'abc' } } });
      expect(await call('ask', { question: 'x' })).toEqual({ status: 400, json: { error: { code: 'AUDIT_BROKEN', message: 'audit log line 3 is not a valid record', input: 'log.jsonl:3' } } });
    } finally {
      await s.close();
    }
  });

  it('serves the renderer build without a token, with SPA fallback, and nothing outside it', async () => {
    const dist = path.join(root, 'renderer-dist');
    await mkdir(path.join(dist, 'assets'), { recursive: true });
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Cairn</title><script type="module" src="/assets/app.js"></script>');
    await writeFile(path.join(dist, 'assets', 'app.js'), 'console.log("cairn")');
    await writeFile(path.join(root, 'outside.txt'), 'not for the browser');
    const s = await createHttpServer({} as never, { staticDir: dist });
    try {
      const index = await fetch(`${s.url}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain('<title>Cairn</title>');
      expect(index.headers.get('content-security-policy')).toBe(CSP);
      const js = await fetch(`${s.url}/assets/app.js`);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      const route = await fetch(`${s.url}/review/audit`, { headers: { accept: 'text/html' } });
      expect(await route.text()).toContain('<title>Cairn</title>');
      const escape = await rawGet('/../outside.txt', { host: `127.0.0.1:${s.port}` }, s.port);
      expect([400, 403, 404]).toContain(escape.status);
      expect(escape.body).not.toContain('not for the browser');
      const escape2 = await rawGet('/%2e%2e/outside.txt', { host: `127.0.0.1:${s.port}` }, s.port);
      expect(escape2.body).not.toContain('not for the browser');
      expect([400, 403, 404]).toContain(escape2.status);
      const api = await fetch(`${s.url}/api/sources`, { method: 'POST' });
      expect(api.status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('logged no internal error during the real-Cairn calls', () => {
    expect(internalErrors).toEqual([]);
  });
});
