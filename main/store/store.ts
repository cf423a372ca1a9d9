import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import { type AnnProbe, createVectorIndex, DEFAULT_ANN_PROBE, hasVectorIndex } from './vector-index.js';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { CairnError } from '../core/errors.js';
import type { Chunk, Observation, ScoredChunk, Source, SpaceTimeFilter } from '../core/types.js';
import { ObservationTable } from './observations.js';
import { DocumentTable, DocumentTermsCollector } from './documents.js';
import { CHUNK_WRITE_BATCH, chunksToArrow } from './chunk-arrow.js';
import { CHUNK_COLUMNS, chunkFromRow, SOURCE_COLUMNS, sourceFromRow, sourceToRow } from './rows.js';
import { activeChunksTable } from './active-table.js';
import { chunksSchema, META, observationsSchema, sourcesSchema } from './schema.js';
import { createTermsIndex, type FtsColumn, FtsState, markTermsCurrent, migrateToTerms, reanalyseTerms, termsOutdated } from './terms-column.js';
import { ftsQuery, type StoreLanguages } from '../search/analyse.js';
import { BoundedMap } from '../core/bounded-map.js';
import { plainRows } from './arrow-rows.js';

/** A chunk as written: the domain chunk plus its embedding. */
export interface ChunkRow extends Chunk {
  vector: Float32Array;
  /** Indexed for full text with the passage (its source's title), never shown or quoted. */
  context?: string;
}

export interface StoreOptions {
  embedderId: string;
  dimension: number;
}

export type WriteOutcome = 'written' | 'exists';

const HEX_ID = /^[0-9a-f]{64}$/;

function assertId(id: string): string {
  // Ids go into SQL filters: only ever hex digests.
  if (!HEX_ID.test(id)) throw new CairnError('BAD_INPUT', `not a valid id: ${JSON.stringify(id)}`, { input: id });
  return id;
}

/**
 * Markings a reader may see; null means unrestricted. Applied as a filter in
 * the store query itself, before ranking, so nothing above the reader's
 * clearance is ever scored, returned or handed to a model.
 */
export type Visibility = ReadonlySet<string> | null;

function markingFilter(visible: Visibility, column = 'marking'): string | null {
  if (visible === null) return null;
  if (visible.size === 0) return '1 = 0';
  return `${column} IN (${[...visible].map((m) => `'${m.replace(/'/g, "''")}'`).join(', ')})`;
}

function and(...parts: (string | null)[]): string | null {
  const p = parts.filter((x): x is string => x !== null && x !== '');
  return p.length === 0 ? null : p.map((x) => `(${x})`).join(' AND ');
}

/** Sources given their document row per backfill batch (one filtered scan of the chunks each). */
const BACKFILL_SOURCES = 500;

/** Source titles kept per store (see Store.titleCache): ~200 bytes each (id and title), so at most ~20 MB. */
const TITLE_CACHE_LIMIT = 100_000;

function inList(ids: readonly string[]): string {
  return ids.map((id) => `'${assertId(id)}'`).join(', ');
}

/**
 * The only place that talks to LanceDB. Two tables, `sources` and `chunks`.
 * A source is visible once its row in `sources` exists: chunks are written
 * first, the source row last, so a crash in between leaves only orphan chunks
 * that readers ignore and `repair()` removes.
 */
/** Sources written between compactions of the tables (see compactEvery). */
const COMPACT_EVERY = 50;
/** Chunk rows per source written between compactions, once the table is big (see compactionInterval). */
const ROWS_PER_COMPACTION_SOURCE = 2_000;

/**
 * Sources written between two compactions of a table holding `rows` chunks.
 * LanceDB rewrites every fragment under a million rows when it compacts, so
 * one compaction costs time in proportion to the table (measured: 50 one-line
 * sources took 1.2 s into an empty store and 4.5 s into a 100k-chunk one).
 * Spacing compactions in proportion too keeps the cost per source flat
 * (~70 ms here) instead of growing with the store.
 */
export function compactionInterval(rows: number): number {
  return Math.max(COMPACT_EVERY, Math.ceil(rows / ROWS_PER_COMPACTION_SOURCE));
}

export class Store {
  private constructor(
    private readonly dir: string,
    private readonly sources: lancedb.Table,
    private readonly chunks: lancedb.Table,
    private readonly observations: ObservationTable,
    private readonly documents: DocumentTable,
    readonly embedderId: string,
    readonly dimension: number,
  ) {}

  static async open(dataDir: string, opts: StoreOptions): Promise<Store> {
    const dir = path.join(dataDir, 'store');
    await mkdir(dir, { recursive: true });
    // Other processes (the CLI beside a running server, a package import)
    // write the same tables: every read checks for their commits, so a
    // writer holding the lock never decides on a stale view (local files:
    // the check is a directory read, not a network round trip).
    const db = await lancedb.connect(dir, { readConsistencyInterval: 0 });
    const names = new Set(await db.tableNames());
    const sources = names.has('sources')
      ? await db.openTable('sources')
      : await db.createEmptyTable('sources', sourcesSchema(), { existOk: true });
    let chunks: lancedb.Table;
    const chunksName = await activeChunksTable(dir);
    if (names.has(chunksName)) {
      chunks = await db.openTable(chunksName);
      const meta = (await chunks.schema()).metadata;
      const pinned = meta.get(META.embedderId);
      if (pinned !== opts.embedderId || meta.get(META.dimension) !== String(opts.dimension)) {
        throw new CairnError(
          'STORE_MISMATCH',
          `the store at ${dataDir} was built with embedder ${pinned ?? '(unknown)'} (dimension ${meta.get(META.dimension) ?? '?'}), ` +
            `not ${opts.embedderId} (dimension ${opts.dimension}); use the same embedder or re-embed the store with \`cairn models reembed\``,
          { input: dataDir },
        );
      }
    } else {
      chunks = await db.createEmptyTable(chunksName, chunksSchema(opts.embedderId, opts.dimension), { existOk: true });
      await createTermsIndex(chunks);
      await markTermsCurrent(dir, chunksName);
    }
    const observations = names.has('observations')
      ? await db.openTable('observations')
      : await db.createEmptyTable('observations', observationsSchema(), { existOk: true });
    const documents = await DocumentTable.open(db, dir, names, (await sources.countRows()) > 0);
    const store = new Store(dir, sources, chunks, new ObservationTable(observations), documents, opts.embedderId, opts.dimension);
    store.compactInterval = compactionInterval(await chunks.countRows());
    // A table from before the analysed `terms` column: migrated once, under the lock (other processes may be writing).
    if ((await store.fts.get()).column === 'text') await store.withWriteLock(() => migrateToTerms(chunks));
    // Terms made by an older analyser (CJK bigrams, Romance stems only...): re-analysed once, under the lock.
    // Document terms analysed the old way would no longer match queries: dropped, and rebuilt by the backfill.
    if (await termsOutdated(dir, chunksName)) {
      await store.withWriteLock(async () => {
        if ((await reanalyseTerms(chunks, dir, chunksName)) > 0) await documents.clear();
      });
    }
    return store;
  }

  private ftsState: FtsState | null = null;

  private get fts(): FtsState {
    return (this.ftsState ??= new FtsState(this.chunks));
  }

  /** The embedder a store's live chunks table is pinned to, without opening it for writing; null for a new store. */
  static async pinnedEmbedder(dataDir: string): Promise<{ id: string; dimension: number } | null> {
    const dir = path.join(dataDir, 'store');
    let db: lancedb.Connection;
    try {
      db = await lancedb.connect(dir);
    } catch {
      return null;
    }
    const name = await activeChunksTable(dir);
    if (!(await db.tableNames()).includes(name)) return null;
    const meta = (await (await db.openTable(name)).schema()).metadata;
    const id = meta.get(META.embedderId);
    return id ? { id, dimension: Number(meta.get(META.dimension)) } : null;
  }

  /** Serialises writers across processes (CLI, server, package import). */
  async withWriteLock<T>(fn: () => Promise<T>): Promise<T> {
    const release = await lockfile.lock(this.dir, {
      lockfilePath: path.join(this.dir, 'write.lock'),
      retries: { retries: 600, minTimeout: 50, maxTimeout: 500 },
      // The holder refreshes the lock every stale/2; a killed writer's lock is taken over after this.
      stale: 10_000,
    });
    try {
      return await fn();
    } finally {
      await release();
    }
  }

  async hasSource(id: string): Promise<boolean> {
    return (await this.sources.countRows(`id = '${assertId(id)}'`)) > 0;
  }

  async getSource(id: string): Promise<Source | undefined> {
    const rows = await this.sources.query().where(`id = '${assertId(id)}'`).select(SOURCE_COLUMNS).limit(1).toArray();
    return rows[0] ? sourceFromRow(rows[0] as Record<string, unknown>) : undefined;
  }

  async listSources(visible: Visibility = null): Promise<Source[]> {
    const where = markingFilter(visible);
    let q = this.sources.query().select(SOURCE_COLUMNS);
    if (where) q = q.where(where);
    const rows = await q.toArray();
    return rows.map((r) => sourceFromRow(r as Record<string, unknown>)).sort((a, b) => a.ingestedAt.localeCompare(b.ingestedAt));
  }

  /**
   * Writes a source and all its chunks, or nothing. Call inside withWriteLock.
   * Same bytes again is a no-op ('exists'). `chunks` may be batches produced
   * on demand (a huge source embedded a batch at a time, so its vectors are
   * never all in memory); the source row is written after the last batch,
   * which is what makes the chunks count (a crash before it leaves orphans
   * that repair() and discardUncommitted() remove).
   */
  async writeSource(source: Source, chunks: readonly ChunkRow[] | AsyncIterable<readonly ChunkRow[]>, observations: readonly Observation[] = []): Promise<WriteOutcome> {
    if (await this.hasSource(source.id)) return 'exists';
    const sid = assertId(source.id);
    const undo = async (): Promise<void> => {
      await this.chunks.delete(`sourceId = '${sid}'`);
      await this.documents.deleteWhere(`sourceId = '${sid}'`);
      await this.observations.deleteSource(sid);
    };
    // No delete of leftovers first: it scans the whole table on every write
    // (400 one-line files took 69 ms a delete by the end). A crashed write's
    // rows are removed before the next ingest by the journal
    // (ingest/audit-journal.ts -> discardUncommitted), and repair() finds any
    // other orphans.
    try {
      const batches = Symbol.asyncIterator in chunks ? chunks : [chunks as readonly ChunkRow[]];
      const documentTerms = new DocumentTermsCollector();
      for await (const batch of batches) {
        this.assertVectors(batch);
        await this.appendChunks(batch, documentTerms);
      }
      await this.documents.add(documentTerms.rows());
      if (observations.length > 0) await this.observations.add(observations);
      await this.sources.add([sourceToRow(source)]);
      this.markingCache = null;
    } catch (e) {
      await undo().catch(() => undefined);
      throw e;
    }
    await this.compactEvery();
    return 'written';
  }

  /**
   * Appends many sources at once for trusted bulk loads (evaluation sets):
   * one commit per table instead of two per source. Same ordering rule as
   * writeSource: chunks first, sources last.
   */
  async writeBulk(sources: readonly Source[], chunks: readonly ChunkRow[]): Promise<void> {
    this.assertVectors(chunks);
    const documentTerms = new DocumentTermsCollector();
    await this.appendChunks(chunks, documentTerms);
    await this.documents.add(documentTerms.rows());
    if (sources.length > 0) await this.sources.add(sources.map(sourceToRow));
    this.markingCache = null;
  }

  private writesSinceCompaction = 0;

  /**
   * Every append adds a table fragment and version, and LanceDB's reads
   * (hasSource, filters, full text over unindexed rows) slow down with their
   * count: ingesting 400 one-line files, a hasSource call grew from 3 to 42
   * ms. Compacting every COMPACT_EVERY sources (more in a big table:
   * compactionInterval) keeps it flat (~5 ms) for
   * 0.1-0.4 s each time. Called inside the write lock, as writeSource is.
   */
  private async compactEvery(): Promise<void> {
    if (++this.writesSinceCompaction < this.compactInterval) return;
    this.writesSinceCompaction = 0;
    // Upkeep only: a failure leaves a slower, still correct table.
    await this.sources.optimize().catch(() => undefined);
    await this.observations.optimize().catch(() => undefined);
    await this.documents.optimize().catch(() => undefined);
    await this.chunks.optimize().catch(() => undefined);
    this.compactInterval = compactionInterval(await this.chunks.countRows().catch(() => 0));
  }

  /** Starts at the small-store interval; set from the table's size after each compaction. */
  private compactInterval = COMPACT_EVERY;

  /**
   * Appends chunk rows in bounded batches, built as Arrow columns
   * (chunk-arrow.ts): a 100 MB source is ~130,000 rows, and one append of
   * them all held every vector twice over in memory. Safe to split: a
   * source's rows count only once its source row is written, after these.
   */
  private async appendChunks(chunks: readonly ChunkRow[], documentTerms?: DocumentTermsCollector): Promise<void> {
    if (chunks.length === 0) return;
    // Our own schema objects, not the table's: LanceDB's come from its copy of
    // apache-arrow, whose types our arrow's builders do not recognise. Only
    // the columns the table has, so a store made by an older version still
    // takes appends.
    const present = new Set((await this.chunks.schema()).fields.map((f) => f.name));
    const ours = chunksSchema(this.embedderId, this.dimension);
    const schema = new arrow.Schema(ours.fields.filter((f) => present.has(f.name)), ours.metadata);
    for (let i = 0; i < chunks.length; i += CHUNK_WRITE_BATCH) {
      const batch = chunksToArrow(schema, chunks.slice(i, i + CHUNK_WRITE_BATCH));
      documentTerms?.add(batch);
      await this.chunks.add(batch);
    }
  }

  /** LanceDB would silently store a vector of the wrong size; refuse it here. */
  private assertVectors(chunks: readonly ChunkRow[]): void {
    const bad = chunks.find((c) => c.vector.length !== this.dimension);
    if (bad) {
      throw new CairnError('STORE_MISMATCH', `chunk ${bad.id} has a ${bad.vector.length}-dimension vector; this store holds ${this.dimension} (${this.embedderId})`, { input: bad.sourceId });
    }
  }

  /** Removes the rows of a source whose write never committed (its source row is absent). */
  async discardUncommitted(id: string): Promise<void> {
    const sid = assertId(id);
    if (await this.hasSource(sid)) return;
    await this.chunks.delete(`sourceId = '${sid}'`);
    await this.documents.deleteWhere(`sourceId = '${sid}'`);
    await this.observations.deleteSource(sid);
  }

  /** Removes chunks whose source row was never written (a crash mid-write). */
  async repair(): Promise<{ orphanChunks: number; orphanObservationSources: number }> {
    const known = await this.sourceIds();
    const observationOrphans = [...(await this.observations.sourceIds())].filter((id) => !known.has(id));
    for (const id of observationOrphans) await this.observations.deleteSource(assertId(id));
    const chunkSources = new Set((await this.chunks.query().select(['sourceId']).toArray()).map((r) => String(r.sourceId)));
    const orphans = [...chunkSources].filter((id) => !known.has(id));
    let removed = 0;
    for (const id of orphans) {
      removed += await this.chunks.countRows(`sourceId = '${assertId(id)}'`);
      await this.chunks.delete(`sourceId = '${id}'`);
    }
    for (const id of await this.documents.sourceIds()) if (!known.has(id)) await this.documents.deleteWhere(`sourceId = '${assertId(id)}'`);
    return { orphanChunks: removed, orphanObservationSources: observationOrphans.length };
  }

  private async sourceIds(): Promise<Set<string>> {
    return new Set((await this.sources.query().select(['id']).toArray()).map((r) => String(r.id)));
  }

  /** Track points in an area and time window, from committed sources only. */
  async queryObservations(filter: SpaceTimeFilter, limit = 10_000, visible: Visibility = null): Promise<Observation[]> {
    return this.observations.query(filter, limit, await this.sourceIds(), markingFilter(visible));
  }

  /** A filter clause keeping passages of these sources. */
  sourceWhere(ids: readonly string[]): string {
    return ids.length === 0 ? '1 = 0' : `sourceId IN (${inList(ids)})`;
  }

  /** A filter clause keeping passages of sources of these kinds. */
  async kindWhere(kinds: readonly Source['kind'][]): Promise<string> {
    const allowed = new Set(['document', 'image', 'track']);
    const list = kinds.filter((k) => allowed.has(k));
    if (list.length === 0) return '1 = 0';
    const rows = await this.sources.query().where(`kind IN (${list.map((k) => `'${k}'`).join(', ')})`).select(['id']).toArray();
    return rows.length === 0 ? '1 = 0' : `sourceId IN (${inList(rows.map((r) => String(r.id)))})`;
  }

  /** Every distinct marking stored (chunks, sources, observations): few, so access checks run on this set. */
  async markings(): Promise<Set<string>> {
    if (this.markingCache) return new Set(this.markingCache);
    const out = new Set<string>();
    for (const table of [this.chunks, this.sources]) for (const r of await table.query().select(['marking']).toArray()) out.add(String(r.marking));
    for (const m of await this.observations.markings()) out.add(m);
    this.markingCache = out;
    return new Set(out);
  }

  /**
   * Cached per instance; a write here refreshes it. A marking first written
   * by another process stays invisible to restricted readers until the next
   * open: it fails closed.
   */
  private markingCache: Set<string> | null = null;

  /**
   * Folds new rows into the indexes; call after a batch of writes. Builds
   * the vector index once the chunks pass `vectorIndexMinRows` (never by
   * default; see vector-index.ts); optimize then keeps it current, and rows
   * not yet in it are scanned exactly.
   */
  async optimize(vectorIndexMinRows = Number.POSITIVE_INFINITY): Promise<void> {
    // Compaction commits new table versions: under the write lock, or two
    // processes optimizing at once fail with LanceDB commit conflicts.
    await this.withWriteLock(async () => {
      if (!(await this.vectorIndexed())) {
        const rows = await this.chunks.countRows();
        if (rows >= vectorIndexMinRows) {
          await createVectorIndex(this.chunks, rows, this.dimension);
          this.annIndexed = true;
        }
      }
      // Documents first: their index work then reuses memory the chunks' compaction (the peak) asks for
      // next; after it, building the 1M-passage scale store peaked at 1,601 MiB RSS, before it at 1,342 MiB.
      await this.documents.optimize();
      await this.chunks.optimize();
      await this.sources.optimize();
      await this.observations.optimize();
    });
  }

  /** Data fragments per table: what compaction keeps low (for tests and `cairn doctor`-style checks). */
  async fragmentCounts(): Promise<{ sources: number; chunks: number }> {
    const [sources, chunks] = await Promise.all([this.sources.stats(), this.chunks.stats()]);
    return { sources: sources.fragmentStats.numFragments, chunks: chunks.fragmentStats.numFragments };
  }

  /** Whether nearest() goes through the ANN index (cached: an index is never dropped). */
  private annIndexed = false;

  async vectorIndexed(): Promise<boolean> {
    if (!this.annIndexed) this.annIndexed = await hasVectorIndex(this.chunks);
    return this.annIndexed;
  }

  /** Up to `limit` chunk texts with their markings: what a corpus-trained model learns from. */
  async chunkTexts(limit: number): Promise<{ text: string; marking: string }[]> {
    const rows = await this.chunks.query().select(['text', 'marking']).limit(limit).toArray();
    return rows.map((r) => ({ text: String(r.text), marking: String(r.marking) }));
  }

  async countChunks(): Promise<number> {
    return this.chunks.countRows();
  }

  /**
   * BM25 over chunk text. `query` is text, or weighted bags of words whose
   * scores add up (an expanded query: original terms and feedback terms).
   */
  async fullText(query: string | readonly { text: string; boost: number }[], k: number, visible: Visibility = null, extraWhere: string | null = null): Promise<ScoredChunk[]> {
    const parts = typeof query === 'string' ? [{ text: query, boost: 1 }] : query.filter((p) => p.text.trim() !== '' && p.boost > 0);
    if (parts.length === 0) return [];
    // Queries go through the analyser the indexed column went through (main/search/analyse.ts).
    const { column, languages } = await this.fts.get();
    const analysed = (text: string): string => this.analysedQuery(text, column, languages);
    let q = this.chunks
      .query()
      .fullTextSearch(
        typeof query === 'string' ? analysed(query) : new lancedb.BooleanQuery(parts.map((p) => [lancedb.Occur.Should, new lancedb.MatchQuery(analysed(p.text), column, { boost: p.boost })])),
        { columns: [column] },
      );
    const where = and(markingFilter(visible), extraWhere);
    if (where) q = q.where(where);
    const rows = plainRows(await q.select([...CHUNK_COLUMNS, '_score']).limit(k).toArrow());
    return this.attachTitles(rows, (r) => Number(r._score));
  }

  /** Whether every source has its document row, so searches use document scores. */
  get documentsComplete(): boolean {
    return this.documents.complete;
  }

  /**
   * Gives sources stored before document rows existed their row, from their
   * passages' terms, BACKFILL_SOURCES at a time under the write lock (each
   * batch commits on its own, so an interrupted run resumes where it
   * stopped). Until a store is complete, searches rank by passages alone
   * (documentScores is null). Returns how many sources got a row.
   */
  async backfillDocuments(): Promise<number> {
    if (this.documents.complete) return 0;
    const have = await this.documents.sourceIds();
    const missing = [...(await this.sourceIds())].filter((id) => !have.has(id));
    let added = 0;
    for (let i = 0; i < missing.length; i += BACKFILL_SOURCES) {
      const ids = missing.slice(i, i + BACKFILL_SOURCES);
      added += await this.withWriteLock(async () => {
        // Sorted by source and order, so each document's terms read as its passages do.
        const rows = (await this.chunks.query().where(`sourceId IN (${inList(ids)})`).select(['sourceId', 'ordinal', 'terms', 'marking']).toArray()) as Record<string, unknown>[];
        rows.sort((a, b) => String(a.sourceId).localeCompare(String(b.sourceId)) || Number(a.ordinal) - Number(b.ordinal));
        const collector = new DocumentTermsCollector();
        for (const r of rows) collector.addRow(String(r.sourceId), String(r.terms), String(r.marking));
        const docs = collector.rows();
        await this.documents.add(docs);
        return docs.length;
      });
    }
    // Complete when every source has a row or was looked at here (one with no passages never gets a row).
    // Under the lock, so no write lands between the check and the marker.
    const looked = new Set(missing);
    await this.withWriteLock(async () => {
      const now = await this.documents.sourceIds();
      if ([...(await this.sourceIds())].every((id) => now.has(id) || looked.has(id))) await this.documents.markComplete();
    });
    return added;
  }

  /**
   * Whole-document BM25 (main/store/documents.ts) of the `limit` documents
   * that match the query best (analysed as the passages' was), among those
   * the reader may see; a source not in the map matches less. Null while
   * some sources have no document row yet (a store from before them, until
   * backfillDocuments finishes): then no source can be compared.
   */
  async documentScores(query: string, limit: number, visible: Visibility = null): Promise<Map<string, number> | null> {
    if (!this.documents.complete) return null;
    const { column, languages } = await this.fts.get();
    if (column !== 'terms') return null;
    return this.documents.scores(this.analysedQuery(query, column, languages), markingFilter(visible), limit);
  }

  /** The last query analysed: a search analyses it once for its passages and once for its documents, in parallel. */
  private lastAnalysed: { text: string; languages: StoreLanguages; column: string; out: string } | null = null;

  private analysedQuery(text: string, column: FtsColumn, languages: StoreLanguages): string {
    const last = this.lastAnalysed;
    if (last?.text === text && last.column === column && last.languages === languages) return last.out;
    const out = ftsQuery(text, column, languages);
    this.lastAnalysed = { text, column, languages, out };
    return out;
  }

  /** `probe`: how the ANN index is searched when there is one (the default but for measurements). */
  async nearest(vector: Float32Array, k: number, visible: Visibility = null, extraWhere: string | null = null, probe: Readonly<AnnProbe> = DEFAULT_ANN_PROBE): Promise<ScoredChunk[]> {
    const where = and(markingFilter(visible), extraWhere);
    let q = this.chunks.query();
    if (where) q = q.where(where);
    let v = q.nearestTo(Array.from(vector)).distanceType('cosine');
    if (await this.vectorIndexed()) v = v.nprobes(probe.nprobes).refineFactor(probe.refineFactor);
    const rows = plainRows(await v
      .select([...CHUNK_COLUMNS, '_distance'])
      .limit(k)
      .toArrow());
    // Cosine distance in [0, 2]; report similarity so larger is better everywhere.
    return this.attachTitles(rows, (r) => 1 - Number(r._distance));
  }

  async getChunks(ids: readonly string[], visible: Visibility = null): Promise<Chunk[]> {
    if (ids.length === 0) return [];
    const rows = plainRows(await this.chunks.query().where(and(`id IN (${inList(ids)})`, markingFilter(visible))!).select(CHUNK_COLUMNS).toArrow());
    return rows.map(chunkFromRow);
  }

  /** Chunks of one source by ordinal range, for passage context. */
  async chunksOfSource(sourceId: string, fromOrdinal = 0, toOrdinal = Number.MAX_SAFE_INTEGER, visible: Visibility = null): Promise<Chunk[]> {
    const range = `sourceId = '${assertId(sourceId)}' AND ordinal >= ${Math.trunc(fromOrdinal)} AND ordinal <= ${Math.min(Math.trunc(toOrdinal), 2 ** 31 - 1)}`;
    const rows = await this.chunks
      .query()
      .where(and(range, markingFilter(visible))!)
      .select(CHUNK_COLUMNS)
      .toArray();
    return rows.map((r) => chunkFromRow(r as Record<string, unknown>)).sort((a, b) => a.ordinal - b.ordinal);
  }

  /**
   * Titles of committed sources, so a search costs no second round trip for
   * sources seen before. Safe to keep: a source row is only ever added, never
   * changed or removed (its id is the hash of its bytes). Sources not found
   * are never cached: they may commit later, here or in another process.
   */
  private readonly titleCache = new BoundedMap<string, string>(TITLE_CACHE_LIMIT);
  private titlesPreloaded = false;

  /** Resolves titles and drops hits whose source is not (yet) committed. */
  private async attachTitles(rows: Record<string, unknown>[], score: (r: Record<string, unknown>) => number): Promise<ScoredChunk[]> {
    if (rows.length === 0) return [];
    const titles = this.titleCache;
    if (!this.titlesPreloaded) {
      // Once: most stores have far fewer sources than passages, and one scan beats a filtered query per search.
      this.titlesPreloaded = true;
      if ((await this.sources.countRows()) <= TITLE_CACHE_LIMIT) for (const r of await this.sources.query().select(['id', 'title']).toArray()) titles.set(String(r.id), String(r.title));
    }
    const missing = [...new Set(rows.map((r) => String(r.sourceId)))].filter((id) => titles.get(id) === undefined);
    if (missing.length > 0) {
      const srcRows = await this.sources.query().where(`id IN (${inList(missing)})`).select(['id', 'title']).toArray();
      for (const r of srcRows) titles.set(String(r.id), String(r.title));
    }
    const out: ScoredChunk[] = [];
    for (const r of rows) {
      const title = titles.get(String(r.sourceId));
      if (title === undefined) continue;
      out.push({ ...chunkFromRow(r), score: score(r), title });
    }
    return out;
  }
}
