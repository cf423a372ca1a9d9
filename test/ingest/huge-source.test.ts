/**
 * A source with more passages than one write batch (a long log, a 100 MB
 * single-line text) goes through the lazy path: embedded and appended a
 * batch at a time. Real pipeline, real LanceDB.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { IngestSummary } from '../../ingest/pipeline.js';
import { CHUNK_WRITE_BATCH } from '../../main/store/chunk-arrow.js';

describe('ingest of a source larger than one write batch', () => {
  let root: string;
  let cairn: Cairn;
  let summary: IngestSummary;
  const markers = ['kestrel', 'osprey', 'harrier', 'merlin'];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-huge-'));
    // One line, no sentence breaks: the chunker has to cut by size alone.
    const filler = 'convoy depot ridge harbour marker survey bravo tango sierra kilo ';
    const parts: string[] = [];
    const target = 7.5 * 1024 * 1024;
    for (let n = 0, i = 0; n < target; i++) {
      // A distinct marker word at the start, a quarter, half and the very end of the file.
      const marker = markers[Math.floor((n / target) * markers.length)]!;
      const piece = i % 4000 === 0 ? `${marker} ${i} ` : filler;
      parts.push(piece);
      n += piece.length;
    }
    parts.push('finalmarker');
    await writeFile(path.join(root, 'one-line.txt'), parts.join(''));
    cairn = await Cairn.open(path.join(root, 'data'));
    summary = await cairn.ingest({ paths: [path.join(root, 'one-line.txt')] });
  }, 300_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores every passage and finds text from each write batch', async () => {
    expect(summary.files[0]).toMatchObject({ status: 'ingested' });
    const chunks = summary.files[0]!.chunks!;
    expect(chunks).toBeGreaterThan(CHUNK_WRITE_BATCH);
    const sourceId = summary.files[0]!.sourceId!;
    // The last passage lives in the last batch.
    const last = await cairn.search({ query: 'finalmarker', k: 1 });
    expect(last.hits[0]).toMatchObject({ sourceId });
    expect(last.hits[0]!.text).toContain('finalmarker');
    for (const m of markers) {
      const hits = await cairn.search({ query: m, k: 3 });
      expect(hits.hits[0]!.text).toContain(m);
    }
    // The audit record names every passage once.
    const record = (await cairn.auditRecords()).find((r) => r.action === 'ingest');
    const ids = (record!.payload as { chunkIds: string[] }).chunkIds;
    expect(ids.length).toBe(chunks);
    expect(new Set(ids).size).toBe(chunks);
  });
});
