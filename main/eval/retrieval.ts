import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chunkPages } from '../../ingest/chunking.js';
import { sha256Hex } from '../core/hash.js';
import type { Source } from '../core/types.js';
import { TermVectors } from '../embed/cooccurrence.js';
import type { Embedder } from '../embed/embedder.js';
import { CORPUS_MODEL_MAX_PASSAGES, CORPUS_MODEL_MIN_PASSAGES } from '../search/corpus-model.js';
import { hybridSearch, type SearchOptions } from '../search/hybrid.js';
import { BaselineFtsIndex } from '../store/baseline.js';
import { type ChunkRow, Store } from '../store/store.js';
import { type BeirSet, corpusBatches, loadBeir } from './beir.js';
import { mean, mrrAt, ndcgAt, recallAt } from './metrics.js';

export interface RetrievalReport {
  dataset: string;
  queries: number;
  documents: number;
  ndcg10: number;
  recall100: number;
  mrr10: number;
  baseline: { name: 'lancedb-fts'; ndcg10: number; recall100: number; mrr10: number };
  /** ndcg10 - baseline.ndcg10, measured in the same run. */
  delta: number;
  seconds: { index: number; search: number };
}

export interface RetrievalEvalOptions {
  embedder: Embedder;
  /** Called with (done, total, phase) while indexing and searching. */
  onProgress?: (done: number, total: number, phase: 'index' | 'search') => void;
  /** Retrieval settings under test; the product defaults otherwise. */
  search?: SearchOptions;
  /** Scratch folder; a temp folder is made and removed when absent. */
  workDir?: string;
  /**
   * Builds the search settings that need the indexed corpus (a corpus-trained
   * model); the product's way by default.
   */
  prepare?: (chunkTexts: readonly string[]) => Promise<SearchOptions>;
}

/** What the product does after ingest (main/search/corpus-model.ts): word vectors from the indexed passages. */
const defaultPrepare = (chunkTexts: readonly string[]): Promise<SearchOptions> =>
  Promise.resolve(chunkTexts.length < CORPUS_MODEL_MIN_PASSAGES ? {} : { termVectors: TermVectors.train(chunkTexts.slice(0, CORPUS_MODEL_MAX_PASSAGES)) });

const DEPTH = 100;

/** A document's title and text as one page, as ingest would see a short file. */
function docText(title: string, text: string): string {
  return title ? `${title}\n\n${text}` : text;
}

/**
 * What each passage's full-text terms carry besides its text (ChunkRow
 * `context`): the document title on every passage, `repeat` times (a
 * BM25F-style weight), or only on passages after the first (which already
 * holds the title in its text), or nothing.
 */
export interface TitleContext {
  chunks: 'all' | 'rest' | 'none';
  repeat?: number;
  /** Also the text of the passages before and after (a document-field stand-in). */
  neighbours?: boolean;
}

/** What the ingest pipeline does (ingest/pipeline.ts): it sets no context. */
export const PRODUCT_TITLE_CONTEXT: TitleContext = { chunks: 'none' };

export function titleContextOf(setting: TitleContext, title: string, ordinal: number): string | undefined {
  if (!title || setting.chunks === 'none' || (setting.chunks === 'rest' && ordinal === 0)) return undefined;
  return Array.from({ length: Math.max(1, setting.repeat ?? 1) }, () => title).join('\n');
}

export interface EvalIndexOptions {
  titleContext?: TitleContext;
  /** Build LanceDB's plain FTS baseline too (default true); a second Cairn index for another setting does not need it. */
  baseline?: boolean;
}

/** Both indexes of one BEIR set, built once and searched by any number of settings. */
export interface EvalIndexes {
  set: BeirSet;
  store: Store;
  baseline: BaselineFtsIndex | null;
  /** Cairn source id -> BEIR doc id. */
  docOfSource: ReadonlyMap<string, string>;
  documents: number;
  /** Every chunk text as indexed: what a corpus-trained model learns from. */
  chunkTexts: string[];
  indexSeconds: number;
}

/**
 * Indexes a BEIR folder twice in `work` (Cairn's pipeline: chunk, embed; and
 * LanceDB's plain FTS over whole documents).
 */
export async function buildEvalIndexes(dir: string, work: string, embedder: Embedder, onProgress?: RetrievalEvalOptions['onProgress'], opts: EvalIndexOptions = {}): Promise<EvalIndexes> {
  const set = await loadBeir(dir);
  const titleContext = opts.titleContext ?? PRODUCT_TITLE_CONTEXT;
  const t0 = performance.now();
  const store = await Store.open(path.join(work, 'cairn'), { embedderId: embedder.id, dimension: embedder.dimension });
  const docOfSource = new Map<string, string>();
  const chunkTexts: string[] = [];
  let documents = 0;
  async function* indexed(): AsyncGenerator<{ id: string; text: string }[]> {
    for await (const batch of corpusBatches(set)) {
      const sources: Source[] = [];
      const rows: Omit<ChunkRow, 'vector'>[] = [];
      for (const d of batch) {
        const text = docText(d.title, d.text);
        const sourceId = sha256Hex(`${d.id}\u0000${text}`);
        docOfSource.set(sourceId, d.id);
        sources.push({
          id: sourceId, kind: 'document', title: d.title || d.id, origin: `beir:${set.name}/${d.id}`, mime: 'text/plain',
          bytes: Buffer.byteLength(text), ingestedAt: new Date().toISOString(), marking: '', packageId: '', parentId: '', metadata: { beirId: d.id },
        });
        const chunks = chunkPages([{ page: 1, text }]);
        for (const c of chunks) {
          const around = titleContext.neighbours ? [chunks[c.ordinal - 1]?.text, chunks[c.ordinal + 1]?.text].filter(Boolean).join('\n\n') : '';
          const context = [titleContextOf(titleContext, d.title, c.ordinal), around].filter(Boolean).join('\n\n') || undefined;
          rows.push({ id: sha256Hex(`${sourceId}:${c.page}:${c.start}:${c.end}`), sourceId, ordinal: c.ordinal, text: c.text, page: c.page, start: c.start, end: c.end, marking: '', ...(context ? { context } : {}) });
          chunkTexts.push(c.text);
        }
      }
      const vectors = await embedder.embed(rows.map((r) => r.text));
      await store.writeBulk(sources, rows.map((r, i) => ({ ...r, vector: vectors[i] as Float32Array })));
      documents += batch.length;
      onProgress?.(documents, documents, 'index');
      yield batch.map((d) => ({ id: d.id, text: docText(d.title, d.text) }));
    }
  }
  let baseline: BaselineFtsIndex | null = null;
  if (opts.baseline ?? true) baseline = await BaselineFtsIndex.build(path.join(work, 'baseline'), indexed());
  else for await (const _ of indexed());
  await store.optimize();
  return { set, store, baseline, docOfSource, documents, chunkTexts, indexSeconds: (performance.now() - t0) / 1000 };
}

/** Chunk hits rolled up to their documents by best rank. */
export function docRanking(hits: readonly { sourceId: string }[], docOfSource: ReadonlyMap<string, string>): string[] {
  const ranking: string[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    const doc = docOfSource.get(h.sourceId);
    if (doc && !seen.has(doc)) {
      seen.add(doc);
      ranking.push(doc);
    }
  }
  return ranking;
}

/**
 * A ranking with the query's own id left out, as BEIR's evaluation does
 * (`ignore_identical_ids`, on by default): in sets such as ArguAna and Quora
 * every query is also a document of the corpus, found first by any
 * retriever and never judged relevant. Applied to Cairn and the baseline
 * alike; no query id is a document id in scifact or msmarco-5k.
 */
export function withoutQueryItself(ranking: readonly string[], queryId: string): string[] {
  return ranking.filter((doc) => doc !== queryId);
}

/**
 * The baseline's top `DEPTH` without the query's own document. Asked for one
 * more only when that document is among them: LanceDB's top-k search with
 * another k can order ties differently (msmarco-5k moved by 0.0001).
 */
export async function baselineRanking(baseline: BaselineFtsIndex, query: string, queryId: string): Promise<string[]> {
  const ranking = await baseline.search(query, DEPTH);
  return ranking.includes(queryId) ? withoutQueryItself(await baseline.search(query, DEPTH + 1), queryId).slice(0, DEPTH) : ranking;
}

export const EVAL_DEPTH = DEPTH;

export const round4 = (x: number): number => Math.round(x * 10000) / 10000;

/**
 * Indexes a BEIR folder twice in scratch space (Cairn's pipeline: chunk, embed,
 * hybrid; and LanceDB's plain FTS over whole documents) and scores both.
 * Chunk hits roll up to their document by best rank.
 */
export async function evalRetrieval(dir: string, opts: RetrievalEvalOptions): Promise<RetrievalReport> {
  const work = opts.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cairn-eval-')));
  try {
    const { set, store, baseline, docOfSource, documents, chunkTexts, indexSeconds } = await buildEvalIndexes(dir, work, opts.embedder, opts.onProgress);
    if (!baseline) throw new Error('evaluation index built without its baseline');
    const t1 = performance.now();
    const search = await (opts.prepare ?? defaultPrepare)(chunkTexts);
    const ours = { ndcg: [] as number[], recall: [] as number[], mrr: [] as number[] };
    const base = { ndcg: [] as number[], recall: [] as number[], mrr: [] as number[] };
    let done = 0;
    for (const [qid, qrels] of set.qrels) {
      const q = set.queries.get(qid) ?? '';
      const hits = await hybridSearch(store, opts.embedder, q, { k: DEPTH * 5, candidates: DEPTH * 5, ...search, ...opts.search });
      const ranking = withoutQueryItself(docRanking(hits, docOfSource), qid);
      const baseRanking = await baselineRanking(baseline, q, qid);
      for (const [acc, r] of [[ours, ranking], [base, baseRanking]] as const) {
        acc.ndcg.push(ndcgAt(r, qrels, 10));
        acc.recall.push(recallAt(r, qrels, DEPTH));
        acc.mrr.push(mrrAt(r, qrels, 10));
      }
      opts.onProgress?.(++done, set.qrels.size, 'search');
    }
    const t2 = performance.now();
    const ndcg10 = round4(mean(ours.ndcg));
    const baseNdcg = round4(mean(base.ndcg));
    return {
      dataset: set.name,
      queries: set.qrels.size,
      documents,
      ndcg10,
      recall100: round4(mean(ours.recall)),
      mrr10: round4(mean(ours.mrr)),
      baseline: { name: 'lancedb-fts', ndcg10: baseNdcg, recall100: round4(mean(base.recall)), mrr10: round4(mean(base.mrr)) },
      delta: round4(ndcg10 - baseNdcg),
      seconds: { index: Math.round(indexSeconds * 10) / 10, search: Math.round((t2 - t1) / 100) / 10 },
    };
  } finally {
    if (!opts.workDir) await rm(work, { recursive: true, force: true });
  }
}
