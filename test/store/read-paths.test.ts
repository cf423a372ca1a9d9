import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as lancedb from '@lancedb/lancedb';
import { BoundedMap } from '../../main/core/bounded-map.js';
import { plainRows } from '../../main/store/arrow-rows.js';
import { CHUNK_COLUMNS } from '../../main/store/rows.js';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

const embedder = new HashedEmbedder(64);

function source(key: string, title: string): Source {
  return {
    id: sha256Hex(key), kind: 'document', title, origin: `${title}.txt`, mime: 'text/plain', bytes: 1,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {},
  };
}

async function rows(s: Source, texts: string[]): Promise<ChunkRow[]> {
  const vectors = await embedder.embed(texts);
  return texts.map((text, i) => ({ id: sha256Hex(`${s.id}:${i}`), sourceId: s.id, ordinal: i, text, page: 1, start: 0, end: text.length, marking: s.marking, vector: vectors[i]! }));
}

describe('store read paths', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-read-caches-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const open = (): Promise<Store> => Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });

  it('shows a source committed after the titles were cached, here or by another process', async () => {
    const reader = await open();
    const a = source('a', 'First report');
    await reader.writeSource(a, await rows(a, ['The convoy reached Kessel at dawn.']));
    expect((await reader.fullText('convoy', 5)).map((h) => h.title)).toEqual(['First report']);

    // Chunks without their source row (a write in progress elsewhere) stay hidden...
    const writer = await open();
    const b = source('b', 'Second report');
    const bRows = await rows(b, ['A second convoy left Kessel.']);
    await writer.writeBulk([], bRows);
    expect((await reader.fullText('convoy', 5)).map((h) => h.title)).toEqual(['First report']);
    const [v] = await embedder.embed(['second convoy left']);
    expect((await reader.nearest(v!, 5)).map((h) => h.title)).toEqual(['First report']);
    // ...and appear with their title once it commits: a miss is never cached.
    await writer.writeBulk([b], []);
    expect((await reader.fullText('convoy', 5)).map((h) => h.title).sort()).toEqual(['First report', 'Second report']);
    expect((await reader.nearest(v!, 5)).map((h) => h.title).sort()).toEqual(['First report', 'Second report']);
  });

  it('reads Arrow results into the same values as Arrow row proxies, nulls, times and places included', async () => {
    const store = await open();
    const s = source('c', 'Mixed');
    const base = await rows(s, ['Fuel depot at Halcyra, seen from the air.', 'A fuel convoy on the coast road.', 'Fuel prices in the capital.']);
    base[0] = { ...base[0]!, t0: '2024-03-01T10:00:00.000Z', t1: '2024-03-01T11:00:00.000Z', geo: { west: 10.5, south: 50.25, east: 10.75, north: 50.5 } };
    base[1] = { ...base[1]!, locator: { kind: 'region', x: 1, y: 2, width: 3, height: 4 } as never };
    await store.writeSource(s, base);
    const db = await lancedb.connect(path.join(dir, 'store'));
    const table = await db.openTable((await db.tableNames()).find((n) => n.startsWith('chunks'))!);
    const query = (): lancedb.Query => table.query().fullTextSearch('fuel', { columns: ['terms'] }).select([...CHUNK_COLUMNS, '_score']).limit(10);
    const proxies = await query().toArray();
    const plain = plainRows(await query().toArrow());
    expect(plain).toHaveLength(3);
    const names = [...CHUNK_COLUMNS, '_score'];
    expect(plain.map((r) => names.map((n) => r[n]))).toEqual(proxies.map((r: Record<string, unknown>) => names.map((n) => r[n])));
    // The values the store hands on, through its own read paths.
    const hits = await store.fullText('fuel', 10);
    const placed = hits.find((h) => h.id === base[0]!.id)!;
    expect(placed).toMatchObject({ t0: '2024-03-01T10:00:00.000Z', t1: '2024-03-01T11:00:00.000Z', geo: { west: 10.5, south: 50.25, east: 10.75, north: 50.5 }, locator: null, title: 'Mixed' });
    expect(hits.find((h) => h.id === base[1]!.id)).toMatchObject({ t0: null, geo: null, locator: { kind: 'region', x: 1, y: 2, width: 3, height: 4 } });
    expect((await store.getChunks([base[2]!.id]))[0]).toMatchObject({ id: base[2]!.id, ordinal: 2, page: 1, marking: 'UNCLASSIFIED', geo: null });
  });
});

describe('BoundedMap', () => {
  it('drops the least recently used entry past its limit', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('c', 3);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    expect(m.get('c')).toBe(3);
    expect(m.size).toBe(2);
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});
