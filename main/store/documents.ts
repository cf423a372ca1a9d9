/**
 * Whole-document full-text terms: one row per source, its passages' analysed
 * `terms` joined, under its own BM25 index. A passage of a document that is
 * about the question (its words spread over several passages, the title in
 * the first) is worth more than a lone passage that happens to share a word
 * (main/search/document-evidence.ts). One-passage sources get a row too, so
 * every document is scored against the same collection statistics (in a
 * store of one-passage sources, document and passage scores are the same).
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import { META, SCHEMA_VERSION } from './schema.js';
import { createTermsIndex } from './terms-column.js';

export const DOCUMENTS_TABLE = 'documents';

/**
 * Terms kept per document. BM25 over the first ~2 MB still says what a
 * document is about, and a 100 MB source's terms stay bounded in memory
 * while its passages stream to the store.
 */
export const DOCUMENT_TERMS_MAX_CHARS = 2_000_000;

/** Below this many new rows the index is always updated in place (cheap either way). */
const REBUILD_MIN_UNINDEXED = 1_000;

export interface DocumentRow {
  sourceId: string;
  terms: string;
  marking: string;
}

export function documentsSchema(): arrow.Schema {
  const utf8 = (name: string): arrow.Field => new arrow.Field(name, new arrow.Utf8(), false);
  return new arrow.Schema([utf8('sourceId'), utf8('terms'), utf8('marking')], new Map([[META.schemaVersion, SCHEMA_VERSION]]));
}

/** Gathers each source's passage terms from the Arrow batches written to the chunks table. */
export class DocumentTermsCollector {
  private readonly docs = new Map<string, { parts: string[]; chars: number; marking: string }>();

  /** A batch as chunksToArrow built it; a table without `terms` (an old store) adds nothing. */
  add(batch: arrow.Table): void {
    const sources = batch.getChild('sourceId');
    const terms = batch.getChild('terms');
    const markings = batch.getChild('marking');
    if (!sources || !terms || !markings) return;
    for (let i = 0; i < batch.numRows; i++) this.addRow(String(sources.get(i)), String(terms.get(i)), String(markings.get(i)));
  }

  /** One passage's terms, in passage order. */
  addRow(sourceId: string, terms: string, marking: string): void {
    let doc = this.docs.get(sourceId);
    if (!doc) this.docs.set(sourceId, (doc = { parts: [], chars: 0, marking }));
    if (doc.chars >= DOCUMENT_TERMS_MAX_CHARS) return;
    doc.parts.push(terms);
    doc.chars += terms.length + 1;
  }

  rows(): DocumentRow[] {
    return [...this.docs].map(([sourceId, d]) => ({ sourceId, terms: d.parts.join('\n'), marking: d.marking }));
  }
}

/**
 * Present once every source of the store has its row (a new store, or a
 * finished backfill): only then does a source missing from a document
 * search mean "its document does not match", not "no row yet".
 */
const COMPLETE_MARKER = 'documents-complete';

export class DocumentTable {
  private constructor(
    private readonly table: lancedb.Table,
    private readonly storeDir: string,
  ) {}

  /** `sourcesExist`: the store already holds sources (an older store gets the table empty, to backfill). */
  static async open(db: lancedb.Connection, storeDir: string, existing: ReadonlySet<string>, sourcesExist: boolean): Promise<DocumentTable> {
    if (existing.has(DOCUMENTS_TABLE)) return new DocumentTable(await db.openTable(DOCUMENTS_TABLE), storeDir);
    const table = await db.createEmptyTable(DOCUMENTS_TABLE, documentsSchema(), { existOk: true });
    // Rows appended later are searched unindexed until optimize() folds them in.
    await createTermsIndex(table);
    const documents = new DocumentTable(table, storeDir);
    if (!sourcesExist) await documents.markComplete();
    return documents;
  }

  /** Once seen, kept: every search asks, and only clear() (at open, under the lock) takes it back. */
  private knownComplete = false;

  /** Whether every source has its row (checked on the marker until seen, so another process's backfill counts). */
  get complete(): boolean {
    this.knownComplete ||= existsSync(path.join(this.storeDir, COMPLETE_MARKER));
    return this.knownComplete;
  }

  async markComplete(): Promise<void> {
    await writeFile(path.join(this.storeDir, COMPLETE_MARKER), 'every source has its document row\n');
    this.knownComplete = true;
  }

  /** Drops every row (terms analysed by an older analyser): the backfill rebuilds them. */
  async clear(): Promise<void> {
    this.knownComplete = false;
    await rm(path.join(this.storeDir, COMPLETE_MARKER), { force: true });
    await this.table.delete('true');
  }

  async add(rows: readonly DocumentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const schema = documentsSchema();
    const column = (name: keyof DocumentRow): arrow.Vector => arrow.vectorFromArray(rows.map((r) => r[name]), new arrow.Utf8());
    await this.table.add(new arrow.Table(schema, { sourceId: column('sourceId'), terms: column('terms'), marking: column('marking') }) as never);
  }

  /**
   * BM25 of the `limit` best documents for an analysed query, among those
   * `where` (the reader's markings) allows. Not filtered by source: a
   * filter on ids made the query 2-3x slower than the passage search it
   * runs beside (measured at 100k passages), and a top list is all ranking needs.
   */
  async scores(analysedQuery: string, where: string | null, limit: number): Promise<Map<string, number>> {
    if (limit <= 0 || analysedQuery.trim() === '') return new Map();
    let q = this.table.query().fullTextSearch(analysedQuery, { columns: ['terms'] });
    if (where) q = q.where(where);
    const rows = await q.select(['sourceId', '_score']).limit(limit).toArray();
    return new Map(rows.map((r: Record<string, unknown>) => [String(r.sourceId), Number(r._score)]));
  }

  async deleteWhere(where: string): Promise<void> {
    await this.table.delete(where);
  }

  async sourceIds(): Promise<Set<string>> {
    return new Set((await this.table.query().select(['sourceId']).toArray()).map((r: Record<string, unknown>) => String(r.sourceId)));
  }

  /**
   * Folds new rows into the index and compacts. When more rows are
   * unindexed than indexed (a first bulk load, a backfill), the index is
   * built again instead: LanceDB's incremental update of 19,900 long
   * documents into an index of 100 peaked at 1.5 GB RSS, a rebuild of all
   * 20,000 at 0.3 GB (then compaction 0.4 GB), measured on the 1M-passage
   * scale store.
   */
  async optimize(): Promise<void> {
    const index = (await this.table.listIndices()).find((i) => i.columns.includes('terms'));
    const stats = index ? await this.table.indexStats(index.name) : undefined;
    if (!stats || stats.numUnindexedRows > Math.max(REBUILD_MIN_UNINDEXED, stats.numIndexedRows)) {
      await createTermsIndex(this.table);
    }
    await this.table.optimize();
  }
}
