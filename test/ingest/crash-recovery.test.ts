/**
 * What the next start does after a writer died between its steps: the
 * crash points are reproduced exactly (state on disk as a SIGKILL would leave
 * it) and then a normal ingest runs. test/security/crash.test.ts kills real
 * processes at random moments; this pins each recovery rule down.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { beginIngest } from '../../ingest/audit-journal.js';
import { ingestPaths, type IngestDeps } from '../../ingest/pipeline.js';
import { defaultMarking, loadPolicy } from '../../main/access/index.js';
import { AuditLog } from '../../main/audit/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';

const embedder = new HashedEmbedder();
const TEXT = 'The convoy reached Port Sarn at dawn on 12 March. Two trucks carried fuel drums.\n';

describe('ingest after a crash', () => {
  let dir: string;
  let file: string;
  let deps: IngestDeps;
  let audit: AuditLog;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-crash-'));
    file = path.join(dir, 'report.txt');
    await writeFile(file, TEXT);
    const data = path.join(dir, 'data');
    store = await Store.open(data, { embedderId: embedder.id, dimension: embedder.dimension });
    audit = await AuditLog.open(data);
    deps = { store, embedder, audit, actor: 'tester', dataDir: data };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const ingest = async () => {
    const policy = await loadPolicy();
    return ingestPaths([file], deps, { marking: defaultMarking(policy), policy });
  };
  const ingestRecords = async () => (await audit.read()).filter((r) => r.action === 'ingest');

  it('audits a source whose store write committed but whose audit append never happened', async () => {
    const first = await ingest();
    expect(first.ingested).toBe(1);
    const record = (await ingestRecords())[0]!;
    // Reproduce "killed after writeSource, before audit.append": the note is
    // on disk, the source is in the store, the log has no ingest record.
    await beginIngest(deps.dataDir, { sourceId: sha256Hex(Buffer.from(TEXT)), actor: 'tester', payload: record.payload as Record<string, unknown> });
    // The ingest record was the last line: dropping it leaves a valid chain without it.
    const lines = (await readFile(audit.file, 'utf8')).split('\n').filter((l) => l !== '' && !l.includes('"action":"ingest"'));
    await writeFile(audit.file, lines.map((l) => `${l}\n`).join(''));
    expect(await ingestRecords()).toHaveLength(0);

    const again = await ingest();
    expect(again.exists).toBe(1);
    const recs = await ingestRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]!.payload).toMatchObject({ sourceId: sha256Hex(Buffer.from(TEXT)), recovered: true, chunks: (record.payload as { chunks: number }).chunks });
    expect(await readdir(path.join(deps.dataDir, 'ingest-pending'))).toEqual([]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('drops the rows of a write that never committed, then ingests the file whole', async () => {
    const sourceId = sha256Hex(Buffer.from(TEXT));
    await beginIngest(deps.dataDir, { sourceId, actor: 'tester', payload: { sourceId } });
    const [vector] = await embedder.embed(['leftover chunk']);
    // Killed mid-write: a chunk row landed, the source row did not.
    await store.writeBulk([], [{ id: sha256Hex('orphan'), sourceId, ordinal: 0, text: 'leftover chunk', page: 1, start: 0, end: 14, marking: 'UNCLASSIFIED', vector: vector! }]);
    expect(await store.countChunks()).toBe(1);

    const result = await ingest();
    expect(result.ingested).toBe(1);
    const chunks = await store.chunksOfSource(sourceId);
    expect(chunks.map((c) => c.text)).not.toContain('leftover chunk');
    expect(await store.countChunks()).toBe(chunks.length);
    const recs = await ingestRecords();
    expect(recs).toHaveLength(1);
    expect(recs[0]!.payload).not.toHaveProperty('recovered');
  });

  it('quarantines a cut-off audit line, records the repair, and ingests', async () => {
    await audit.append('tester', 'note', { n: 1 });
    await appendFile(audit.file, '{"seq":2,"ts":"2026-');
    const result = await ingest();
    expect(result.ingested).toBe(1);
    const records = await audit.read();
    expect(records.map((r) => r.action)).toEqual(['note', 'audit.repaired', 'ingest']);
    expect((await audit.verify()).ok).toBe(true);
    expect((await readdir(path.dirname(audit.file))).some((n) => n.startsWith('quarantine-'))).toBe(true);
  });

  it('refuses to ingest anything onto a log whose last record was altered, and writes nothing', async () => {
    await audit.append('tester', 'note', { n: 1 });
    const text = await readFile(audit.file, 'utf8');
    await writeFile(audit.file, text.replace('"n":1', '"n":2'));
    await expect(ingest()).rejects.toMatchObject({ code: 'AUDIT_BROKEN' });
    expect(await store.listSources()).toHaveLength(0);
    expect(await store.countChunks()).toBe(0);
  });
});
