import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { CHUNK_WRITE_BATCH } from '../../main/store/chunk-arrow.js';
import { type ChunkRow, compactionInterval, Store } from '../../main/store/store.js';

const DIM = 8;

function source(tag: string): Source {
  return {
    id: sha256Hex(tag), kind: 'document', title: tag, origin: `${tag}.txt`, mime: 'text/plain', bytes: 1,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {},
    t0: null, t1: null, geo: null,
  };
}

/** Distinct rows whose vectors encode their ordinal, so a mixed-up batch shows. */
function rows(s: Source, n: number): ChunkRow[] {
  return Array.from({ length: n }, (_, i) => {
    const vector = new Float32Array(DIM);
    vector[i % DIM] = 1;
    vector[(i + 3) % DIM] = i / n;
    const text = `passage ${i} of ${s.title} code${i.toString(36)}`;
    return {
      id: sha256Hex(`${s.id}:${i}`), sourceId: s.id, ordinal: i, text, page: 1 + (i % 3), start: i * 10, end: i * 10 + text.length, marking: 'UNCLASSIFIED',
      locator: i % 2 ? { kind: 'bbox', bbox: [1, 2, 3, 4] } as never : null, t0: i % 5 === 0 ? '2024-03-01T10:00:00.000Z' : null, t1: null,
      geo: i % 7 === 0 ? { west: 10, south: 20, east: 11, north: 21 } : null, vector,
    };
  });
}

async function* batches(all: ChunkRow[], size: number, failAfter = Infinity): AsyncGenerator<ChunkRow[]> {
  for (let i = 0, n = 0; i < all.length; i += size, n++) {
    if (n >= failAfter) throw new Error('embedding failed half way');
    yield all.slice(i, i + size);
  }
}

describe('Store: a source written in batches (real LanceDB)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-batched-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores every row of a source larger than one write batch, values intact', async () => {
    const store = await Store.open(dir, { embedderId: 'test-8', dimension: DIM });
    const s = source('big');
    const all = rows(s, CHUNK_WRITE_BATCH + 1_500);
    expect(await store.withWriteLock(() => store.writeSource(s, all))).toBe('written');
    expect(await store.countChunks()).toBe(all.length);
    // Spot-check rows from the first and the second append, every column.
    for (const i of [0, 7, CHUNK_WRITE_BATCH - 1, CHUNK_WRITE_BATCH, all.length - 1]) {
      const want = all[i]!;
      const [got] = await store.getChunks([want.id]);
      expect(got).toMatchObject({ id: want.id, ordinal: i, text: want.text, page: want.page, start: want.start, end: want.end, locator: want.locator ?? null, t0: want.t0 ?? null, geo: want.geo ?? null });
    }
    const probe = all[CHUNK_WRITE_BATCH + 42]!;
    expect((await store.fullText(`code${(CHUNK_WRITE_BATCH + 42).toString(36)}`, 3))[0]!.id).toBe(probe.id);
  });

  it('accepts batches produced on demand, and leaves nothing when one fails half way', async () => {
    const store = await Store.open(dir, { embedderId: 'test-8', dimension: DIM });
    const good = source('streamed');
    const goodRows = rows(good, 2_500);
    expect(await store.withWriteLock(() => store.writeSource(good, batches(goodRows, 1_000)))).toBe('written');
    expect(await store.countChunks()).toBe(2_500);

    const bad = source('broken');
    await expect(store.withWriteLock(() => store.writeSource(bad, batches(rows(bad, 2_500), 1_000, 2)))).rejects.toThrow(/half way/);
    expect(await store.hasSource(bad.id)).toBe(false);
    expect(await store.countChunks()).toBe(2_500); // the failed source's first two batches were removed
    expect(await store.repair()).toEqual({ orphanChunks: 0, orphanObservationSources: 0 });
  });

  it('compacts the tables every 50 sources, so reads do not slow down with every write', async () => {
    const store = await Store.open(dir, { embedderId: 'test-8', dimension: DIM });
    for (let i = 0; i < 49; i++) {
      const s = source(`small-${i}`);
      await store.withWriteLock(() => store.writeSource(s, rows(s, 2)));
    }
    const before = await store.fragmentCounts();
    expect(before.sources).toBe(49); // one fragment per append until then
    const last = source('small-49');
    await store.withWriteLock(() => store.writeSource(last, rows(last, 2)));
    const after = await store.fragmentCounts();
    expect(after.sources).toBe(1);
    expect(after.chunks).toBe(1);
    expect(await store.countChunks()).toBe(100);
    expect((await store.listSources()).length).toBe(50);
  });
});

describe('compactionInterval', () => {
  it('compacts every 50 sources in a small store, and in proportion to the table in a big one', () => {
    expect(compactionInterval(0)).toBe(50);
    expect(compactionInterval(100_000)).toBe(50);
    expect(compactionInterval(1_000_000)).toBe(500);
    // Each compaction rewrites the table: spaced in proportion, its cost per source stays flat.
    expect(1_000_000 / compactionInterval(1_000_000)).toBe(100_000 / compactionInterval(100_000));
  });
});
