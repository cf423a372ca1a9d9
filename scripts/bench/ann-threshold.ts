/**
 * `npm run bench -- ann [--sizes 2000,5000,10000,25000,50000,100000,200000]
 * [--dim 384] [--queries 100] [--budget-ms 15] [--probes 10:5,40:5,20:10]
 * [--grow-from N]`: the store size past which a trained embedder's chunks are worth an IVF-PQ
 * index (VECTOR_INDEX_MIN_ROWS in main/store/vector-index.ts). Per size,
 * in its own process (so its peak RSS is its own) and a temp store removed
 * after: rows written through Store.writeBulk and folded in as ingest does
 * (optimize without the index); the flat scan timed through Store.nearest;
 * the index built as the product builds it (`store.optimize(0)`); the ANN
 * search timed the same way, with recall against the flat scan's results;
 * then other nprobes:refine settings (`--probes`) for the trade-off.
 * Each search is timed at k = 10 and at the k hybrid search asks of the
 * vector pass (SEARCH_DEFAULTS.candidates), in turns per query. About 10
 * minutes at the default sizes and 384 dimensions on the 2-core machine.
 * `--grow-from N` instead indexes each store at N rows and grows it to the
 * size with ingest's upkeep (measureGrown): what an early index costs later.
 *
 * The threshold rule (thresholdFrom, README "Performance"): the smallest
 * measured size from which on the flat scan's p95 at hybrid's k exceeds the
 * vector pass's budget, provided the ANN search there is faster and finds
 * >= MIN_RECALL of the flat scan's top 10. The budget: the product target
 * is hybrid p95 <= 50 ms at 1M chunks, and its full-text pass measured
 * 20-35 ms p95 at 1M (README); with a trained embedder the vector pass runs
 * on every query, beside full text but on the same two cores, so it is
 * counted as adding to it: 50 - 35 = 15 ms.
 *
 * The vectors (ClusteredVectors below) are synthetic: no embedding weights
 * exist on the build machine. Why they are a fair stand-in: the flat scan
 * is exact, so its cost depends on rows and dimension only, not on what the
 * vectors mean, and that cost is what sets the threshold; IVF-PQ's cost and
 * recall depend on the data clustering into partitions and its sub-vectors
 * being compressible, which the mixture reproduces (cosine ~0.13 between
 * unrelated rows, a query's top 1 ~0.75 and top 10 ~0.62 at 20k rows, in
 * the range a MiniLM-class model gives). What they cannot show: the recall
 * of a real model on real passages (its actual spectrum, clusters that
 * overlap unevenly, hub vectors, queries worded unlike passages), nor
 * retrieval quality: the recall here is the index's against the exact scan
 * on such data. Their clusters are better separated than real ones (how
 * many partitions were probed barely changed recall), so real recall at
 * the same settings is likely lower.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sha256Hex } from '../../main/core/hash.js';
import type { ScoredChunk, Source } from '../../main/core/types.js';
import { SEARCH_DEFAULTS } from '../../main/search/hybrid.js';
import { type ChunkRow, Store } from '../../main/store/store.js';
import { type AnnProbe, DEFAULT_ANN_PROBE } from '../../main/store/vector-index.js';
import { mulberry32, percentile } from '../lib/stats.js';
import { inChildProcess, peakRssMiB } from '../lib/child-process.js';

/** The vector pass's share of hybrid search's 50 ms p95 target at 1M: 50 minus full text's measured 35 ms (see above). */
export const VECTOR_PASS_BUDGET_MS = 15;
/** Recall@10 against the flat scan an index must reach to replace it. */
export const MIN_RECALL = 0.9;

const BATCH = 5_000;
const PASSAGES_PER_SOURCE = 50;
/** One mixture for every size: a size's rows are the first rows of the next size's. */
const MIXTURE_SEED = 0x5eed;
const ROW_SEED = 1;
const QUERY_SEED = 0xa11ce;

// ---------------------------------------------------------------------------
// Vectors: a seeded mixture shaped like a trained sentence embedder's.

const TOPICS = 64;
const SUBTOPICS = 16;
/** Directions a topic's members spread along: a low intrinsic dimension, as real embeddings have. */
const LOCAL_DIRECTIONS = 16;
/**
 * Squared weights of a vector's parts (they add to 1 before normalising): a
 * direction every vector leans along (real embeddings are anisotropic), its
 * topic, its sub-topic, its spread within the topic, isotropic noise.
 */
const WEIGHTS = { shared: 0.12, topic: 0.2, subtopic: 0.23, local: 0.33, noise: 0.12 };

/** Standard normal by Box-Muller. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

function unitGaussian(dim: number, random: () => number): Float32Array {
  return normalise(Float32Array.from({ length: dim }, () => gaussian(random)));
}

/** v += w * u */
function addScaled(v: Float32Array, u: Float32Array, w: number): void {
  for (let i = 0; i < v.length; i++) v[i]! += w * u[i]!;
}

/** Index of the first cumulative weight reaching u * total. */
function pick(cdf: readonly number[], u: number): number {
  const x = u * cdf[cdf.length - 1]!;
  let i = 0;
  while (i < cdf.length - 1 && cdf[i]! < x) i++;
  return i;
}

/**
 * TOPICS x SUBTOPICS clusters (1,024) on the unit sphere; topics of
 * Zipf-like sizes (1/(t+1)^0.8), sub-topics of uneven sizes within each.
 * Unrelated rows score ~0.13 cosine, same topic ~0.35, same sub-topic ~0.55.
 */
export class ClusteredVectors {
  private readonly shared: Float32Array;
  private readonly topics: Float32Array[] = [];
  private readonly subtopics: Float32Array[][] = [];
  private readonly local: Float32Array[][] = [];
  private readonly topicCdf: number[] = [];
  private readonly subCdf: number[][] = [];

  constructor(readonly dim: number, seed: number) {
    const random = mulberry32(seed);
    this.shared = unitGaussian(dim, random);
    let sum = 0;
    for (let t = 0; t < TOPICS; t++) {
      this.topics.push(unitGaussian(dim, random));
      this.subtopics.push(Array.from({ length: SUBTOPICS }, () => unitGaussian(dim, random)));
      this.local.push(Array.from({ length: LOCAL_DIRECTIONS }, () => unitGaussian(dim, random)));
      this.topicCdf.push((sum += 1 / (t + 1) ** 0.8));
      let s = 0;
      this.subCdf.push(Array.from({ length: SUBTOPICS }, () => (s += 0.2 + random())));
    }
  }

  /** One member. `spread` scales the within-topic parts: 1 for a passage, less for a query nearer the centre. */
  sample(random: () => number, spread = 1): Float32Array {
    const topic = pick(this.topicCdf, random());
    const sub = pick(this.subCdf[topic]!, random());
    const v = new Float32Array(this.dim);
    addScaled(v, this.shared, Math.sqrt(WEIGHTS.shared));
    addScaled(v, this.topics[topic]!, Math.sqrt(WEIGHTS.topic));
    addScaled(v, this.subtopics[topic]![sub]!, Math.sqrt(WEIGHTS.subtopic));
    // Spread along the topic's own directions, direction i weighted 1/sqrt(i+1) (a decaying spectrum).
    let harmonic = 0;
    for (let i = 0; i < LOCAL_DIRECTIONS; i++) harmonic += 1 / (i + 1);
    for (let i = 0; i < LOCAL_DIRECTIONS; i++) addScaled(v, this.local[topic]![i]!, spread * gaussian(random) * Math.sqrt(WEIGHTS.local / harmonic / (i + 1)));
    const noise = spread * Math.sqrt(WEIGHTS.noise / this.dim);
    for (let i = 0; i < this.dim; i++) v[i]! += noise * gaussian(random);
    return normalise(v);
  }
}

/** Queries from the mixture, never stored rows: alternately a fresh passage-like member and one nearer its centre. */
export function annQueries(mixture: ClusteredVectors, count: number): Float32Array[] {
  const random = mulberry32(QUERY_SEED);
  return Array.from({ length: count }, (_, i) => mixture.sample(random, i % 2 ? 0.6 : 1));
}

// ---------------------------------------------------------------------------
// One size, in its own process.

interface Latency {
  p50: number;
  p95: number;
}

interface Searched {
  /** At k = 10, and at hybrid's k (SEARCH_DEFAULTS.candidates). */
  k10: Latency;
  kHybrid: Latency;
}

interface ProbeResult extends Searched {
  nprobes: number;
  refineFactor: number;
  recallAt10: number;
  recallAtHybridK: number;
}

export interface AnnSizeResult {
  rows: number;
  dim: number;
  writeRowsPerSecond: number;
  /** optimize() without the index, as ingest runs it: compaction and full text. */
  upkeepSeconds: number;
  flat: Searched;
  /** The product's settings (ANN_NPROBES, ANN_REFINE) through Store.nearest. */
  ann: ProbeResult & { buildSeconds: number };
  /** The same search with other settings (--probes). */
  probes: ProbeResult[];
  /** Peak RSS of the size's process before building the index, and at its end. */
  peakRssMiBFlat: number;
  peakRssMiB: number;
  loadAverage: [number, number];
}

interface ChildOptions {
  rows: number;
  dim: number;
  queries: number;
  probes: AnnProbe[];
  work: string;
  /** Set: build the index at this many rows and grow the store to `rows` (measureGrown). */
  growFrom?: number;
}

function rowId(n: number): { sourceId: string; ordinal: number; id: string } {
  const sourceId = sha256Hex(`ann-source-${Math.floor(n / PASSAGES_PER_SOURCE)}`);
  const ordinal = n % PASSAGES_PER_SOURCE;
  return { sourceId, ordinal, id: sha256Hex(`${sourceId}:${ordinal}`) };
}

/**
 * Writes rows [from, to) of the bench set a batch at a time (one batch held
 * at once); `random` carries the row stream on, so rows are the same however
 * the writing is split.
 */
async function writeRows(store: Store, mixture: ClusteredVectors, random: () => number, from: number, to: number): Promise<void> {
  const now = new Date().toISOString();
  for (let start = from; start < to; start += BATCH) {
    const sources: Source[] = [];
    const rows: ChunkRow[] = [];
    for (let n = start; n < Math.min(start + BATCH, to); n++) {
      const { sourceId, ordinal, id } = rowId(n);
      // A source's row goes with its first passage's batch (a later batch may hold the rest of its passages).
      if (ordinal === 0) sources.push({ id: sourceId, kind: 'document', title: `synthetic ${n}`, origin: 'bench', mime: 'text/plain', bytes: 0, ingestedAt: now, marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {} });
      const text = `passage ${n} of the synthetic set`;
      rows.push({ id, sourceId, ordinal, text, page: 1, start: 0, end: text.length, marking: 'UNCLASSIFIED', vector: mixture.sample(random) });
    }
    await store.writeBulk(sources, rows);
  }
}

/**
 * The exact top `k` of each query over the first `rows` rows, computed here
 * (cosine: every vector is unit length): the truth for a store whose index
 * was built before it grew, which has no flat scan to compare with.
 */
function exactTop(mixture: ClusteredVectors, rows: number, queries: Float32Array[], k: number): string[][] {
  const random = mulberry32(ROW_SEED);
  const best = queries.map(() => [] as { n: number; score: number }[]);
  for (let n = 0; n < rows; n++) {
    const v = mixture.sample(random);
    for (const [qi, q] of queries.entries()) {
      let score = 0;
      for (let i = 0; i < v.length; i++) score += v[i]! * q[i]!;
      const top = best[qi]!;
      if (top.length === k && score <= top[k - 1]!.score) continue;
      const at = top.findIndex((t) => t.score < score);
      top.splice(at < 0 ? top.length : at, 0, { n, score });
      if (top.length > k) top.pop();
    }
  }
  return best.map((top) => top.map((t) => rowId(t.n).id));
}

const stats = (ms: number[]): Latency => ({ p50: +percentile(ms, 50).toFixed(1), p95: +percentile(ms, 95).toFixed(1) });

/**
 * Each query searched at k = 10 and at hybrid's k, in turns (which goes
 * first alternates, so neither is charged for caches the other warmed), after
 * one untimed search of each. Returns the latencies and every query's ids.
 */
async function timeSearches(store: Store, queries: Float32Array[], probe: AnnProbe): Promise<{ latency: Searched; ids10: string[][]; idsHybrid: string[][] }> {
  const ks = [10, SEARCH_DEFAULTS.candidates] as const;
  const search = (q: Float32Array, k: number): Promise<ScoredChunk[]> => store.nearest(q, k, null, null, probe);
  for (const k of ks) await search(queries[0]!, k);
  const ms: [number[], number[]] = [[], []];
  const ids: [string[][], string[][]] = [[], []];
  for (const [i, q] of queries.entries()) {
    for (const which of i % 2 ? [1, 0] : [0, 1]) {
      const t = performance.now();
      const hits = await search(q, ks[which]!);
      ms[which]!.push(performance.now() - t);
      ids[which]![i] = hits.map((h) => h.id);
    }
  }
  return { latency: { k10: stats(ms[0]), kHybrid: stats(ms[1]) }, ids10: ids[0], idsHybrid: ids[1] };
}

/** Share of the exact lists' ids the approximate lists found. */
function recall(exact: string[][], got: string[][]): number {
  let hit = 0;
  let all = 0;
  for (const [i, ids] of exact.entries()) {
    const found = new Set(got[i]);
    hit += ids.filter((id) => found.has(id)).length;
    all += ids.length;
  }
  return +(hit / all).toFixed(3);
}

const open = (opts: ChildOptions): Promise<Store> => Store.open(opts.work, { embedderId: `bench-clustered-${opts.dim}`, dimension: opts.dim });

/** The product's settings and each of --probes, timed through Store.nearest, recall against `exact` (top 10 and top hybrid-k ids). */
async function annSearches(store: Store, queries: Float32Array[], probes: AnnProbe[], exact: { ids10: string[][]; idsHybrid: string[][] }): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for (const probe of [DEFAULT_ANN_PROBE, ...probes]) {
    const r = await timeSearches(store, queries, probe);
    out.push({ ...probe, ...r.latency, recallAt10: recall(exact.ids10, r.ids10), recallAtHybridK: recall(exact.idsHybrid, r.idsHybrid) });
  }
  return out;
}

/** One size: written, folded in, flat scan timed; then the index built as ingest builds it and timed. */
async function measureSize(opts: ChildOptions): Promise<AnnSizeResult> {
  const load0 = os.loadavg()[0]!;
  const mixture = new ClusteredVectors(opts.dim, MIXTURE_SEED);
  const queries = annQueries(mixture, opts.queries);
  let store = await open(opts);
  let t = performance.now();
  await writeRows(store, mixture, mulberry32(ROW_SEED), 0, opts.rows);
  const writeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await store.optimize(); // compaction and full text, no ANN index: that is built and timed on its own
  const upkeepSeconds = (performance.now() - t) / 1000;

  store = await open(opts);
  const flat = await timeSearches(store, queries, DEFAULT_ANN_PROBE);
  const peakRssMiBFlat = peakRssMiB();

  t = performance.now();
  await store.optimize(0); // threshold 0: the index as ingest builds it past VECTOR_INDEX_MIN_ROWS
  const buildSeconds = +((performance.now() - t) / 1000).toFixed(1);
  store = await open(opts);
  if (!(await store.vectorIndexed())) throw new Error(`no vector index after optimize(0) at ${opts.rows} rows`);
  const [ann, ...probes] = await annSearches(store, queries, opts.probes, flat);
  return {
    rows: opts.rows,
    dim: opts.dim,
    writeRowsPerSecond: Math.round(opts.rows / writeSeconds),
    upkeepSeconds: +upkeepSeconds.toFixed(1),
    flat: flat.latency,
    ann: { ...ann!, buildSeconds },
    probes,
    peakRssMiBFlat,
    peakRssMiB: peakRssMiB(),
    loadAverage: [+load0.toFixed(1), +os.loadavg()[0]!.toFixed(1)],
  };
}

/** Rows written between index upkeeps while a store grows (--grow-from): a stand-in for one ingest's worth. */
const GROW_UPKEEP_ROWS = 25_000;

export interface GrownResult {
  rows: number;
  dim: number;
  /** The index was built when the store held this many rows (sqrt of it partitions) and kept current since. */
  indexedAt: number;
  /** All upkeeps while growing (compaction, full text, the index folded forward). */
  upkeepSeconds: number;
  ann: ProbeResult;
  probes: ProbeResult[];
  peakRssMiB: number;
  loadAverage: [number, number];
}

/**
 * A store indexed when it passed `growFrom` rows, then grown to `rows` with
 * ingest's upkeep every GROW_UPKEEP_ROWS: the product builds the index once
 * (sqrt of the rows then partitions) and LanceDB's optimize folds later rows
 * into it, so whether a low threshold is paid for later shows here. Recall
 * against the exact top lists computed here.
 */
async function measureGrown(opts: ChildOptions & { growFrom: number }): Promise<GrownResult> {
  const load0 = os.loadavg()[0]!;
  const mixture = new ClusteredVectors(opts.dim, MIXTURE_SEED);
  const queries = annQueries(mixture, opts.queries);
  const store = await open(opts);
  const random = mulberry32(ROW_SEED);
  await writeRows(store, mixture, random, 0, opts.growFrom);
  await store.optimize(opts.growFrom);
  const t = performance.now();
  for (let n = opts.growFrom; n < opts.rows; n += GROW_UPKEEP_ROWS) {
    await writeRows(store, mixture, random, n, Math.min(n + GROW_UPKEEP_ROWS, opts.rows));
    await store.optimize(opts.growFrom);
  }
  const upkeepSeconds = +((performance.now() - t) / 1000).toFixed(1);
  const idsHybrid = exactTop(mixture, opts.rows, queries, SEARCH_DEFAULTS.candidates);
  const exact = { ids10: idsHybrid.map((ids) => ids.slice(0, 10)), idsHybrid };
  const [ann, ...probes] = await annSearches(await open(opts), queries, opts.probes, exact);
  return { rows: opts.rows, dim: opts.dim, indexedAt: opts.growFrom, upkeepSeconds, ann: ann!, probes, peakRssMiB: peakRssMiB(), loadAverage: [+load0.toFixed(1), +os.loadavg()[0]!.toFixed(1)] };
}

/** Each size in its own process, so each peak RSS is that size's. */
function inChild<T>(opts: ChildOptions): Promise<T> {
  return inChildProcess<T>(import.meta.filename, ['--child', JSON.stringify(opts)], `ann child for ${opts.rows} rows`);
}

// ---------------------------------------------------------------------------
// The rule, the table, the JSON.

export interface Threshold {
  /** The derived VECTOR_INDEX_MIN_ROWS; null when no measured size qualifies. */
  rows: number | null;
  why: string;
}

/**
 * The smallest measured size from which on (it and every larger one) the
 * flat scan's p95 at hybrid's k exceeds `budgetMs`, and where the index
 * is faster at that k and finds >= MIN_RECALL of the flat top 10 with the
 * product's settings; when the index misses either there, the next size
 * that meets both.
 */
export function thresholdFrom(results: readonly AnnSizeResult[], budgetMs = VECTOR_PASS_BUDGET_MS): Threshold {
  const sorted = [...results].sort((a, b) => a.rows - b.rows);
  const over = sorted.findIndex((_, i) => sorted.slice(i).every((r) => r.flat.kHybrid.p95 > budgetMs));
  if (over < 0) return { rows: null, why: `the flat scan's p95 stays within ${budgetMs} ms up to ${sorted.at(-1)?.rows ?? 0} rows: measure larger sizes` };
  const fit = sorted.slice(over).find((r) => r.ann.kHybrid.p95 < r.flat.kHybrid.p95 && r.ann.recallAt10 >= MIN_RECALL);
  const first = sorted[over]!;
  const lead = `flat p95 ${first.flat.kHybrid.p95} ms > ${budgetMs} ms from ${first.rows} rows on`;
  if (!fit) return { rows: null, why: `${lead}, but the index is never both faster and >= ${MIN_RECALL} recall@10 there` };
  return { rows: fit.rows, why: `${lead}; at ${fit.rows} the index: p95 ${fit.ann.kHybrid.p95} ms, recall@10 ${fit.ann.recallAt10}` };
}

function fmt(x: Latency): string {
  return `${x.p50} / ${x.p95}`;
}

function probeLine(p: ProbeResult): string {
  return `nprobes:refine ${p.nprobes}:${p.refineFactor}: ${fmt(p.k10)} ; ${fmt(p.kHybrid)}, recall@10 ${p.recallAt10}, recall@${SEARCH_DEFAULTS.candidates} ${p.recallAtHybridK}`;
}

export async function benchAnnThreshold(argv: string[]): Promise<{ results: AnnSizeResult[]; threshold: Threshold } | { grown: GrownResult[] }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '2000,5000,10000,25000,50000,100000,200000' },
      dim: { type: 'string', default: '384' },
      queries: { type: 'string', default: '100' },
      'budget-ms': { type: 'string', default: String(VECTOR_PASS_BUDGET_MS) },
      probes: { type: 'string', default: '10:5,40:5,20:10' },
      // Instead of a fresh index per size: one built at this many rows, the store then grown to each size.
      'grow-from': { type: 'string' },
      out: { type: 'string', default: 'bench-ann.json' },
    },
    allowPositionals: true,
  });
  const dim = Number(values.dim);
  const budgetMs = Number(values['budget-ms']);
  const growFrom = values['grow-from'] === undefined ? undefined : Number(values['grow-from']);
  const probes = values.probes.split(',').filter(Boolean).map((p) => {
    const [nprobes, refineFactor] = p.split(':').map(Number);
    return { nprobes: nprobes!, refineFactor: refineFactor! };
  });
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  const k = SEARCH_DEFAULTS.candidates;
  const measured: (AnnSizeResult | GrownResult)[] = [];
  for (const rows of values.sizes.split(',').map((s) => Number(s.trim()))) {
    console.error(`ann: ${rows} rows, ${dim} dimensions${growFrom === undefined ? '' : `, indexed at ${growFrom}`} ...`);
    const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-ann-'));
    try {
      measured.push(await inChild({ rows, dim, queries: Number(values.queries), probes, work, growFrom }));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  if (growFrom !== undefined) {
    const grown = measured as GrownResult[];
    console.log(`\nrows, ${dim} dim, index built at ${growFrom} rows | upkeep s while growing | ANN (p50 / p95 ms) k=10 ; k=${k}, recall vs exact | peak RSS MiB | load`);
    for (const r of grown) {
      console.log(`${String(r.rows).padEnd(8)} | ${r.upkeepSeconds} | ${probeLine(r.ann)} | ${r.peakRssMiB} | ${r.loadAverage.join(' -> ')}`);
      for (const p of r.probes) console.log(`         |   ${probeLine(p)}`);
    }
    await writeFile(values.out, JSON.stringify({ machine, dim, hybridK: k, growFrom, grown }, null, 2));
    console.log(`written ${values.out}`);
    return { grown };
  }

  const results = measured as AnnSizeResult[];
  console.log(`\nrows, ${dim} dim | flat k=10 ; k=${k} (p50 / p95 ms) | ANN build s | ANN k=10 ; k=${k}, recall vs flat | peak RSS MiB flat / with index | write rows/s | load`);
  for (const r of results) {
    console.log(`${String(r.rows).padEnd(8)} | ${fmt(r.flat.k10)} ; ${fmt(r.flat.kHybrid)} | ${r.ann.buildSeconds} | ${probeLine(r.ann)} | ${r.peakRssMiBFlat} / ${r.peakRssMiB} | ${r.writeRowsPerSecond} | ${r.loadAverage.join(' -> ')}`);
    for (const p of r.probes) console.log(`         |   ${probeLine(p)}`);
  }
  const threshold = thresholdFrom(results, budgetMs);
  console.log(`threshold (vector pass budget ${budgetMs} ms p95, recall@10 >= ${MIN_RECALL}): ${threshold.rows ?? 'none'}: ${threshold.why}`);
  await writeFile(values.out, JSON.stringify({ machine, dim, budgetMs, minRecall: MIN_RECALL, hybridK: k, threshold, results }, null, 2));
  console.log(`written ${values.out}`);
  return { results, threshold };
}

if (process.argv[2] === '--child') {
  const opts = JSON.parse(process.argv[3]!) as ChildOptions;
  const r = opts.growFrom === undefined ? await measureSize(opts) : await measureGrown({ ...opts, growFrom: opts.growFrom });
  process.send!(r, () => process.exit(0));
} else if (import.meta.filename === process.argv[1]) {
  await benchAnnThreshold(process.argv.slice(2));
}
