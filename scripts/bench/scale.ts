/**
 * `npm run bench -- scale [--sizes 10000,100000,1000000] [--queries 100]`:
 * search and answer latency as the store grows, with and without the ANN
 * index, and peak memory. Each size is built in one child process and
 * searched in another, which opens the built store fresh: the peak RSS of
 * building (writing, full-text indexing, compaction) and of searching are
 * reported apart, each its own. At 1M chunks the build's peak is LanceDB's
 * compaction inside optimize (native memory: the JS heap stays under 100
 * MiB); SCALE_TRACE=1 prints memory over the build, and the result JSON
 * holds each build phase's peak (rss-phases.ts).
 * The corpus is synthetic (Zipf-distributed pseudo-words in 80-word
 * passages with English function words between them, seeded): nothing of
 * that size ships with Cairn.
 * Baselines in the same run: the flat (exact) vector scan against the IVF-PQ
 * index, and recall@10 of the index against the flat scan.
 *
 * For repeated runs: `--store-dir DIR --no-ann` keeps each size's store in
 * DIR/SIZE and reuses it (1M passages take half an hour or more to write),
 * `--no-vector` skips the always-on vector timings (seconds per query on a
 * flat 1M scan), and `--top` records each query's top-10 ids so a change
 * meant only to be faster can be shown not to re-rank.
 * `scripts/bench/scale-profile.ts` times the stages of one search on such a
 * kept store.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Cairn } from '../../main/api/cairn.js';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { type ChunkRow, Store } from '../../main/store/store.js';
import { mulberry32, percentile } from '../lib/stats.js';
import { inChildProcess, peakRssMiB } from '../lib/child-process.js';
import { type PhaseRss, RssPhases } from './rss-phases.js';

const PASSAGE_WORDS = 80;
/**
 * One after every second pseudo-word: real English has them, so the
 * analyser takes passages as English without language detection, as it does
 * on 99% of BEIR passages. Without them every synthetic passage went through
 * franc, which made generating 1M passages take well over an hour.
 */
const FUNCTION_WORDS = ['the', 'of', 'and', 'in', 'to', 'a', 'was', 'for', 'on', 'at', 'by', 'with'];
/** Bumped whenever the generated corpus or the store's tables change, so a kept store is rebuilt (3: document terms). */
const CORPUS_VERSION = 3;
const VOCABULARY = 30_000;
const PASSAGES_PER_SOURCE = 50;
const BATCH = 5_000;

const SYLLABLES = ['ka', 'ro', 'ven', 'sal', 'mi', 'tor', 'an', 'el', 'dur', 'is', 'po', 'lek', 'sa', 'rin', 'ta', 'bo', 'ner', 'ul', 'fi', 'gam'];

function makeVocabulary(random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    const n = 2 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Zipf(1) sampler over ranks by inverse CDF on a precomputed table. */
function zipf(n: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

async function timeEach(queries: string[], f: (q: string) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await f(queries[0]!); // warm caches once; not counted
  const ms: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await f(q);
    ms.push(performance.now() - t);
  }
  return { p50: +percentile(ms, 50).toFixed(1), p95: +percentile(ms, 95).toFixed(1) };
}

/**
 * Two settings timed query by query, taking turns at going first, so
 * neither is charged for the caches the other warmed (timed one after the
 * other, whichever ran first looked 1.5-2x slower at 100k).
 */
async function timePair(queries: string[], f: (q: string) => Promise<unknown>, g: (q: string) => Promise<unknown>): Promise<[{ p50: number; p95: number }, { p50: number; p95: number }]> {
  await f(queries[0]!);
  await g(queries[0]!);
  const ms: [number[], number[]] = [[], []];
  for (const [i, q] of queries.entries()) {
    const order: [0 | 1, (q: string) => Promise<unknown>][] = i % 2 ? [[1, g], [0, f]] : [[0, f], [1, g]];
    for (const [which, run] of order) {
      const t = performance.now();
      await run(q);
      ms[which].push(performance.now() - t);
    }
  }
  const stats = (x: number[]): { p50: number; p95: number } => ({ p50: +percentile(x, 50).toFixed(1), p95: +percentile(x, 95).toFixed(1) });
  return [stats(ms[0]), stats(ms[1])];
}

export interface ScaleResult {
  chunks: number;
  writeChunksPerSecond: number;
  ftsOptimizeSeconds: number;
  flat: { hybridDefault: { p50: number; p95: number }; hybridPassagesOnly: { p50: number; p95: number }; hybridRrf?: { p50: number; p95: number }; vectorOnly?: { p50: number; p95: number }; extractiveAnswer: { p50: number; p95: number } };
  /** peakRssMiB: the search process after the ANN pass, so it includes building the index. */
  ann: { buildSeconds: number; hybridRrf?: { p50: number; p95: number }; vectorOnly?: { p50: number; p95: number }; extractiveAnswer: { p50: number; p95: number }; recallAt10VsFlat: number; peakRssMiB: number } | null;
  /** Peak RSS of the process that built the store (null: a kept store built before this was recorded). */
  buildPeakRssMiB: number | null;
  /** Per build phase: largest RSS seen in it, with the JS heap and external memory at that moment (rss-phases.ts). */
  buildPhases: Record<string, PhaseRss> | null;
  /** Peak RSS of a fresh process that opens the built store and runs the searches and answers (flat scan, before any ANN pass). */
  searchPeakRssMiB: number;
  /** Top-10 ids of the default hybrid search per query (--top). */
  hybridTop?: string[][];
}

interface BuildStats {
  corpus: number;
  writeSeconds: number;
  ftsOptimizeSeconds: number;
  peakRssMiB?: number;
  phases?: Record<string, PhaseRss>;
}

/**
 * Writes `size` synthetic passages into a new store at `work` and folds them
 * into the full-text index. Each batch is generated, embedded and written
 * before the next is made, so no more than one batch of rows and vectors is
 * ever held.
 */
async function buildStore(work: string, size: number, embedder: HashedEmbedder): Promise<BuildStats> {
  const random = mulberry32(size);
  const vocab = makeVocabulary(random);
  const draw = zipf(vocab.length, random);
  const store = await Store.open(work, { embedderId: embedder.id, dimension: embedder.dimension });
  const now = new Date().toISOString();
  let written = 0;
  const phases = new RssPhases();
  const t0 = performance.now();
  while (written < size) {
    phases.enter('generate');
    const n = Math.min(BATCH, size - written);
    const sources: Source[] = [];
    const rows: ChunkRow[] = [];
    const texts: string[] = [];
    for (let i = 0; i < n; i++) {
      const ordinal = (written + i) % PASSAGES_PER_SOURCE;
      const sourceId = sha256Hex(`scale-source-${Math.floor((written + i) / PASSAGES_PER_SOURCE)}`);
      if (ordinal === 0 || i === 0) {
        if (!sources.some((s) => s.id === sourceId)) sources.push({ id: sourceId, kind: 'document', title: `synthetic ${sourceId.slice(0, 8)}`, origin: 'bench', mime: 'text/plain', bytes: 0, ingestedAt: now, marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {} } as Source);
      }
      const words: string[] = [];
      for (let w = 0; w < PASSAGE_WORDS; w++) {
        words.push(vocab[draw()]!);
        if (w % 2 === 1) words.push(FUNCTION_WORDS[Math.floor(random() * FUNCTION_WORDS.length)]!);
      }
      const text = `${words.join(' ')}.`;
      texts.push(text);
      rows.push({ id: sha256Hex(`${sourceId}:${ordinal}`), sourceId, ordinal, text, page: 1, start: 0, end: text.length, marking: 'UNCLASSIFIED', vector: new Float32Array(0) });
    }
    phases.enter('embed');
    const vectors = await embedder.embed(texts);
    rows.forEach((r, i) => (r.vector = vectors[i]!));
    phases.enter('append');
    await store.writeBulk(sources, rows);
    written += n;
    if (process.env.SCALE_TRACE && (written / BATCH) % 4 === 0) trace(`${written} written`);
  }
  phases.enter(null);
  const writeSeconds = (performance.now() - t0) / 1000;
  const t = performance.now();
  const tracer = process.env.SCALE_TRACE ? setInterval(() => trace(`optimize ${((performance.now() - t) / 1000).toFixed(0)} s`), 5000) : null;
  await phases.during('optimize', () => store.optimize(Number.MAX_SAFE_INTEGER)); // full-text index only: the ANN index is timed on its own
  if (tracer) clearInterval(tracer);
  return { corpus: CORPUS_VERSION, writeSeconds, ftsOptimizeSeconds: (performance.now() - t) / 1000, peakRssMiB: peakRssMiB(), phases: phases.stop() };
}

/** SCALE_TRACE=1: memory over time on stderr, for finding where a peak builds up. */
function trace(what: string): void {
  const m = process.memoryUsage();
  console.error(`scale trace: ${what}: rss ${Math.round(m.rss / 2 ** 20)} heap ${Math.round(m.heapUsed / 2 ** 20)} external ${Math.round(m.external / 2 ** 20)} MiB, peak ${peakRssMiB()}`);
}

export interface RunOptions {
  queries: number;
  withAnn: boolean;
  /** Also time RRF (vector pass always on) and the vector pass alone: minutes per size past 100k on a flat scan. */
  withVector: boolean;
  /** Keep the store under this folder and reuse it on the next run (generating 1M passages takes half an hour); null: a temp folder, removed. */
  storeDir: string | null;
  recordTop: boolean;
}

const READY = 'scale-ready.json';

/**
 * Queries: 3 words of middling frequency, so full text finds matches as an
 * analyst's query would. Their own seeded stream, so a reused store is
 * queried exactly as a fresh one.
 */
export function benchQueries(size: number, count: number, vocab = makeVocabulary(mulberry32(size))): string[] {
  const random = mulberry32(size ^ 0x51ed);
  const queries: string[] = [];
  for (let i = 0; i < count; i++) queries.push([0, 1, 2].map(() => vocab[50 + Math.floor(random() * 5000)]!).join(' '));
  return queries;
}

type SearchResult = Omit<ScaleResult, 'writeChunksPerSecond' | 'ftsOptimizeSeconds' | 'buildPeakRssMiB' | 'buildPhases'>;

/** The search process: opens the built store fresh, so its peak RSS is that of searching, not of building. */
async function searchSize(size: number, work: string, opts: RunOptions): Promise<SearchResult> {
  const { queries: queryCount, withAnn, withVector } = opts;
  const embedder = new HashedEmbedder();
  let store = await Store.open(work, { embedderId: embedder.id, dimension: embedder.dimension });
  let t: number;

  const queries = benchQueries(size, queryCount);
  const questions = queries.map((q) => `What is reported about ${q}?`);

  const vectorOf = new Map<string, Float32Array>();
  for (const q of queries) vectorOf.set(q, (await embedder.embed([q]))[0]!);
  const flatTop = new Map<string, string[]>();
  const measure = async (): Promise<{ hybridRrf?: { p50: number; p95: number }; vectorOnly?: { p50: number; p95: number }; extractiveAnswer: { p50: number; p95: number } }> => {
    const vectorOnly = withVector ? await timeEach(queries, async (q) => store.nearest(vectorOf.get(q)!, 10)) : undefined;
    const hybridRrf = withVector ? await timeEach(queries, (q) => hybridSearch(store, embedder, q, { k: 10, fusion: 'rrf' })) : undefined;
    const cairn = await Cairn.open(work, { actor: 'bench' });
    const extractiveAnswer = await timeEach(questions, (q) => cairn.ask({ question: q }));
    return { hybridRrf, vectorOnly, extractiveAnswer };
  };
  // Beside the same search without the whole-document scores (main/search/document-evidence.ts): what that step costs.
  const [hybridDefault, hybridPassagesOnly] = await timePair(
    queries,
    (q) => hybridSearch(store, embedder, q, { k: 10 }),
    (q) => hybridSearch(store, embedder, q, { k: 10, documentWeight: 0 }),
  );
  const flat = { hybridDefault, hybridPassagesOnly, ...(await measure()) };
  // What the default search returned, so a change meant to be faster can be shown not to re-rank (--top).
  const hybridTop: string[][] = [];
  if (opts.recordTop) for (const q of queries) hybridTop.push((await hybridSearch(store, embedder, q, { k: 10 })).map((h) => h.id));
  if (withAnn) for (const q of queries) flatTop.set(q, (await store.nearest(vectorOf.get(q)!, 10)).map((c) => c.id));
  const searchPeakRssMiB = peakRssMiB();

  let ann: ScaleResult['ann'] = null;
  if (withAnn) {
    t = performance.now();
    await store.optimize(0); // threshold 0: build the ANN index now (full text is already current)
    const buildSeconds = (performance.now() - t) / 1000;
    store = await Store.open(work, { embedderId: embedder.id, dimension: embedder.dimension });
    const m = await measure();
    let hit = 0;
    for (const q of queries) {
      const got = new Set((await store.nearest(vectorOf.get(q)!, 10)).map((c) => c.id));
      hit += flatTop.get(q)!.filter((id) => got.has(id)).length;
    }
    ann = { buildSeconds: +buildSeconds.toFixed(1), ...m, recallAt10VsFlat: +(hit / (10 * queries.length)).toFixed(3), peakRssMiB: peakRssMiB() };
  }
  return { chunks: size, flat, ann, searchPeakRssMiB, ...(opts.recordTop ? { hybridTop } : {}) };
}

/** Runs one phase of one size in its own process, so each phase's peak RSS is its own. */
function inChild<T>(phase: 'build' | 'search', size: number, work: string, opts: RunOptions): Promise<T> {
  return inChildProcess<T>(import.meta.filename, ['--child', phase, String(size), work, JSON.stringify(opts)], `scale ${phase} child for ${size}`);
}

async function runSize(size: number, opts: RunOptions): Promise<ScaleResult> {
  const work = opts.storeDir ? path.join(opts.storeDir, String(size)) : await mkdtemp(path.join(os.tmpdir(), 'cairn-scale-'));
  // A kept store must stay flat-scanned: the ANN pass would index it in place.
  if (opts.storeDir && opts.withAnn) throw new Error('--store-dir keeps the store for reuse; the ANN pass would index it in place: add --no-ann');
  try {
    const ready = path.join(work, READY);
    let build = opts.storeDir && existsSync(ready) ? (JSON.parse(await readFile(ready, 'utf8')) as BuildStats) : null;
    if (build?.corpus === CORPUS_VERSION) {
      console.error(`scale: reusing the ${size}-chunk store in ${work}`);
    } else {
      if (opts.storeDir) await rm(work, { recursive: true, force: true });
      await mkdir(work, { recursive: true });
      build = await inChild<BuildStats>('build', size, work, opts);
      if (opts.storeDir) await writeFile(ready, JSON.stringify(build));
    }
    const searched = await inChild<SearchResult>('search', size, work, opts);
    return {
      ...searched,
      writeChunksPerSecond: Math.round(size / build!.writeSeconds),
      ftsOptimizeSeconds: +build!.ftsOptimizeSeconds.toFixed(1),
      buildPeakRssMiB: build!.peakRssMiB ?? null,
      buildPhases: build!.phases ?? null,
    };
  } finally {
    if (!opts.storeDir) await rm(work, { recursive: true, force: true });
  }
}

function fmt(x: { p50: number; p95: number } | undefined): string {
  return x ? `${x.p50} / ${x.p95}` : '-';
}

export async function benchScale(argv: string[]): Promise<ScaleResult[]> {
  const { values } = parseArgs({ args: argv, options: { sizes: { type: 'string', default: '10000,100000,1000000' }, queries: { type: 'string', default: '100' }, 'no-ann': { type: 'boolean', default: false }, 'no-vector': { type: 'boolean', default: false }, 'store-dir': { type: 'string' }, top: { type: 'boolean', default: false }, out: { type: 'string', default: 'bench-scale.json' } }, allowPositionals: true });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  const results: ScaleResult[] = [];
  for (const size of sizes) {
    console.error(`scale: ${size} chunks ...`);
    const opts: RunOptions = { queries: Number(values.queries), withAnn: !values['no-ann'], withVector: !values['no-vector'], storeDir: values['store-dir'] ? path.resolve(values['store-dir']) : null, recordTop: values.top };
    const r = await runSize(size, opts);
    results.push(r);
  }
  console.log('\nchunks     write/s  fts-opt s | flat: default / passages only / rrf / vector-only / answer (p50 / p95 ms) | ANN build s: rrf / vector-only / answer, recall@10, peak RSS | peak RSS MiB: build / search');
  for (const r of results) {
    console.log(
      `${String(r.chunks).padEnd(10)} ${String(r.writeChunksPerSecond).padStart(7)} ${String(r.ftsOptimizeSeconds).padStart(9)} | ${fmt(r.flat.hybridDefault)} ; ${fmt(r.flat.hybridPassagesOnly)} ; ${fmt(r.flat.hybridRrf)} ; ${fmt(r.flat.vectorOnly)} ; ${fmt(r.flat.extractiveAnswer)} | ` +
        (r.ann ? `${r.ann.buildSeconds}: ${fmt(r.ann.hybridRrf)} ; ${fmt(r.ann.vectorOnly)} ; ${fmt(r.ann.extractiveAnswer)}, ${r.ann.recallAt10VsFlat}, ${r.ann.peakRssMiB}` : '-') +
        ` | ${r.buildPeakRssMiB ?? '?'} / ${r.searchPeakRssMiB}`,
    );
  }
  await writeFile(values.out, JSON.stringify({ machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`, results }, null, 2));
  const uptime = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`written ${values.out} (load average at the end: ${uptime})`);
  return results;
}

if (process.argv[2] === '--child') {
  const [phase, size, work, opts] = process.argv.slice(3) as [string, string, string, string];
  const r = phase === 'build' ? await buildStore(work, Number(size), new HashedEmbedder()) : await searchSize(Number(size), work, JSON.parse(opts) as RunOptions);
  process.send!(r, () => process.exit(0));
} else if (import.meta.filename === process.argv[1]) {
  await benchScale(process.argv.slice(2));
}
