/**
 * Files are prepared ahead of their commit and the largest first
 * (ingest/pipeline.ts), but what the analyst and the reviewer see must not
 * move: results, progress and the audit log stay in the order given, a
 * failure included.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestProgress, ingestPaths, READ_AHEAD_FILES } from '../../ingest/pipeline.js';
import { defaultMarking, loadPolicy } from '../../main/access/index.js';
import { AuditLog } from '../../main/audit/index.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';

const embedder = new HashedEmbedder();

describe('ingest read-ahead', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-ahead-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps results, progress and audit records in the order given, with a large file and a failure among them', async () => {
    const files: string[] = [];
    const count = READ_AHEAD_FILES + 4;
    for (let i = 0; i < count; i++) {
      const file = path.join(dir, `report-${String(i).padStart(2, '0')}.txt`);
      // One file far larger than the rest (read first when it enters the window), one empty (refused).
      const body = i === 5 ? `Depot ledger line ${i}: fuel drums counted and stacked.\n`.repeat(20_000) : i === 2 ? '' : `Report ${i}: the convoy passed checkpoint ${i * 7} at dawn.\n`;
      await writeFile(file, body);
      files.push(file);
    }
    const data = path.join(dir, 'data');
    const store = await Store.open(data, { embedderId: embedder.id, dimension: embedder.dimension });
    const audit = await AuditLog.open(data);
    const policy = await loadPolicy();
    const progress: IngestProgress[] = [];
    const summary = await ingestPaths(files, { store, embedder, audit, actor: 'tester', dataDir: data }, { marking: defaultMarking(policy), policy, onProgress: (p) => progress.push(p) });

    expect(summary.files.map((f) => f.file)).toEqual(files);
    expect(summary.files.map((f) => f.status)).toEqual(files.map((_, i) => (i === 2 ? 'failed' : 'ingested')));
    expect(summary.files[2]!.error?.code).toBe('EMPTY_FILE');
    expect(progress.map((p) => [p.done, p.file])).toEqual(files.map((f, i) => [i + 1, f]));
    const logged = (await audit.read()).filter((r) => r.action === 'ingest' || r.action === 'ingest.failed').map((r) => (r.payload as { file: string }).file);
    expect(logged).toEqual(files);
    expect(await store.countChunks()).toBeGreaterThan(count);
  }, 120_000);
});
