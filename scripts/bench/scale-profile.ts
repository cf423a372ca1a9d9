/**
 * `node --import tsx scripts/bench/scale-profile.ts STORE_DIR SIZE [QUERIES]`:
 * where one default hybrid search spends its time on a store kept by
 * `npm run bench -- scale --store-dir DIR --no-ann` (DIR/SIZE). Times each
 * stage of the path separately, median over the queries, so a change can be
 * aimed at the stage that costs.
 */
// eslint-disable-next-line no-restricted-imports -- a profiler: it times LanceDB's own calls under the store, stage by stage
import * as lancedb from '@lancedb/lancedb';
import path from 'node:path';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { ftsQuery } from '../../main/search/analyse.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { proximityRerank } from '../../main/search/proximity.js';
import { CHUNK_COLUMNS } from '../../main/store/rows.js';
import { Store } from '../../main/store/store.js';
import { benchQueries } from './scale.js';
import { percentile } from '../lib/stats.js';

const [dir, sizeArg, countArg] = process.argv.slice(2);
const size = Number(sizeArg);
const work = path.join(dir!, String(size));
const queries = benchQueries(size, Number(countArg ?? 50));
const embedder = new HashedEmbedder();
const store = await Store.open(work, { embedderId: embedder.id, dimension: embedder.dimension });
const db = await lancedb.connect(path.join(work, 'store'), { readConsistencyInterval: 0 });
const chunks = await db.openTable((await db.tableNames()).find((n) => n.startsWith('chunks'))!);
const sources = await db.openTable('sources');

const stages = new Map<string, number[]>();
async function time<T>(name: string, f: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const r = await f();
  const list = stages.get(name) ?? [];
  list.push(performance.now() - t);
  stages.set(name, list);
  return r;
}

for (const [i, q] of queries.entries()) {
  if (i === 0) await hybridSearch(store, embedder, q, { k: 10 }); // warm
  await time('hybridSearch (whole, k=10)', () => hybridSearch(store, embedder, q, { k: 10 }));
  await time('store.fullText(50)', () => store.fullText(q, 50));
  await time('table.version()', () => chunks.version());
  const analysed = await time('ftsQuery (analyse)', () => ftsQuery(q, 'terms', { languages: [], dominant: null }));
  const rows = await time('lancedb FTS, CHUNK_COLUMNS, limit 50', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select([...CHUNK_COLUMNS, '_score']).limit(50).toArray());
  await time('lancedb FTS, id+_score only, limit 50', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select(['id', '_score']).limit(50).toArray());
  await time('lancedb FTS, id+text+sourceId, limit 50', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select(['id', 'text', 'sourceId', '_score']).limit(50).toArray());
  await time('lancedb FTS, CHUNK_COLUMNS, toArrow', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select([...CHUNK_COLUMNS, '_score']).limit(50).toArrow());
  await time('lancedb FTS, CHUNK_COLUMNS w/o space-time', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select(['id', 'sourceId', 'ordinal', 'text', 'page', 'start', 'end', 'marking', 'locator', '_score']).limit(50).toArrow());
  await time('lancedb FTS, 6 space-time + id', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select(['id', 't0', 't1', 'west', 'south', 'east', 'north', '_score']).limit(50).toArrow());
  const lean = await time('lancedb FTS, id+sourceId+text+rowid', () => chunks.query().fullTextSearch(analysed, { columns: ['terms'] }).select(['id', 'sourceId', 'text', '_score']).withRowId().limit(50).toArray());
  await time('takeRowIds(10), CHUNK_COLUMNS', () => chunks.takeRowIds(lean.slice(0, 10).map((r) => r._rowid as bigint)).select(CHUNK_COLUMNS).toArray());
  const ids = [...new Set(rows.map((r) => String(r.sourceId)))];
  await time('sources titles query', () => sources.query().where(`id IN (${ids.map((x) => `'${x}'`).join(', ')})`).select(['id', 'title']).toArray());
  const hits = await store.fullText(q, 50);
  await time('proximityRerank(50)', () => proximityRerank(q, hits, 0.1));
  await time('store.markings()', () => store.markings());
}
console.log(`${size} chunks, ${queries.length} queries: p50 / p95 ms`);
for (const [name, ms] of stages) console.log(`${name.padEnd(42)} ${percentile(ms, 50).toFixed(1).padStart(8)} ${percentile(ms, 95).toFixed(1).padStart(8)}`);
