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
 */
export const VECTOR_INDEX_MIN_ROWS = 100_000;

/**
 * Partitions probed per query and the refine factor (candidates re-scored
 * with full vectors): recall@10 against the flat scan at 1M chunks was
 * measured with these (README).
 */
export const ANN_NPROBES = 20;
export const ANN_REFINE = 5;

export async function hasVectorIndex(table: lancedb.Table): Promise<boolean> {
  return (await table.listIndices()).some((i) => i.columns.includes('vector'));
}

/**
 * Builds the IVF-PQ index: about sqrt(rows) partitions, 16 dimensions per
 * PQ sub-vector (SIMD-friendly), cosine distance as every query uses.
 */
export async function createVectorIndex(table: lancedb.Table, rows: number, dimension: number): Promise<void> {
  const numPartitions = Math.max(1, Math.round(Math.sqrt(rows)));
  const numSubVectors = dimension % 16 === 0 ? dimension / 16 : dimension % 8 === 0 ? dimension / 8 : 1;
  await table.createIndex('vector', { config: lancedb.Index.ivfPq({ distanceType: 'cosine', numPartitions, numSubVectors }), replace: true });
}
