import * as lancedb from '@lancedb/lancedb';

/**
 * The approximate-nearest-neighbour index on chunk vectors, for trained
 * embedders only. Measured (`npm run bench -- scale`, README): on the
 * built-in hashed vectors, which are near-orthogonal and do not cluster,
 * IVF-PQ found 0.35 (10k chunks) and 0.16 (100k) of the flat scan's top 10,
 * and took 21 minutes to build at 100k; hybrid search with them runs the
 * vector pass only to fill in when full text finds too little, so they stay
 * on the exact flat scan. A trained model's vectors cluster, which is what
 * IVF partitions rely on; past this many chunks they get the index.
 *
 * Measured (`npm run bench -- ann`, scripts/bench/ann-threshold.ts, README
 * "Performance"; clustered synthetic vectors, 2-core machine shared with
 * other work): a trained embedder's vector pass runs on every hybrid query,
 * and its budget is 15 ms p95 (the 50 ms hybrid target at 1M chunks less
 * full text's 35 ms). The flat scan through Store.nearest at hybrid's k of
 * 50, p95: 10.6 ms at 2,000 chunks, 12.9-15.9 at 5,000 (two runs), 20.3-22.3
 * at 10,000, 152.7 at 100,000 (384 dimensions; 768: 12.3, 16.2, 39.9,
 * 312.9), about 1 ms per 1,000 chunks at 384 over a ~5 ms floor. At 5,000
 * the index answered in 13.0-13.7 ms p95 (768: 11.7) with recall@10 against
 * the flat scan 0.99-1.0, and took 2-4 s to build. The rule's smallest size
 * over budget was 5,000 in the 384- and 768-dimension runs and 10,000 in a
 * quieter 384 rerun; 5,000 is taken, since 768-dimension models are over it
 * too and an early index did not cost recall later: built at 5,000 and
 * grown by ingest's upkeep, at 200,000 it found 0.924 of the exact top 10
 * at 26.7 ms p95 against 0.847 and 32.4 ms for one built at 200,000 (at
 * 50,000: 0.975 against 0.966, but 29.5 ms p95 against 19.7).
 */
export const VECTOR_INDEX_MIN_ROWS = 5_000;

/**
 * Partitions probed per query and the refine factor (candidates re-scored
 * with full vectors). Measured with the bench above at 384 dimensions: the
 * refine factor bounds recall, not the probes (10, 20 and 40 probes gave
 * the same recall up to 200,000 chunks on its well-separated clusters; 1
 * probe lost half at 100,000, 768 dimensions). With refine 5 recall@10 falls
 * as a freshly indexed store grows: 0.99 to 25,000, 0.909 at 100,000,
 * 0.836-0.847 at 200,000 (0.924 on a store indexed at 5,000 and grown).
 * Refine 10 lifts those to 0.965 and 0.924-0.939 but cost 1-7 ms p95 at
 * hybrid's k = 50 at every size (10,000: 14.3 -> 20.1 ms, over the vector
 * budget), so it stays at 5 while the stores the threshold indexes meet
 * 0.9 with it. Those figures are with 16 dimensions per PQ sub-vector;
 * with 8 (createVectorIndex, since) refine 5 finds 0.967 at 200,000.
 * Probes stay at 20: real clusters overlap more than the bench's.
 */
export const ANN_NPROBES = 20;
export const ANN_REFINE = 5;

/** How an indexed nearest-neighbour query searches; Store.nearest takes another only for measuring (scripts/bench/ann-threshold.ts). */
export interface AnnProbe {
  nprobes: number;
  refineFactor: number;
}

export const DEFAULT_ANN_PROBE: Readonly<AnnProbe> = { nprobes: ANN_NPROBES, refineFactor: ANN_REFINE };

export async function hasVectorIndex(table: lancedb.Table): Promise<boolean> {
  return (await table.listIndices()).some((i) => i.columns.includes('vector'));
}

/**
 * Builds the IVF-PQ index: about sqrt(rows) partitions, 8 dimensions per
 * PQ sub-vector (else 4 or 2, whichever divides the dimension), cosine
 * distance as every query uses. Measured (`npm run bench -- ann --sizes
 * 50000,200000`, 384 dimensions, same data, 20 probes, refine 5): against
 * 16 dimensions per sub-vector, recall@10 against the flat scan 0.946 ->
 * 0.993 at 50,000 chunks and 0.838 -> 0.967 at 200,000, k=50 p95 15.9 ->
 * 13.9 and 21.8 -> 21.8 ms; building took 1.6x as long (40.7 -> 69.6 s,
 * 58.2 -> 91.6 s: background upkeep, once per store).
 */
export async function createVectorIndex(table: lancedb.Table, rows: number, dimension: number): Promise<void> {
  const numPartitions = Math.max(1, Math.round(Math.sqrt(rows)));
  const width = [8, 4, 2].find((w) => dimension % w === 0) ?? dimension;
  const numSubVectors = dimension / width;
  await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors }), replace: true });
}
