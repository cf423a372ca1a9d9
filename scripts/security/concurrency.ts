/**
 * Concurrency and load: a real `cairn serve` (loopback HTTP, bearer token)
 * in a child process, several HTTP clients at once for a bounded time and
 * operation count, each ingesting its own documents and asking/searching
 * for documents any client has finished ingesting. Optionally a CLI writer
 * ingests into the same data folder from another process meanwhile.
 *
 *   lost write   a document whose ingest returned ingested/exists is not in
 *                the store afterwards (opened fresh), or full-text search
 *                for its token does not find it
 *   failed read  a search or ask that did not return 200, or a search for a
 *                document whose ingest had already returned that does not find it
 * Latency p50/p95 per operation, measured at the client.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../main/audit/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';
import { runLimited } from './child.js';
import { type ExpectedDoc, inspectDataDir } from './consistency.js';
import { type CorpusDoc, writeDocCorpus } from './corpus.js';
import { CAIRN_BIN, measuredEnv } from './paths.js';
import { startServer } from './server.js';
import { mulberry32, percentile } from '../lib/stats.js';

export interface ConcurrencyOptions {
  clients: number;
  durationMs: number;
  /** Upper bound on operations per client (default 400). */
  maxOpsPerClient?: number;
  /** Documents each client may ingest (default 24). */
  docsPerClient?: number;
  /** A `cairn ingest` process writing into the same folder meanwhile (default true). */
  cliWriter?: boolean;
  seed?: number;
  log?: (line: string) => void;
}

export interface OpStats {
  op: string;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  max: number;
}

export interface ConcurrencyReport {
  transport: string;
  clients: number;
  durationMs: number;
  ops: number;
  writes: number;
  lostWrites: number;
  failedReads: number;
  /** Ingests of good files that returned an error. */
  failedWrites: number;
  /** Of those, how many were in fact written (the client was told a stored file failed). */
  phantomFailures: number;
  /** CLI-written documents the running server could find before it stopped (cross-process visibility). */
  cliVisible: { written: number; seenByServer: number };
  stats: OpStats[];
  /** Consistency problems in the data folder afterwards. */
  problems: string[];
  errors: string[];
  /** Distinct internal errors the server logged. */
  serverErrors: string[];
  egressAttempts: number;
}

interface Committed {
  doc: CorpusDoc;
  sourceId: string;
}

export async function runConcurrency(opts: ConcurrencyOptions): Promise<ConcurrencyReport> {
  const say = opts.log ?? (() => undefined);
  const root = await mkdtemp(path.join(os.tmpdir(), 'cairn-concurrency-'));
  const egressLog = path.join(root, 'egress.jsonl');
  const dataDir = path.join(root, 'data');
  const rng = mulberry32(opts.seed ?? 1);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const per = opts.docsPerClient ?? 24;
  const corpora: CorpusDoc[][] = [];
  for (let c = 0; c < opts.clients; c++) corpora.push(await writeDocCorpus(path.join(root, `client-${c}`), { count: per, tag: `conc${letters[c % 26]}${letters[Math.floor(c / 26) % 26]}`, sentences: 12 }));
  const cliDocs = opts.cliWriter === false ? [] : await writeDocCorpus(path.join(root, 'cli'), { count: 8, tag: 'conccli', sentences: 12, kinds: ['text', 'markdown'] });

  const token = randomBytes(24).toString('hex');
  const server = await startServer(dataDir, token, measuredEnv(egressLog));
  say(`concurrency: cairn serve on ${server.url} (pid ${server.pid})`);
  const latencies = new Map<string, number[]>();
  const errorsByOp = new Map<string, number>();
  const errors: string[] = [];
  const committed: Committed[] = [];
  /** Ingests that returned an error: the client was told the file is not in. */
  const failed: Committed[] = [];
  let failedReads = 0;
  let failedWrites = 0;
  const note = (op: string, ms: number, ok: boolean, why?: string): void => {
    latencies.set(op, [...(latencies.get(op) ?? []), ms]);
    if (!ok) {
      errorsByOp.set(op, (errorsByOp.get(op) ?? 0) + 1);
      if (errors.length < 20 && why) errors.push(`${op}: ${why}`);
    }
  };
  const call = async (op: string, body: unknown): Promise<{ status: number; json: unknown; ms: number }> => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/${op}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json: unknown = await res.json().catch(() => null);
    return { status: res.status, json, ms: performance.now() - t0 };
  };

  const deadline = performance.now() + opts.durationMs;
  const client = async (c: number): Promise<void> => {
    const mine = corpora[c]!;
    let next = 0;
    for (let n = 0; n < (opts.maxOpsPerClient ?? 400) && performance.now() < deadline; n++) {
      const r = rng();
      try {
        if (next < mine.length && (r < 0.4 || committed.length === 0)) {
          const doc = mine[next++]!;
          const res = await call('ingest', { paths: [doc.file] });
          const f = (res.json as { files?: { status: string; sourceId?: string; error?: { code: string } }[] } | null)?.files?.[0];
          const ok = res.status === 200 && (f?.status === 'ingested' || f?.status === 'exists');
          note('ingest', res.ms, ok, `HTTP ${res.status} ${f?.status ?? ''} ${f?.error?.code ?? JSON.stringify(res.json).slice(0, 120)}`);
          const sourceId = f?.sourceId ?? sha256Hex(await readFile(doc.file));
          if (ok) committed.push({ doc, sourceId });
          else {
            failedWrites++;
            failed.push({ doc, sourceId });
          }
        } else {
          const target = committed[Math.floor(rng() * committed.length)]!;
          if (r < 0.7) {
            const res = await call('search', { query: target.doc.token, k: 5 });
            const hits = (res.json as { hits?: { sourceId: string }[] } | null)?.hits ?? [];
            const ok = res.status === 200 && hits.some((h) => h.sourceId === target.sourceId);
            note('search', res.ms, ok, res.status === 200 ? `committed ${target.doc.token} not found` : `HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 120)}`);
            if (!ok) failedReads++;
          } else {
            const res = await call('ask', { question: `What does field note ${target.doc.token} record about the patrol?` });
            note('ask', res.ms, res.status === 200, `HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 120)}`);
            if (res.status !== 200) failedReads++;
          }
        }
      } catch (e) {
        note('transport', 0, false, e instanceof Error ? e.message : String(e));
        failedReads++;
      }
    }
  };
  const cliWritten: Committed[] = [];
  const cliWriter = async (): Promise<void> => {
    for (const doc of cliDocs) {
      if (performance.now() >= deadline) break;
      const r = await runLimited(process.execPath, [CAIRN_BIN, '--data', dataDir, 'ingest', doc.file, '--json'], { timeoutMs: 120_000, env: measuredEnv(egressLog) });
      note('cli ingest', r.ms, r.code === 0, `exit ${r.code} ${r.stderr.trim().split('\n').pop() ?? ''}`);
      const w = { doc, sourceId: sha256Hex(await readFile(doc.file)) };
      if (r.code === 0) cliWritten.push(w);
      else {
        failedWrites++;
        failed.push(w);
      }
    }
  };
  await Promise.all([...Array.from({ length: opts.clients }, (_, c) => client(c)), cliWriter()]);

  // Does the running server see what another process wrote?
  let seenByServer = 0;
  for (const w of cliWritten) {
    const res = await call('search', { query: w.doc.token, k: 5 }).catch(() => null);
    if ((res?.json as { hits?: { sourceId: string }[] } | null)?.hits?.some((h) => h.sourceId === w.sourceId)) seenByServer++;
  }
  await server.stop();
  // The server's log of internal errors: one line per distinct message.
  const serverErrors = [...new Set(server.stderr().split('\n').filter((l) => /internal error|Error:/.test(l)).map((l) => l.trim().slice(0, 300)))].slice(0, 10);

  const embedder = new HashedEmbedder();
  const store = await Store.open(dataDir, { embedderId: embedder.id, dimension: embedder.dimension });
  let lostWrites = 0;
  for (const w of [...committed, ...cliWritten]) {
    const present = (await store.hasSource(w.sourceId)) && (await store.fullText(w.doc.token, 10)).some((h) => h.sourceId === w.sourceId);
    if (!present) {
      lostWrites++;
      errors.push(`lost write: ${path.basename(w.doc.file)} (${w.sourceId.slice(0, 12)})`);
    }
  }
  let phantomFailures = 0;
  for (const w of failed) if (await store.hasSource(w.sourceId)) phantomFailures++;
  const expected = new Map<string, ExpectedDoc>([...committed, ...cliWritten, ...failed].map((w) => [w.sourceId, { token: w.doc.token, sentence: w.doc.sentence }]));
  const inspection = await inspectDataDir(dataDir, { expected, repair: false, vector: false });
  const audit = await (await AuditLog.open(dataDir)).verify();
  const problems = [...inspection.problems, ...(inspection.orphanChunks ? [`${inspection.orphanChunks} orphan chunks`] : []), ...(audit.ok ? [] : [`audit chain broken: ${audit.firstBroken.reason}`])];
  const stats: OpStats[] = [...latencies.entries()].map(([op, ms]) => ({ op, count: ms.length, errors: errorsByOp.get(op) ?? 0, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) }));
  const egressAttempts = (await readFile(egressLog, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '').length;
  await rm(root, { recursive: true, force: true });
  return {
    transport: 'loopback HTTP (cairn serve)',
    clients: opts.clients,
    durationMs: opts.durationMs,
    ops: stats.reduce((a, s) => a + s.count, 0),
    writes: committed.length + cliWritten.length,
    lostWrites,
    failedReads,
    failedWrites,
    phantomFailures,
    cliVisible: { written: cliWritten.length, seenByServer },
    stats,
    problems,
    errors,
    serverErrors,
    egressAttempts,
  };
}
