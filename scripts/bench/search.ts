/**
 * `npm run bench -- search`: speed of Cairn's search against LanceDB's plain
 * full-text search on the same corpus, in the same run, reported as ratios.
 * Uses ../shared/eval/retrieval/scifact (5,183 abstracts, 300 queries).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chunkPages } from '../../ingest/chunking.js';
import { sha256Hex } from '../../main/core/hash.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { corpusBatches, loadBeir } from '../../main/eval/beir.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { BaselineFtsIndex } from '../../main/store/baseline.js';
import { Store } from '../../main/store/store.js';
import { percentile } from '../lib/stats.js';

export async function benchSearch(sharedDir: string): Promise<void> {
  const dir = path.join(sharedDir, 'eval', 'retrieval', 'scifact');
  if (!existsSync(dir)) {
    console.log(`search: skipped, ${dir} not found`);
    return;
  }
  const set = await loadBeir(dir);
  const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-'));
  const embedder = new HashedEmbedder();
  try {
    const store = await Store.open(path.join(work, 'cairn'), { embedderId: embedder.id, dimension: embedder.dimension });
    const docs: { id: string; text: string }[][] = [];
    let cairnIndexMs = 0;
    let chunks = 0;
    for await (const batch of corpusBatches(set)) {
      const t = performance.now();
      const rows = batch.flatMap((d) => {
        const text = `${d.title}\n\n${d.text}`;
        const sourceId = sha256Hex(`${d.id}\u0000${text}`);
        return chunkPages([{ page: 1, text }]).map((c) => ({ ...c, sourceId, id: sha256Hex(`${sourceId}:${c.start}`), marking: 'UNCLASSIFIED' }));
      });
      const vectors = await embedder.embed(rows.map((r) => r.text));
      const sources = [...new Set(rows.map((r) => r.sourceId))].map((id) => ({ id, kind: 'document' as const, title: id, origin: id, mime: 'text/plain', bytes: 0, ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {} }));
      await store.writeBulk(sources, rows.map((r, i) => ({ ...r, vector: vectors[i]! })));
      cairnIndexMs += performance.now() - t;
      chunks += rows.length;
      docs.push(batch.map((d) => ({ id: d.id, text: `${d.title}\n\n${d.text}` })));
    }
    let t = performance.now();
    await store.optimize();
    cairnIndexMs += performance.now() - t;
    t = performance.now();
    const baseline = await BaselineFtsIndex.build(path.join(work, 'baseline'), docs);
    const baselineIndexMs = performance.now() - t;

    const queries = [...set.queries.values()];
    const cairnMs: number[] = [];
    const baseMs: number[] = [];
    for (const q of queries) {
      let s = performance.now();
      await baseline.search(q, 10);
      baseMs.push(performance.now() - s);
      s = performance.now();
      await hybridSearch(store, embedder, q, { k: 10 });
      cairnMs.push(performance.now() - s);
    }
    const row = (name: string, ms: number[]): string => `${name.padEnd(22)} p50 ${percentile(ms, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(ms, 95).toFixed(1).padStart(7)} ms`;
    console.log(`scifact: ${set.name}, ${docs.flat().length} documents, ${chunks} chunks, ${queries.length} queries (2-core machine)`);
    console.log(`index  cairn (chunk+embed+write+index) ${(cairnIndexMs / 1000).toFixed(1)} s; lancedb-fts baseline ${(baselineIndexMs / 1000).toFixed(1)} s; ratio ${(cairnIndexMs / baselineIndexMs).toFixed(2)}x`);
    console.log(row('search lancedb-fts', baseMs));
    console.log(row('search cairn hybrid', cairnMs));
    console.log(`ratio p50 ${(percentile(cairnMs, 50) / percentile(baseMs, 50)).toFixed(2)}x, p95 ${(percentile(cairnMs, 95) / percentile(baseMs, 95)).toFixed(2)}x (cairn / baseline)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
