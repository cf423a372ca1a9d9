/**
 * Opens a data folder the way Cairn does (Store + AuditLog, in process) and
 * checks that what a killed or concurrent writer left behind is consistent:
 *   - every chunk belongs to a committed source, or is an orphan that
 *     store.repair() reports and removes (orphans = all chunks - chunks of
 *     committed sources, counted through the store's own API);
 *   - every committed source has all its chunks: as many as its audit
 *     `ingest` record says (and the same chunk ids), and as many as a clean
 *     run made for the same bytes, when that is known;
 *   - every committed source has an audit record, and every audited ingest
 *     has its source;
 *   - full-text search for each source's unique token finds it, and vector
 *     search for its first sentence finds it;
 *   - the audit chain verifies, or its only damage is a cut-off last line,
 *     which verify reports as `truncated` and AuditLog.repair() fixes;
 *   - with `repair`, what the next start does runs first: a source committed
 *     just before the kill gets its audit record from the ingest journal.
 */
import { recoverAfterCrash } from '../../ingest/pipeline.js';
import { AuditLog } from '../../main/audit/index.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';

export interface ExpectedDoc {
  token: string;
  sentence: string;
  /** Chunks a clean ingest of the same bytes made, when known. */
  chunks?: number;
}

export interface Inspection {
  sources: number;
  committedChunks: number;
  /** Chunks with no source row, before repair. */
  orphanChunks: number;
  /** What store.repair() said it removed. */
  repairRemoved: number;
  /** The audit log's last line was cut off (and was repaired when `repair` is set). */
  truncatedTail: boolean;
  auditRecords: number;
  /** Every inconsistency found, one sentence each. */
  problems: string[];
}

export interface InspectOptions {
  /** Expected documents by source id (sha256 of the bytes). */
  expected: ReadonlyMap<string, ExpectedDoc>;
  /** Run store.repair() and AuditLog.repair() when needed (true after a crash). */
  repair: boolean;
  /** After a completed re-run: all expected sources must be there and nothing may need repair. */
  strict?: boolean;
  /** Also check vector search finds each source by its first sentence (default true; needs distinct documents). */
  vector?: boolean;
}

interface IngestRecord {
  sourceId: string;
  chunks: number;
  chunkIds: string[];
}

export async function inspectDataDir(dataDir: string, opts: InspectOptions): Promise<Inspection> {
  const problems: string[] = [];
  const embedder = new HashedEmbedder();

  // Audit first: a cut-off tail is detected, then repaired, before anything reads the records.
  const audit = await AuditLog.open(dataDir);
  let truncatedTail = false;
  const v = await audit.verify();
  if (!v.ok) {
    if (v.firstBroken.reason === 'truncated') {
      truncatedTail = true;
      if (opts.strict) problems.push(`audit log has a cut-off last line after a clean run (line ${v.firstBroken.line})`);
      if (opts.repair) {
        await audit.repair();
        const again = await audit.verify();
        if (!again.ok) problems.push(`audit repair left the log broken: ${again.firstBroken.reason} at line ${again.firstBroken.line}`);
      }
    } else {
      problems.push(`audit chain broken at line ${v.firstBroken.line}: ${v.firstBroken.reason} (${v.firstBroken.message})`);
    }
  }
  const store = await Store.open(dataDir, { embedderId: embedder.id, dimension: embedder.dimension });
  // The next start finishes a write the kill interrupted between store
  // commit and audit append (ingest/audit-journal.ts); model that start.
  if (opts.repair) await recoverAfterCrash({ dataDir, store, audit });
  const records = await audit.read().catch((e: Error) => {
    problems.push(`audit log unreadable: ${e.message}`);
    return [];
  });
  const audited = new Map<string, IngestRecord>();
  for (const r of records) {
    if (r.action !== 'ingest') continue;
    const p = r.payload as Partial<IngestRecord>;
    if (typeof p.sourceId !== 'string') continue;
    if (audited.has(p.sourceId)) problems.push(`source ${p.sourceId.slice(0, 12)} has two ingest records`);
    audited.set(p.sourceId, { sourceId: p.sourceId, chunks: Number(p.chunks), chunkIds: Array.isArray(p.chunkIds) ? p.chunkIds.map(String) : [] });
  }

  const sources = await store.listSources();
  const ids = new Set(sources.map((s) => s.id));
  let committedChunks = 0;
  for (const s of sources) {
    const label = `${s.title} (${s.id.slice(0, 12)})`;
    const chunks = await store.chunksOfSource(s.id);
    committedChunks += chunks.length;
    const exp = opts.expected.get(s.id);
    if (!exp) problems.push(`unexpected source ${label}`);
    if (exp?.chunks !== undefined && chunks.length !== exp.chunks) problems.push(`partial source ${label}: ${chunks.length} chunks, a clean ingest makes ${exp.chunks}`);
    const rec = audited.get(s.id);
    if (!rec) problems.push(`source ${label} is in the store but has no audit ingest record`);
    else {
      if (rec.chunks !== chunks.length) problems.push(`source ${label}: ${chunks.length} chunks in the store, audit record says ${rec.chunks}`);
      const stored = new Set(chunks.map((c) => c.id));
      if (rec.chunkIds.length !== stored.size || rec.chunkIds.some((id) => !stored.has(id))) problems.push(`source ${label}: chunk ids differ from its audit record`);
    }
    if (exp) {
      const text = await store.fullText(exp.token, 10);
      if (!text.some((h) => h.sourceId === s.id)) problems.push(`full-text search for ${exp.token} does not find ${label}`);
      if (opts.vector === false) continue;
      const [vec] = await embedder.embed([exp.sentence]);
      const near = await store.nearest(vec!, 20);
      if (!near.some((h) => h.sourceId === s.id)) problems.push(`vector search for the first sentence of ${label} does not find it`);
    }
  }
  for (const id of audited.keys()) if (!ids.has(id)) problems.push(`audit records an ingest of ${id.slice(0, 12)} but the store has no such source`);
  if (opts.strict) for (const id of opts.expected.keys()) if (!ids.has(id)) problems.push(`source ${id.slice(0, 12)} missing after a completed ingest`);

  const total = await store.countChunks();
  const orphanChunks = total - committedChunks;
  let repairRemoved = 0;
  if (opts.strict && orphanChunks !== 0) problems.push(`${orphanChunks} orphan chunks after a completed ingest`);
  if (opts.repair) {
    repairRemoved = (await store.repair()).orphanChunks;
    if (repairRemoved !== orphanChunks) problems.push(`store.repair() removed ${repairRemoved} orphan chunks, ${orphanChunks} were there`);
    const after = await store.countChunks();
    if (after !== committedChunks) problems.push(`after repair the store holds ${after} chunks, committed sources own ${committedChunks}`);
  }
  return { sources: sources.length, committedChunks, orphanChunks, repairRemoved, truncatedTail, auditRecords: records.length, problems };
}
