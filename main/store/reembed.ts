import * as lancedb from '@lancedb/lancedb';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import type { Embedder } from '../embed/embedder.js';
import { activeChunksTable, setActiveChunksTable } from './active-table.js';
import { CHUNK_COLUMNS, chunkFromRow, chunkToRow } from './rows.js';
import { chunksSchema, META } from './schema.js';
import { createTermsIndex } from './terms-column.js';

export interface ReembedProgress {
  done: number;
  total: number;
}

export interface ReembedResult {
  from: string;
  to: string;
  chunks: number;
  /** Chunks already present from an interrupted earlier run. */
  resumed: number;
}

const DEFAULT_BATCH = 256;

/** A table name derived from the embedder id, so a resumed run finds its half-built table. */
function tableFor(embedderId: string): string {
  return `chunks_${embedderId.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 80)}`;
}

/**
 * Re-embeds every chunk with a new embedder into a new table, then switches
 * the store to it. Resumable: chunks already copied into the new table (by
 * an interrupted run) are skipped. Readers keep using the old table until
 * the switch. Call under the store's write lock, with no Store open for writing.
 */
export async function reembedStore(dataDir: string, embedder: Embedder, onProgress?: (p: ReembedProgress) => void, batchSize = DEFAULT_BATCH): Promise<ReembedResult> {
  const dir = path.join(dataDir, 'store');
  const db = await lancedb.connect(dir);
  const names = new Set(await db.tableNames());
  const fromName = await activeChunksTable(dir);
  if (!names.has(fromName)) throw new CairnError('NOT_FOUND', `no store at ${dataDir} to re-embed`, { input: dataDir });
  const from = await db.openTable(fromName);
  const fromId = (await from.schema()).metadata.get(META.embedderId) ?? '(unknown)';
  if (fromId === embedder.id) throw new CairnError('BAD_INPUT', `the store already uses ${embedder.id}`, { input: embedder.id });

  const toName = tableFor(embedder.id);
  // A half-built table from a version before the `terms` column cannot take today's rows: start it again.
  let resumable = names.has(toName);
  if (resumable && !(await (await db.openTable(toName)).schema()).fields.some((f) => f.name === 'terms')) {
    await db.dropTable(toName);
    resumable = false;
  }
  const to = resumable ? await db.openTable(toName) : await db.createEmptyTable(toName, chunksSchema(embedder.id, embedder.dimension));
  const copied = new Set((await to.query().select(['id']).toArray()).map((r) => String(r.id)));
  const total = await from.countRows();
  const ids = (await from.query().select(['id']).toArray()).map((r) => String(r.id)).filter((id) => !copied.has(id)).sort();
  let done = copied.size;
  onProgress?.({ done, total });
  for (let i = 0; i < ids.length; i += batchSize) {
    const slice = ids.slice(i, i + batchSize);
    const rows = await from.query().where(`id IN (${slice.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ')})`).select(CHUNK_COLUMNS).toArray();
    const chunks = rows.map((r) => chunkFromRow(r as Record<string, unknown>));
    const vectors = await embedder.embed(chunks.map((c) => c.text));
    await to.add(chunks.map((c, j) => chunkToRow({ ...c, vector: vectors[j] as Float32Array })));
    done += chunks.length;
    onProgress?.({ done, total });
  }
  await createTermsIndex(to);
  await setActiveChunksTable(dir, toName);
  // The old table is dropped only after the switch: a crash before it leaves the old store intact.
  if (fromName !== toName) await db.dropTable(fromName);
  return { from: fromId, to: embedder.id, chunks: done, resumed: copied.size };
}
