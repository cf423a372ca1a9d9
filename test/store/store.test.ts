import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

const embedder = new HashedEmbedder(256);

function source(text: string, title: string): Source {
  return {
    id: sha256Hex(text), kind: 'document', title, origin: `${title}.txt`, mime: 'text/plain', bytes: text.length,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: { note: 'x' },
  };
}

async function rows(s: Source, texts: string[]): Promise<ChunkRow[]> {
  const vectors = await embedder.embed(texts);
  let offset = 0;
  return texts.map((text, i) => {
    const start = offset;
    offset += text.length + 1;
    return { id: sha256Hex(`${s.id}:${i}`), sourceId: s.id, ordinal: i, text, page: 1, start, end: start + text.length, marking: s.marking, vector: vectors[i]! };
  });
}

describe('Store (real LanceDB in a temp folder)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const open = (e = embedder): Promise<Store> => Store.open(dir, { embedderId: e.id, dimension: e.dimension });

  it('writes a source with its chunks and finds them by full text and by vector', async () => {
    const store = await open();
    const s = source('harbour report', 'Harbour report');
    expect(await store.writeSource(s, await rows(s, ['The vessel Aurora docked at Kessel harbour.', 'Grain was unloaded overnight.']))).toBe('written');
    const t = source('budget memo', 'Budget memo');
    await store.writeSource(t, await rows(t, ['The committee approved the school budget.']));

    const text = await store.fullText('Aurora harbour', 5);
    expect(text[0]!.title).toBe('Harbour report');
    expect(text[0]!.text).toContain('Aurora');
    const [v] = await embedder.embed(['school budget committee']);
    const near = await store.nearest(v!, 1);
    expect(near[0]!.title).toBe('Budget memo');
    const hits = await hybridSearch(store, embedder, 'grain unloaded', { k: 3 });
    expect(hits[0]!.text).toBe('Grain was unloaded overnight.');
    expect((await store.listSources()).map((x) => x.title).sort()).toEqual(['Budget memo', 'Harbour report']);
    expect((await store.getSource(s.id))!.metadata).toEqual({ note: 'x' });
  });

  it('falls back to vector neighbours when full text cannot match (a misspelt query)', async () => {
    const store = await open();
    const s = source('harbour report', 'Harbour report');
    await store.writeSource(s, await rows(s, ['The vessel Aurora docked at Kessel harbour.', 'Grain was unloaded overnight.']));
    expect(await store.fullText('Auroraa Kesel', 5)).toEqual([]);
    const hits = await hybridSearch(store, embedder, 'Auroraa Kesel', { k: 1 });
    expect(hits[0]!.text).toContain('Aurora');
    expect(hits[0]!.textRank).toBeNull();
    expect(hits[0]!.vectorRank).toBe(1);
  });

  it('treats the same bytes again as a no-op', async () => {
    const store = await open();
    const s = source('same', 'Same');
    const r = await rows(s, ['Only once.']);
    expect(await store.writeSource(s, r)).toBe('written');
    expect(await store.writeSource(s, r)).toBe('exists');
    expect(await store.countChunks()).toBe(1);
  });

  it('leaves nothing behind when a write fails, and hides and repairs orphan chunks', async () => {
    const store = await open();
    const s = source('bad', 'Bad');
    const good = await rows(s, ['A sentence about convoys.']);
    // A vector of the wrong dimension is refused before anything is written.
    const bad = [{ ...good[0]!, vector: new Float32Array(3) }];
    await expect(store.writeSource(s, bad)).rejects.toMatchObject({ code: 'STORE_MISMATCH' });
    // A source row LanceDB rejects (null in a required column) after its chunks were written.
    await expect(store.writeSource({ ...s, title: null as unknown as string }, good)).rejects.toThrow();
    expect(await store.hasSource(s.id)).toBe(false);
    expect(await store.countChunks()).toBe(0);

    // Simulate a crash between the chunk write and the source write.
    await store.writeBulk([], good);
    expect(await store.fullText('convoys', 5)).toEqual([]);
    expect(await store.repair()).toEqual({ orphanChunks: 1, orphanObservationSources: 0 });
    expect(await store.countChunks()).toBe(0);
  });

  it('pins the embedder and refuses a different one with a typed error', async () => {
    await open();
    const other = new HashedEmbedder(128);
    const err = await open(other).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CairnError);
    expect((err as CairnError).code).toBe('STORE_MISMATCH');
    expect((err as CairnError).message).toContain(embedder.id);
  });

  it('rejects ids that are not hex digests before they reach a query', async () => {
    const store = await open();
    await expect(store.hasSource("x' OR '1'='1")).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
