import * as arrow from 'apache-arrow';
import { chunkToRow } from './rows.js';
import type { ChunkRow } from './store.js';

/**
 * Chunks as one Arrow record batch shaped by the table's own schema.
 *
 * Why not hand LanceDB plain row objects: it then infers every column from
 * JavaScript values, which needs each vector as a JS array of numbers (8 bytes
 * per float plus object overhead) and walks them one value at a time. For a
 * 10,000-passage source that was 2-2.4 s and ~400 MB of garbage; packing the
 * vectors into one Float32Array and building the columns directly is 0.1 s
 * and the write itself 3-7x faster (measured on this machine).
 */
export function chunksToArrow(schema: arrow.Schema, chunks: readonly ChunkRow[]): arrow.Table {
  const vectorField = schema.fields.find((f) => f.name === 'vector');
  if (!vectorField || !arrow.DataType.isFixedSizeList(vectorField.type)) throw new Error('chunks schema has no fixed-size vector column');
  const listType = vectorField.type as arrow.FixedSizeList;
  const dim = listType.listSize;

  const flat = new Float32Array(chunks.length * dim);
  const EMPTY = new Float32Array(0);
  const rows = chunks.map((c, i) => {
    flat.set(c.vector, i * dim);
    return chunkToRow({ ...c, vector: EMPTY });
  });

  const columns: Record<string, arrow.Vector> = {};
  for (const field of schema.fields) {
    if (field.name === 'vector') {
      const child = arrow.makeData({ type: listType.children[0]!.type as arrow.Float32, length: flat.length, data: flat });
      columns.vector = arrow.makeVector(arrow.makeData({ type: listType, length: chunks.length, nullCount: 0, child }));
    } else {
      columns[field.name] = arrow.vectorFromArray(rows.map((r) => r[field.name] ?? null), field.type as arrow.DataType);
    }
  }
  return new arrow.Table(schema, columns as never);
}

/** Rows per LanceDB append: bounds the Arrow copy of a huge source (10,000 x 1,024 floats is 40 MB). */
export const CHUNK_WRITE_BATCH = 8_192;
