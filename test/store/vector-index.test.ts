import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

/**
 * The ANN index appears once the store passes the threshold, and search
 * through it still honours the marking filter and finds exact matches.
 * Real LanceDB; random unit vectors, seeded.
 */
const DIM = 32;
const ROWS = 1200;

function unitVectors(n: number, seed: number): Float32Array[] {
  let a = seed;
  const next = (): number => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 32 - 0.5;
  };
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: DIM }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-ann-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filled(): Promise<{ store: Store; rows: ChunkRow[] }> {
  const store = await Store.open(dir, { embedderId: 'test-random', dimension: DIM });
  const sourceId = sha256Hex('one source');
  const vectors = unitVectors(ROWS, 7);
  const rows: ChunkRow[] = vectors.map((vector, i) => ({
    id: sha256Hex(`chunk ${i}`),
    sourceId,
    ordinal: i,
    text: `passage number ${i}`,
    page: 1,
    start: 0,
    end: 10,
    // Every tenth passage is SECRET: the filter must still apply through the index.
    marking: i % 10 === 0 ? 'SECRET' : 'UNCLASSIFIED',
    vector,
  }));
  const source = { id: sourceId, kind: 'document', title: 't', origin: 'o', mime: 'text/plain', bytes: 0, ingestedAt: new Date().toISOString(), marking: 'SECRET', packageId: '', parentId: '', metadata: {} } as Source;
  await store.writeBulk([source], rows);
  return { store, rows };
}

describe('vector index', () => {
  it('is not built below the threshold', async () => {
    const { store } = await filled();
    await store.optimize(ROWS + 1);
    expect(await store.vectorIndexed()).toBe(false);
  });

  it('is built past the threshold; exact matches and the marking filter survive it', async () => {
    const { store, rows } = await filled();
    await store.optimize(ROWS);
    expect(await store.vectorIndexed()).toBe(true);
    // A reopened store sees the index too.
    const reopened = await Store.open(dir, { embedderId: 'test-random', dimension: DIM });
    expect(await reopened.vectorIndexed()).toBe(true);
    let found = 0;
    for (const i of [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]) {
      const hits = await reopened.nearest(rows[i]!.vector, 5);
      if (hits[0]?.id === rows[i]!.id) found++;
    }
    // Refined against full vectors: the stored vector itself comes first.
    expect(found).toBeGreaterThanOrEqual(9);
    const secretQuery = rows[10]!.vector;
    const visible = await reopened.nearest(secretQuery, 20, new Set(['UNCLASSIFIED']));
    expect(visible.length).toBe(20);
    expect(visible.every((h) => h.marking === 'UNCLASSIFIED')).toBe(true);
  });
});
