import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { findPortionMarkings, formatBanner, markingForSpan, rollUp, type Marking, type MarkingPolicy } from '../main/access/index.js';
import { CairnError, toCairnError } from '../main/core/errors.js';
import { sha256Hex } from '../main/core/hash.js';
import type { Observation, Source } from '../main/core/types.js';
import type { Embedder } from '../main/embed/embedder.js';
import type { ChunkRow, Store } from '../main/store/store.js';
import { classifyBytes } from './classify.js';
import type { Prepared } from './prepared.js';
import { READERS } from './readers.js';
import { beginIngest, endIngest, recoverIngestJournal, type JournalRecovery } from './audit-journal.js';
import { keepBlob, keepsOriginal } from '../main/store/blobs.js';
import { expandPaths } from './walk.js';
import { VECTOR_INDEX_MIN_ROWS } from '../main/store/vector-index.js';
import { CHUNK_WRITE_BATCH } from '../main/store/chunk-arrow.js';

/** What the pipeline records; satisfied by main/audit's AuditLog. */
export interface IngestAuditSink {
  append(actor: string, action: string, payload: unknown): Promise<unknown>;
  records(): AsyncIterable<{ action: string; payload: unknown }>;
  /** Throws (AUDIT_BROKEN) when the next append would be refused. */
  assertAppendable(): Promise<void>;
  /** Quarantines a cut-off last line a crash left (and records that); null when there was none. */
  recoverCutOffTail(actor: string): Promise<string | null>;
}

export interface IngestDeps {
  store: Store;
  embedder: Embedder;
  audit: IngestAuditSink;
  actor: string;
  /** The data folder, for derived files such as thumbnails. */
  dataDir: string;
}

export interface IngestOptions {
  /** Marking the user gave for this batch (the policy's lowest level when none). */
  marking: Marking;
  policy: MarkingPolicy;
  /** PDF user password for encrypted files. */
  password?: string;
  /** Signed data package the files came from, recorded on each source. */
  packageId?: string;
  /** Per-file provenance (originator, collection date...) merged into source metadata, keyed by path as given. */
  provenance?: ReadonlyMap<string, Record<string, unknown>>;
  /** Per-file limit so no file can hang the batch. */
  timeoutMs?: number;
  maxBytes?: number;
  onProgress?: (event: IngestProgress) => void;
  /**
   * Leave index upkeep (indexUpkeep) to the caller, who runs it after
   * returning: the rows are searchable without it. For hosts that train the
   * corpus model in the background too (Cairn's trainInBackground).
   */
  deferIndexUpkeep?: boolean;
}

export interface IngestProgress {
  done: number;
  total: number;
  file: string;
  status: IngestStatus;
}

export type IngestStatus = 'ingested' | 'exists' | 'failed';

export interface IngestFileResult {
  file: string;
  status: IngestStatus;
  sourceId?: string;
  title?: string;
  chunks?: number;
  error?: { code: string; message: string };
  /** E-mail attachments, each its own source linked to the message. */
  attachments?: IngestFileResult[];
}

export interface IngestSummary {
  files: IngestFileResult[];
  ingested: number;
  exists: number;
  failed: number;
}

export const INGEST_DEFAULTS = { timeoutMs: 120_000, maxBytes: 200 * 1024 * 1024 } as const;

interface Item {
  bytes: Uint8Array;
  origin: string;
  filename: string;
  parentId: string;
}

/**
 * Portion markings in the text ("(S//NF) The convoy...") mark their paragraph;
 * a chunk takes the roll-up of the portions it overlaps, else the batch
 * marking, and never less than the batch marking. The source's marking is the
 * roll-up of everything in it.
 */
function markChunks(prepared: Prepared, batch: Marking, policy: MarkingPolicy): { chunkMarkings: string[]; source: string } {
  const portionsByPage = new Map(prepared.pages.map((p) => [p.page, findPortionMarkings(p.text, policy)]));
  const all: Marking[] = [batch];
  const chunkMarkings = prepared.chunks.map((d) => {
    const portion = markingForSpan(portionsByPage.get(d.page) ?? [], d.start, d.end, policy);
    const m = portion ? rollUp([batch, portion], policy) : batch;
    all.push(m);
    return formatBanner(m);
  });
  return { chunkMarkings, source: formatBanner(rollUp(all, policy)) };
}

type UnembeddedRow = Omit<ChunkRow, 'vector'>;

/**
 * A source's rows, embedded now when it is an ordinary size, or a batch at a
 * time while it is written when it is huge (a 100 MB text is ~130,000
 * passages: 500 MB of vectors held at once otherwise).
 */
type SourceRows = readonly ChunkRow[] | { lazy: readonly UnembeddedRow[]; embedder: Embedder };

async function buildRows(sourceId: string, prepared: Prepared, opts: IngestOptions, embedder: Embedder): Promise<{ rows: SourceRows; ids: string[]; marking: string }> {
  const { chunkMarkings, source } = markChunks(prepared, opts.marking, opts.policy);
  const plain: UnembeddedRow[] = prepared.chunks.map((d, i) => ({
    ...d,
    id: sha256Hex(`${sourceId}:${d.page}:${d.start}:${d.end}`),
    sourceId,
    ordinal: i,
    marking: chunkMarkings[i] as string,
  }));
  const ids = plain.map((r) => r.id);
  if (plain.length > CHUNK_WRITE_BATCH) return { rows: { lazy: plain, embedder }, ids, marking: source };
  const vectors = await embedder.embed(plain.map((d) => d.text));
  return { rows: plain.map((r, i) => ({ ...r, vector: vectors[i] as Float32Array })), ids, marking: source };
}

/** Embeds a huge source's rows one write batch at a time. */
async function* embeddedBatches(rows: SourceRows): AsyncGenerator<readonly ChunkRow[]> {
  if (!('lazy' in rows)) {
    yield rows;
    return;
  }
  for (let i = 0; i < rows.lazy.length; i += CHUNK_WRITE_BATCH) {
    const slice = rows.lazy.slice(i, i + CHUNK_WRITE_BATCH);
    const vectors = await rows.embedder.embed(slice.map((d) => d.text));
    yield slice.map((r, j) => ({ ...r, vector: vectors[j] as Float32Array }));
  }
}

/** A source read, chunked and (unless huge) embedded, waiting for its turn to be written. */
interface ReadyItem {
  item: Item;
  source: Source;
  rows: SourceRows;
  chunkIds: string[];
  observations: Observation[];
  attachments: Prepared['attachments'];
}

type PreparedItem = { kind: 'exists'; item: Item; result: IngestFileResult } | { kind: 'ready'; ready: ReadyItem };

/** The costly, side-effect-free part: read (in an isolated worker), chunk, mark, embed. */
async function prepareItem(item: Item, deps: IngestDeps, opts: IngestOptions): Promise<PreparedItem> {
  const sourceId = sha256Hex(item.bytes);
  if (await deps.store.hasSource(sourceId)) return { kind: 'exists', item, result: { file: item.origin, sourceId, status: 'exists' } };
  const kind = classifyBytes(item.bytes, item.filename);
  const prepared = await READERS[kind](item.bytes, {
    filename: item.filename,
    password: opts.password,
    timeoutMs: opts.timeoutMs ?? INGEST_DEFAULTS.timeoutMs,
    dataDir: deps.dataDir,
  });
  const { rows, ids, marking } = await buildRows(sourceId, prepared, opts, deps.embedder);
  const source: Source = {
    id: sourceId,
    kind: prepared.kind,
    title: prepared.title || item.filename,
    origin: item.origin,
    mime: prepared.mime,
    bytes: item.bytes.byteLength,
    ingestedAt: new Date().toISOString(),
    marking,
    packageId: opts.packageId ?? '',
    parentId: item.parentId,
    t0: prepared.t0,
    t1: prepared.t1,
    geo: prepared.geo,
    metadata: { ...prepared.metadata, ...(opts.provenance?.get(item.origin) ?? {}) },
  };
  const observations = prepared.observations.map((o) => ({ ...o, sourceId, marking }));
  return { kind: 'ready', ready: { item, source, rows, chunkIds: ids, observations, attachments: prepared.attachments } };
}

/** Writes a prepared source (all its rows or none) and audits it; then its attachments. */
async function commitItem(p: PreparedItem, deps: IngestDeps, opts: IngestOptions): Promise<IngestFileResult> {
  if (p.kind === 'exists') {
    // Sources ingested before originals were kept get theirs now (a no-op when kept).
    const known = await deps.store.getSource(p.result.sourceId!);
    if (known && keepsOriginal(known.mime)) await keepBlob(deps.dataDir, known.id, p.item.bytes);
    return p.result;
  }
  const { item, source, rows, chunkIds, observations } = p.ready;
  const sourceId = source.id;
  // The viewer shows PDF pages and pictures from their originals (content-addressed, size-limited).
  if (keepsOriginal(source.mime)) await keepBlob(deps.dataDir, sourceId, item.bytes);
  const payload = {
    file: item.origin, sourceId, kind: source.kind, title: source.title, mime: source.mime, bytes: source.bytes, marking: source.marking,
    parentId: source.parentId || undefined, packageId: source.packageId || undefined, chunks: chunkIds.length, observations: observations.length,
    chunkIds, status: 'ingested',
  };
  // Store commit and audit append under one lock, bracketed by a journal
  // note, so a crash between them is finished by the next start
  // (audit-journal.ts) instead of leaving an unaudited source.
  const outcome = await deps.store.withWriteLock(async () => {
    await beginIngest(deps.dataDir, { sourceId, actor: deps.actor, payload: JSON.parse(JSON.stringify(payload)) as Record<string, unknown> });
    const written = await deps.store.writeSource(source, embeddedBatches(rows), observations);
    if (written === 'written') await deps.audit.append(deps.actor, 'ingest', payload);
    await endIngest(deps.dataDir, sourceId);
    return written;
  });
  const result: IngestFileResult = { file: item.origin, sourceId, status: outcome === 'written' ? 'ingested' : 'exists', title: source.title, chunks: chunkIds.length };
  if (p.ready.attachments.length > 0) {
    result.attachments = [];
    for (const a of p.ready.attachments) {
      const child: Item = { bytes: a.bytes, origin: `${item.origin}#${a.filename}`, filename: a.filename, parentId: sourceId };
      result.attachments.push(await ingestOne(child, deps, opts));
    }
  }
  return result;
}

/** One file or attachment: never throws; a failure is a result with a reason. */
async function ingestOne(item: Item, deps: IngestDeps, opts: IngestOptions): Promise<IngestFileResult> {
  return settle(item.origin, prepareItem(item, deps, opts), deps, opts);
}

/** Commits a preparation, or audits why it failed: never throws. */
async function settle(file: string, preparing: Promise<PreparedItem>, deps: IngestDeps, opts: IngestOptions): Promise<IngestFileResult> {
  try {
    return await commitItem(await preparing, deps, opts);
  } catch (e) {
    const err = toCairnError(e, 'PARSE_FAILED', file);
    const error = { code: err.code, message: err.message };
    await deps.audit.append(deps.actor, 'ingest.failed', { file, status: 'failed', error });
    return { file, status: 'failed', error };
  }
}

/**
 * Files in preparation at once. Reading runs in worker threads, so the next
 * file is parsed while this one is embedded and written; more than this buys
 * little on a 2-core machine and holds more files in memory.
 */
export const IN_FLIGHT = 2;
/**
 * How far preparation may run ahead of the commit: files (counting the one
 * being committed) and bytes of finished files waiting for their turn.
 * Commits go in the given order, so without read-ahead a long file holds
 * both readers back: one waits on it while the other has finished the next
 * file and may not start another. Measured on the bench's 6 PDFs (a 352-page
 * book last): the book's read started 0.9 s into a 2.4 s ingest; it now
 * starts as soon as a reader is free.
 */
export const READ_AHEAD_FILES = 8;
export const READ_AHEAD_BYTES = 64 * 1024 * 1024;

/** Reads a file from disk (size-checked) and prepares it; the promise carries any failure to settle(). */
async function readAndPrepare(file: string, deps: IngestDeps, opts: IngestOptions, maxBytes: number): Promise<PreparedItem> {
  const size = (await stat(file)).size;
  if (size > maxBytes) {
    throw new CairnError('TOO_LARGE', `${file} is ${size} bytes, over the ${maxBytes}-byte limit per file`, { input: file });
  }
  // Refused before the store is asked anything: a folder of thousands of empty files is common (interrupted copies).
  if (size === 0) throw new CairnError('EMPTY_FILE', `${path.basename(file)} is empty (0 bytes); nothing to ingest`, { input: file });
  const bytes = await readFile(file);
  return prepareItem({ bytes, origin: file, filename: path.basename(file), parentId: '' }, deps, opts);
}

function tally(results: readonly IngestFileResult[]): Omit<IngestSummary, 'files'> {
  const all = results.flatMap((r) => [r, ...(r.attachments ?? [])]);
  return {
    ingested: all.filter((r) => r.status === 'ingested').length,
    exists: all.filter((r) => r.status === 'exists').length,
    failed: all.filter((r) => r.status === 'failed').length,
  };
}

/**
 * Ingests files and folders: detect -> read (isolated, time-limited) -> chunk
 * -> embed -> write (all of a source's rows or none) -> audit. A bad file is
 * reported and skipped; the rest of the batch goes on.
 */
export async function ingestPaths(paths: readonly string[], deps: IngestDeps, opts: IngestOptions): Promise<IngestSummary> {
  // Refuse before reading anything if the work could not be audited, and
  // finish whatever a crashed writer left half done.
  await deps.audit.recoverCutOffTail(deps.actor);
  await deps.audit.assertAppendable();
  await recoverAfterCrash(deps);
  // Ingesting a folder that holds the data folder must not ingest the store itself.
  // Links leading out of a folder and unreadable entries are not ingested;
  // each is reported (and audited) as a failed entry saying why.
  const skipped: { file: string; reason: string }[] = [];
  const sizes = new Map<string, number>();
  const files = await expandPaths(paths, [deps.dataDir], (file, reason) => skipped.push({ file, reason }), sizes);
  const maxBytes = opts.maxBytes ?? INGEST_DEFAULTS.maxBytes;
  const results: IngestFileResult[] = [];
  for (const { file, reason } of skipped) {
    const error = { code: 'NOT_FOLLOWED', message: `${file} ${reason}` };
    await deps.audit.append(deps.actor, 'ingest.failed', { file, status: 'failed', error });
    results.push({ file, status: 'failed', error });
  }
  // Preparations run up to IN_FLIGHT files at once, up to READ_AHEAD_FILES
  // ahead of the commit, the largest first (a long file started last would
  // leave one reader idle at the end); commits (store write and audit) stay
  // one at a time in the order given, so the log reads like the command line
  // and a failure never reorders it.
  const pending = new Map<number, Promise<PreparedItem>>();
  /** Bytes of prepared files waiting for their commit, by index. */
  const waiting = new Map<number, number>();
  let active = 0;
  let head = 0;
  let slotFreed: (() => void) | undefined;
  const waitingBytes = (): number => [...waiting.values()].reduce((a, b) => a + b, 0);
  /** The next file to prepare: the one to commit next if it has not started, else the largest in the window. */
  const pick = (): number | undefined => {
    if (!pending.has(head)) return head;
    if (waitingBytes() >= READ_AHEAD_BYTES) return undefined;
    let best: number | undefined;
    for (let j = head + 1; j < Math.min(files.length, head + READ_AHEAD_FILES); j++) {
      if (!pending.has(j) && (best === undefined || (sizes.get(files[j]!) ?? 0) > (sizes.get(files[best]!) ?? 0))) best = j;
    }
    return best;
  };
  const pump = (): void => {
    for (let i = pick(); i !== undefined && active < IN_FLIGHT; i = pick()) {
      const at = i;
      active++;
      const p = readAndPrepare(files[at]!, deps, opts, maxBytes);
      pending.set(at, p);
      p.then(
        (prepared) => {
          if (at > head && prepared.kind === 'ready') waiting.set(at, prepared.ready.item.bytes.length);
        },
        () => undefined, // settled in order below; never an unhandled rejection meanwhile
      ).finally(() => {
        active--;
        slotFreed?.();
        pump();
      });
    }
  };
  for (const [i, file] of files.entries()) {
    head = i;
    waiting.delete(i);
    pump();
    // Both readers busy with later (larger) files: this one starts when one is free.
    while (!pending.has(i)) await new Promise<void>((resolve) => (slotFreed = resolve));
    const result = await settle(file, pending.get(i)!, deps, opts);
    pending.delete(i);
    results.push(result);
    opts.onProgress?.({ done: i + 1, total: files.length, file, status: result.status });
  }
  if (!opts.deferIndexUpkeep && results.some((r) => r.status === 'ingested')) await indexUpkeep(deps);
  return { files: results, ...tally(results) };
}

/**
 * Index upkeep after new rows: compaction, the full-text index folded
 * forward, and the ANN index once a trained embedder's table is large
 * enough. The rows are committed and searchable before it (full-text search
 * also scans rows not yet folded into the index), so a failure here never
 * turns a finished ingest into an error; the next batch folds them in.
 */
export async function indexUpkeep(deps: Pick<IngestDeps, 'store' | 'embedder'>): Promise<void> {
  await deps.store.optimize(deps.embedder.trained ? VECTOR_INDEX_MIN_ROWS : undefined).catch(() => undefined);
}

/** Sources a crashed writer committed get their audit record; uncommitted rows are dropped. */
export function recoverAfterCrash(deps: Pick<IngestDeps, 'dataDir' | 'store' | 'audit'>): Promise<JournalRecovery> {
  return recoverIngestJournal(deps.dataDir, deps.store, {
    append: (actor, action, payload) => deps.audit.append(actor, action, payload),
    hasIngestRecord: async (sourceId) => {
      for await (const r of deps.audit.records()) {
        if (r.action === 'ingest' && (r.payload as { sourceId?: unknown } | null)?.sourceId === sourceId) return true;
      }
      return false;
    },
  });
}
