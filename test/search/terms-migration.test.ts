import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { chunkToRow, sourceToRow } from '../../main/store/rows.js';
import { chunksSchema, sourcesSchema } from '../../main/store/schema.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

/** A store as the version before the `terms` column wrote it: no terms/lang columns, full-text index on raw text. */
const embedder = new HashedEmbedder(64);
const TEXTS = {
  cjk: '情报分析报告指出港口的集装箱吞吐量持续增长。',
  english: 'The vessel Aurora docked at Kessel harbour after the storm.',
  arabic: 'ارتفعت صادرات النفط الخام هذا الشهر.',
};

function source(title: string, text: string): Source {
  return {
    id: sha256Hex(text), kind: 'document', title, origin: `${title}.txt`, mime: 'text/plain', bytes: text.length,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {},
  };
}

async function chunkOf(s: Source, text: string): Promise<ChunkRow> {
  const [vector] = await embedder.embed([text]);
  return { id: sha256Hex(`${s.id}:0`), sourceId: s.id, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: s.marking, vector: vector! };
}

async function oldStore(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'store');
  await mkdir(dir, { recursive: true });
  const db = await lancedb.connect(dir);
  const full = chunksSchema(embedder.id, embedder.dimension);
  const schema = new arrow.Schema(full.fields.filter((f) => f.name !== 'terms' && f.name !== 'lang'), full.metadata);
  const chunks = await db.createEmptyTable('chunks', schema);
  const sources = await db.createEmptyTable('sources', sourcesSchema());
  for (const [title, text] of Object.entries(TEXTS)) {
    const s = source(title, text);
    const { terms: _t, lang: _l, ...row } = chunkToRow(await chunkOf(s, text));
    await chunks.add([row]);
    await sources.add([sourceToRow(s)]);
  }
  await chunks.createIndex('text', { config: lancedb.Index.fts() });
}

describe('a store made before the terms column', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-terms-migration-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is migrated on open: old rows are analysed, searchable by CJK part-words, and new writes work', async () => {
    await oldStore(dir);
    const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    expect((await store.fullText('分析', 3))[0]?.title).toBe('cjk');
    expect((await store.fullText('harbour storms', 3))[0]?.title).toBe('english');
    expect((await store.fullText('والنفط', 3))[0]?.title).toBe('arabic');

    const text = '防衛省は新しいレーダー施設の建設計画を発表した。';
    const s = source('radar', text);
    expect(await store.writeSource(s, [await chunkOf(s, text)])).toBe('written');
    expect((await store.fullText('レーダー', 3))[0]?.title).toBe('radar');

    // Opening again finds the migration done and everything still there.
    const again = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    expect(await again.countChunks()).toBe(4);
    expect((await again.fullText('集装箱', 3))[0]?.title).toBe('cjk');
  });
});
