import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Embedder } from '../embed/embedder.js';
import { hybridSearch, type SearchOptions } from '../search/hybrid.js';
import { mean, ndcgAt, recallAt } from './metrics.js';
import { baselineRanking, buildEvalIndexes, docRanking, EVAL_DEPTH, type EvalIndexes, PRODUCT_TITLE_CONTEXT, round4, type TitleContext, withoutQueryItself } from './retrieval.js';

/** One retrieval setting under test; `prepare` builds what needs the indexed corpus. */
export interface RetrievalVariant {
  name: string;
  search?: SearchOptions;
  prepare?: (chunkTexts: readonly string[]) => Promise<SearchOptions> | SearchOptions;
  /** An index-time setting: when it differs from the product's, a second Cairn index is built for it (once per setting). */
  titleContext?: TitleContext;
}

export interface VariantResult {
  name: string;
  ndcg10: number;
  recall100: number;
  /** ndcg10 minus LanceDB plain FTS, same run. */
  delta: number;
  /** Mean search time per query, ms (prepare excluded). */
  msPerQuery: number;
  /** msPerQuery over the first variant's (the reference setting). */
  timeRatio: number;
  prepareSeconds: number;
}

export interface VariantsReport {
  dataset: string;
  queries: number;
  documents: number;
  baseline: { name: 'lancedb-fts'; ndcg10: number; recall100: number };
  variants: VariantResult[];
}

/**
 * Several retrieval settings on one BEIR set, indexed once, each against
 * LanceDB's plain full-text baseline in the same run: how a change is chosen
 * (README, performance/retrieval). The first variant is the reference for
 * the time ratio.
 */
export async function evalRetrievalVariants(dir: string, embedder: Embedder, variants: readonly RetrievalVariant[], onVariant?: (r: VariantResult) => void): Promise<VariantsReport> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-eval-variants-'));
  try {
    const idx = await buildEvalIndexes(dir, work, embedder);
    if (!idx.baseline) throw new Error('evaluation index built without its baseline');
    const baselineIndex = idx.baseline;
    // Further Cairn indexes for index-time settings, built when first needed and kept for the variants after.
    const indexes = new Map<string, EvalIndexes>([[JSON.stringify(PRODUCT_TITLE_CONTEXT), idx]]);
    const indexFor = async (setting: TitleContext | undefined): Promise<EvalIndexes> => {
      const key = JSON.stringify(setting ?? PRODUCT_TITLE_CONTEXT);
      let built = indexes.get(key);
      if (!built) {
        built = await buildEvalIndexes(dir, path.join(work, `index-${indexes.size}`), embedder, undefined, { titleContext: setting, baseline: false });
        // Same passages, so the corpus model a variant trains is shared with the first index's.
        built = { ...built, chunkTexts: idx.chunkTexts };
        indexes.set(key, built);
      }
      return built;
    };
    const queries = [...idx.set.qrels].map(([qid, qrels]) => ({ qid, q: idx.set.queries.get(qid) ?? '', qrels }));
    const base = { ndcg: [] as number[], recall: [] as number[] };
    for (const { qid, q, qrels } of queries) {
      const r = await baselineRanking(baselineIndex, q, qid);
      base.ndcg.push(ndcgAt(r, qrels, 10));
      base.recall.push(recallAt(r, qrels, EVAL_DEPTH));
    }
    const baseNdcg = round4(mean(base.ndcg));
    // Warm caches and the JIT untimed, so the reference variant is not charged for them.
    for (const { q } of queries.slice(0, 10)) await hybridSearch(idx.store, embedder, q, { k: EVAL_DEPTH * 5, candidates: EVAL_DEPTH * 5, ...variants[0]?.search });
    const results: VariantResult[] = [];
    for (const v of variants) {
      const vidx = await indexFor(v.titleContext);
      const p0 = performance.now();
      const prepared = v.prepare ? await v.prepare(vidx.chunkTexts) : {};
      const p1 = performance.now();
      const ndcg: number[] = [];
      const recall: number[] = [];
      let ms = 0;
      for (const { qid, q, qrels } of queries) {
        const t0 = performance.now();
        const hits = await hybridSearch(vidx.store, embedder, q, { k: EVAL_DEPTH * 5, candidates: EVAL_DEPTH * 5, ...prepared, ...v.search });
        ms += performance.now() - t0;
        const r = withoutQueryItself(docRanking(hits, vidx.docOfSource), qid);
        ndcg.push(ndcgAt(r, qrels, 10));
        recall.push(recallAt(r, qrels, EVAL_DEPTH));
      }
      const msPerQuery = ms / queries.length;
      const ref = results[0]?.msPerQuery ?? msPerQuery;
      const res: VariantResult = {
        name: v.name,
        ndcg10: round4(mean(ndcg)),
        recall100: round4(mean(recall)),
        delta: round4(mean(ndcg) - baseNdcg),
        msPerQuery: Math.round(msPerQuery * 10) / 10,
        timeRatio: Math.round((msPerQuery / ref) * 100) / 100,
        prepareSeconds: Math.round((p1 - p0) / 100) / 10,
      };
      results.push(res);
      onVariant?.(res);
    }
    return {
      dataset: idx.set.name,
      queries: queries.length,
      documents: idx.documents,
      baseline: { name: 'lancedb-fts', ndcg10: baseNdcg, recall100: round4(mean(base.recall)) },
      variants: results,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
