/**
 * Hostile inputs: every case from test/fixtures/hostile/make-hostile.ts is
 * ingested by a real `cairn --data TMP ingest FILE --json` in its own child
 * process (fresh data folder, egress counter preloaded) with a wall-clock
 * limit and a memory cap (child.ts), and classified:
 *   ingested     the JSON summary says ingested/exists (for a folder: anything ingested)
 *   refused      the JSON summary says failed, with its CairnError code; or the
 *                CLI exited 1 with a one-line `cairn: ...` message and no JSON
 *                (reason CLI_REFUSED: the --json contract was not kept, but it is
 *                a clean refusal, not a crash)
 *   crashed      any other non-zero exit without a JSON summary, or a signal
 *   hung         killed at the wall-clock limit
 *   over-memory  killed because the process tree passed the memory cap
 * After an ingest, XXE cases are checked for the target file's content in the
 * store (titles, metadata, passages) and zip-slip cases for files written
 * outside the archive.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IngestFileResult, IngestSummary } from '../../ingest/pipeline.js';
import { Cairn } from '../../main/api/cairn.js';
import { type HostileCase, type HostileOptions, makeHostileCorpus } from '../../test/fixtures/hostile/make-hostile.js';
import { runLimited } from './child.js';
import { CAIRN_BIN, measuredEnv } from './paths.js';

export type Outcome = 'ingested' | 'refused' | 'crashed' | 'hung' | 'over-memory';

export interface HostileRow {
  name: string;
  threat: string;
  outcome: Outcome;
  /** Error code(s) of a refusal, counts of an ingest, or what a crash printed. */
  reason: string;
  ms: number;
  peakRssMb: number | null;
  egress: number;
  /** XXE target content found in the store. */
  leaked: boolean;
  /** Zip-slip targets that exist after the ingest. */
  escaped: string[];
  /** The outcome differs from the case's expectation (informational). */
  mismatch?: string;
  exitCode: number | null;
  signal: string | null;
}

export interface HostileTotals {
  tried: number;
  ingested: number;
  refused: number;
  crashed: number;
  hung: number;
  overMemory: number;
  leaked: number;
  escaped: number;
  egress: number;
  mismatches: number;
  internalErrors: number;
  peakRssMb: number | null;
  peakRssSource: string;
}

export interface HostileRunOptions extends HostileOptions {
  /** Wall-clock limit per file (default 180 s: above Cairn's own 120 s reader limit). */
  timeoutMs?: number;
  /** Memory cap per child, whole process tree (default 6144 MB). */
  memCapMb?: number;
  /** V8 heap cap of the child's main thread (default 4096 MB). */
  heapMb?: number;
  /** Children at once (default 2). */
  parallel?: number;
  log?: (line: string) => void;
}

function summaryOf(stdout: string): IngestSummary | null {
  try {
    const s = JSON.parse(stdout) as IngestSummary;
    return Array.isArray(s.files) ? s : null;
  } catch {
    return null;
  }
}

const flat = (files: readonly IngestFileResult[]): IngestFileResult[] => files.flatMap((f) => [f, ...(f.attachments ?? [])]);

/** The outcome of one run, from how the child ended and what it printed. */
export function classify(run: { timedOut: boolean; overMemory: boolean; signal: string | null; code: number | null; stdout: string; stderr: string }): { outcome: Outcome; reason: string } {
  if (run.timedOut) return { outcome: 'hung', reason: 'killed at the time limit' };
  if (run.overMemory) return { outcome: 'over-memory', reason: 'killed at the memory cap' };
  if (run.signal) return { outcome: 'crashed', reason: `signal ${run.signal}: ${lastLine(run.stderr)}` };
  const s = summaryOf(run.stdout);
  if (s && (run.code === 0 || run.code === 1)) {
    const all = flat(s.files);
    const ok = all.filter((f) => f.status !== 'failed');
    if (ok.length > 0) return { outcome: 'ingested', reason: `${s.ingested} ingested, ${s.exists} exists, ${s.failed} refused${s.failed ? ` (${codes(all)})` : ''}` };
    if (all.length === 0) return { outcome: 'refused', reason: 'NO_FILES (nothing to ingest)' };
    return { outcome: 'refused', reason: codes(all) };
  }
  const msg = run.stderr.trim().split('\n');
  if (run.code === 1 && msg.length === 1 && /^cairn: /.test(msg[0]!) && !/internal error/.test(msg[0]!)) return { outcome: 'refused', reason: `CLI_REFUSED: ${msg[0]!.slice(7, 120)}` };
  return { outcome: 'crashed', reason: `exit ${run.code} without a JSON summary: ${lastLine(run.stderr)}` };
}

function codes(files: readonly IngestFileResult[]): string {
  return [...new Set(files.filter((f) => f.status === 'failed').map((f) => f.error?.code ?? '?'))].join(',');
}

function lastLine(text: string): string {
  return (text.trim().split('\n').filter((l) => l.trim() !== '').pop() ?? '').slice(0, 160);
}

/** Searches the store an ingest left behind for the XXE target's content. */
async function leakedInto(dataDir: string, secret: RegExp): Promise<boolean> {
  const cairn = await Cairn.open(dataDir, { actor: 'security-verify' });
  const sources = await cairn.sources();
  if (secret.test(JSON.stringify(sources))) return true;
  const hits = await cairn.search({ query: 'root daemon bin sys nologin bash sbin x 0', k: 50 });
  return hits.hits.some((h) => secret.test(h.text) || secret.test(h.title));
}

function mismatch(c: HostileCase, outcome: Outcome, reason: string): string | undefined {
  if (outcome !== 'ingested' && outcome !== 'refused') return undefined;
  if (c.expect === 'refuse' && outcome === 'ingested') return 'expected a refusal';
  if (c.expect === 'ingest' && outcome === 'refused') return 'expected an ingest';
  if (c.expectCode && outcome === 'refused' && !reason.split(',').includes(c.expectCode)) return `expected ${c.expectCode}`;
  return undefined;
}

async function runCase(c: HostileCase, work: string, i: number, opts: HostileRunOptions): Promise<HostileRow> {
  const dataDir = path.join(work, `data-${i}`);
  const cwd = path.join(work, `cwd-${i}`, 'a', 'b');
  await mkdir(cwd, { recursive: true });
  const egressLog = path.join(work, `egress-${i}.jsonl`);
  const run = await runLimited(process.execPath, [CAIRN_BIN, '--data', dataDir, 'ingest', c.path, '--json'], {
    timeoutMs: opts.timeoutMs ?? 180_000,
    memCapMb: opts.memCapMb ?? 6144,
    cwd,
    env: measuredEnv(egressLog, { heapMb: opts.heapMb ?? 4096 }),
  });
  const { outcome, reason } = classify(run);
  const egress = (await readFile(egressLog, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '').length;
  let leaked = false;
  if (c.secret && outcome === 'ingested') leaked = await leakedInto(dataDir, new RegExp(c.secret));
  const escaped = (c.mustNotExist ?? []).filter((p) => existsSync(p));
  await rm(path.join(work, `data-${i}`), { recursive: true, force: true });
  await rm(path.join(work, `cwd-${i}`), { recursive: true, force: true });
  return { name: c.name, threat: c.threat, outcome, reason, ms: run.ms, peakRssMb: run.peakRssMb, egress, leaked, escaped, mismatch: mismatch(c, outcome, reason), exitCode: run.code, signal: run.signal };
}

export function totals(rows: readonly HostileRow[], peakRssSource = 'time -v'): HostileTotals {
  const n = (o: Outcome): number => rows.filter((r) => r.outcome === o).length;
  const rss = rows.map((r) => r.peakRssMb).filter((x): x is number => x !== null);
  return {
    tried: rows.length,
    ingested: n('ingested'),
    refused: n('refused'),
    crashed: n('crashed'),
    hung: n('hung'),
    overMemory: n('over-memory'),
    leaked: rows.filter((r) => r.leaked).length,
    escaped: rows.reduce((a, r) => a + r.escaped.length, 0),
    egress: rows.reduce((a, r) => a + r.egress, 0),
    mismatches: rows.filter((r) => r.mismatch).length,
    internalErrors: rows.filter((r) => /\bINTERNAL\b/.test(r.reason)).length,
    peakRssMb: rss.length ? Math.max(...rss) : null,
    peakRssSource,
  };
}

/** Runs already-made cases (as many at once as `parallel`), in order of the list. */
export async function runHostileCases(cases: readonly HostileCase[], opts: HostileRunOptions = {}): Promise<HostileRow[]> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-hostile-run-'));
  const rows: HostileRow[] = new Array(cases.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < cases.length; i = next++) {
      rows[i] = await runCase(cases[i]!, work, i, opts);
      const r = rows[i]!;
      opts.log?.(`hostile: ${r.outcome.padEnd(11)} ${r.name} (${(r.ms / 1000).toFixed(1)} s${r.peakRssMb ? `, ${Math.round(r.peakRssMb)} MB` : ''}) ${r.reason}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 2) }, lane));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}

/** Makes the corpus in a temp folder, runs it, removes it. */
export async function runHostile(opts: HostileRunOptions = {}): Promise<{ rows: HostileRow[]; totals: HostileTotals; generateMs: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-hostile-'));
  const corpus = path.join(dir, 'corpus');
  await mkdir(corpus);
  try {
    const t0 = performance.now();
    const cases = await makeHostileCorpus(corpus, opts);
    const generateMs = performance.now() - t0;
    opts.log?.(`hostile: ${cases.length} cases generated in ${(generateMs / 1000).toFixed(1)} s`);
    const rows = await runHostileCases(cases, opts);
    return { rows, totals: totals(rows, existsSync('/usr/bin/time') ? 'time -v' : 'sampled'), generateMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
