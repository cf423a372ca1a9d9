import { describe, expect, it } from 'vitest';
import { bearerToken, checkTokenStrength, generateToken, tokensEqual } from '../../main/api/auth.js';
import { contract, type StreamEvent } from '../../main/api/contract.js';
import { hostAllowed, isLoopbackHost, originAllowed, parseHostHeader } from '../../main/api/loopback.js';
import { type CairnService, invokeOp, isOpName, OP_NAMES, ops, parseInput, runOp } from '../../main/api/ops.js';
import { queryToInput } from '../../main/api/query.js';
import { formatSseEvent, parseSse } from '../../main/api/sse.js';
import { INTERNAL_MESSAGE, mapError } from '../../main/api/transport-errors.js';
import { CairnError } from '../../main/core/errors.js';

const citation = { sourceId: 's1', chunkId: 'c1', title: 'T', page: 1, start: 0, end: 5, quote: 'Hello' };

function fakeCairn(calls: unknown[] = []): CairnService {
  return {
    ingest: async (input, onProgress) => {
      calls.push(['ingest', input]);
      onProgress?.({ done: 1, total: 1, file: '/x.txt', status: 'ingested' });
      return { files: [{ file: '/x.txt', status: 'ingested', sourceId: 's1', title: 'x', chunks: 1 }], ingested: 1, exists: 0, failed: 0 };
    },
    search: async (input) => {
      calls.push(['search', input]);
      return { query: input.query, hits: [] };
    },
    ask: async (input) => {
      calls.push(['ask', input]);
      return { answer: 'Hello. World.', sentences: [{ text: 'Hello.', citations: [citation] }, { text: 'World.', citations: [citation] }], citations: [citation], banner: 'UNCLASSIFIED', auditId: 'a'.repeat(64) };
    },
    tracks: async () => ({ observations: [], entities: [] }),
    sources: async () => [],
    auditRecords: async () => [],
    auditVerify: async () => ({ ok: true, records: 0, headHash: '0'.repeat(64) }),
    chunk: async () => {
      throw new CairnError('NOT_FOUND', 'no passage');
    },
    sourceContent: async (input) => ({ id: input.id, mime: 'application/pdf', bytes: 0, base64: '' }),
    feedback: async () => ({ ids: [], auditId: 'a'.repeat(64), marking: 'UNCLASSIFIED' }),
    feedbackList: async () => [],
    conversations: async () => [],
    conversation: async () => {
      throw new CairnError('NOT_FOUND', 'no conversation');
    },
    packageVerify: async (input) => ({ ok: false, packageId: null, publisher: null, files: [], problems: [{ code: 'MANIFEST_MISSING', message: `no manifest in ${input.path}` }], manifestSha256: null }),
    packageImport: async (input, onProgress) => {
      calls.push(['packageImport', input]);
      onProgress?.({ phase: 'extract', done: 1, total: 1, file: 'a.txt' });
      return { packageId: 'p1', publisher: { name: 'pub', fingerprint: 'f'.repeat(64), trustedAs: 'pub' }, manifestSha256: 'm'.repeat(64), files: [], ingested: 0, exists: 0, failed: 0, resumed: false, auditId: null };
    },
    keysList: async () => ({ location: '/k', trusted: [], revoked: [] }),
    auditExport: async () => ({ format: 'jsonl' as const, filename: 'cairn-audit.jsonl', mime: 'application/x-ndjson', content: '', sha256: 'x', auditId: 'y' }),
    usersList: async () => ({ configured: false, users: [] }),
  } as CairnService;
}

describe('the operation registry', () => {
  it('has exactly the contract operations, each with the contract schemas', () => {
    expect([...OP_NAMES].sort()).toEqual(Object.keys(contract).sort());
    for (const name of OP_NAMES) {
      expect(ops[name].input).toBe(contract[name].input);
      expect(ops[name].output).toBe(contract[name].output);
      expect(ops[name].description.length).toBeGreaterThan(0);
    }
    expect(isOpName('search')).toBe(true);
    expect(isOpName('toString')).toBe(false);
    expect(isOpName('__proto__')).toBe(false);
  });

  it('validates input once, with defaults, naming the bad field', async () => {
    expect(parseInput('search', { query: 'x' })).toEqual({ query: 'x', k: 10, radiusKm: 10 });
    expect(parseInput('sources', undefined)).toEqual({});
    const bad = (() => {
      try {
        parseInput('search', { query: 'x', k: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(bad).toBeInstanceOf(CairnError);
    expect((bad as CairnError).code).toBe('BAD_INPUT');
    expect((bad as CairnError).input).toBe('k');
    const calls: unknown[] = [];
    await expect(runOp(fakeCairn(calls), 'ask', { question: '' })).rejects.toMatchObject({ code: 'BAD_INPUT', input: 'question' });
    expect(calls).toEqual([]); // the service never saw bad input
  });

  it('streams: ingest reports progress, ask reports each sentence, both before the result', async () => {
    const events: StreamEvent[] = [];
    const ctx = { signal: new AbortController().signal, emit: (e: StreamEvent) => events.push(e) };
    await invokeOp(fakeCairn(), 'ingest', parseInput('ingest', { paths: ['/x.txt'] }), ctx);
    const answer = await invokeOp(fakeCairn(), 'ask', parseInput('ask', { question: 'hi?' }), ctx);
    expect(events).toEqual([
      { event: 'progress', data: { done: 1, total: 1, file: '/x.txt', status: 'ingested' } },
      { event: 'sentence', data: { index: 0, text: 'Hello.', citations: [citation] } },
      { event: 'sentence', data: { index: 1, text: 'World.', citations: [citation] } },
    ]);
    expect(contract.ask.output.parse(answer)).toEqual(answer);
  });

  it('streams: packageImport reports each phase and file as progress, then a summary the contract accepts', async () => {
    const events: StreamEvent[] = [];
    const ctx = { signal: new AbortController().signal, emit: (e: StreamEvent) => events.push(e) };
    const r = await invokeOp(fakeCairn(), 'packageImport', parseInput('packageImport', { path: '/p.cairnpkg' }), ctx);
    expect(events).toEqual([{ event: 'progress', data: { done: 1, total: 1, file: 'extract a.txt', status: 'ingested' } }]);
    expect(contract.packageImport.output.parse(r)).toEqual(r);
    expect(() => parseInput('packageImport', {})).toThrow(/packageImport: path/);
  });
});

describe('error mapping', () => {
  it('user errors keep code, message, input; NOT_FOUND is 404', () => {
    expect(mapError(new CairnError('BAD_INPUT', 'no', { input: 'k' }))).toMatchObject({ status: 400, internal: false, body: { code: 'BAD_INPUT', message: 'no', input: 'k' } });
    expect(mapError(new CairnError('NOT_FOUND', 'gone'))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: 'gone' } });
  });

  it('anything else is INTERNAL with a generic message', () => {
    for (const e of [new Error('/etc/secret'), new CairnError('INTERNAL', 'db exploded'), 'a string', undefined]) {
      const m = mapError(e);
      expect(m).toMatchObject({ status: 500, internal: true, body: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
      expect(m.cause).toBe(e);
    }
  });
});

describe('token', () => {
  it('is random, URL-safe, 256 bits', () => {
    const a = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(a);
  });

  it('compares exactly (any length)', () => {
    const t = generateToken();
    expect(tokensEqual(t, t)).toBe(true);
    expect(tokensEqual(`${t}x`, t)).toBe(false);
    expect(tokensEqual('', t)).toBe(false);
  });

  it('reads only a Bearer header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('refuses weak given tokens', () => {
    expect(() => checkTokenStrength('short')).toThrow(CairnError);
    expect(() => checkTokenStrength('has a space in it, long')).toThrow(CairnError);
    expect(checkTokenStrength('0123456789abcdef')).toBe('0123456789abcdef');
  });
});

describe('loopback and Host checks', () => {
  it('knows loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.0.1', 'example.org', '127.0.0.1.nip.io', 'localhost.evil.com', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('parses Host headers', () => {
    expect(parseHostHeader('localhost:8080')).toEqual({ hostname: 'localhost', port: 8080 });
    expect(parseHostHeader('[::1]:80')).toEqual({ hostname: '::1', port: 80 });
    expect(parseHostHeader('127.0.0.1')).toEqual({ hostname: '127.0.0.1', port: undefined });
    for (const bad of ['', 'a b', 'user@host', 'host:port', 'host/path', '::1:80']) expect(parseHostHeader(bad), bad).toBeUndefined();
  });

  it('answers loopback names on its own port only', () => {
    const p = { port: 7411 };
    expect(hostAllowed('127.0.0.1:7411', p)).toBe(true);
    expect(hostAllowed('localhost:7411', p)).toBe(true);
    expect(hostAllowed('localhost', p)).toBe(true);
    expect(hostAllowed('localhost:7412', p)).toBe(false);
    expect(hostAllowed('evil.example:7411', p)).toBe(false);
    expect(hostAllowed(undefined, p)).toBe(false);
    expect(hostAllowed('analyst-pc:7411', { ...p, extraHosts: ['analyst-pc'] })).toBe(true);
    expect(hostAllowed('anything:7411', { ...p, anyHost: true })).toBe(true);
  });

  it('accepts only its own Origin', () => {
    const p = { port: 7411 };
    expect(originAllowed(undefined, p)).toBe(true);
    expect(originAllowed('http://127.0.0.1:7411', p)).toBe(true);
    expect(originAllowed('http://localhost:7411', p)).toBe(true);
    for (const o of ['http://evil.example', 'http://127.0.0.1:7412', 'https://127.0.0.1:7411', 'null', 'file://', 'http://localhost']) expect(originAllowed(o, p), o).toBe(false);
    expect(originAllowed('http://127.0.0.1:5173', { ...p, extraOrigins: ['http://127.0.0.1:5173'] })).toBe(true);
  });
});

describe('query input for GET event streams', () => {
  it('converts fields by the schema', () => {
    expect(queryToInput(contract.search.input, new URLSearchParams('query=12&k=5&token=t'))).toEqual({ query: '12', k: 5 });
    expect(queryToInput(contract.ingest.input, new URLSearchParams('paths=/a&paths=/b&marking=SECRET'))).toEqual({ paths: ['/a', '/b'], marking: 'SECRET' });
    expect(queryToInput(contract.ingest.input, new URLSearchParams({ paths: '["/a","/b"]' }))).toEqual({ paths: ['/a', '/b'] });
    expect(queryToInput(contract.tracks.input, new URLSearchParams({ bbox: '{"west":0,"south":0,"east":1,"north":1}', limit: '3' }))).toEqual({ bbox: { west: 0, south: 0, east: 1, north: 1 }, limit: 3 });
  });

  it('takes ?input=<JSON> whole', () => {
    expect(queryToInput(contract.search.input, new URLSearchParams({ input: '{"query":"q","k":2}' }))).toEqual({ query: 'q', k: 2 });
    expect(() => queryToInput(contract.search.input, new URLSearchParams({ input: '{' }))).toThrow(CairnError);
  });
});

describe('SSE framing', () => {
  it('round-trips events, one data line each', () => {
    const text = formatSseEvent('progress', { file: 'a\nb', n: 1 }) + ': ping\n\n' + formatSseEvent('result', [1, 2]);
    expect(text.split('\n').filter((l) => l.startsWith('data:'))).toHaveLength(2);
    expect(parseSse(text)).toEqual([
      { event: 'progress', data: { file: 'a\nb', n: 1 } },
      { event: 'result', data: [1, 2] },
    ]);
  });

  it('refuses an event name that could inject lines', () => {
    expect(() => formatSseEvent('result\ndata: x', 1)).toThrow();
  });
});
