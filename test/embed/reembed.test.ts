import { access, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { GgufEmbedder } from '../../main/embed/gguf.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { reembedStore } from '../../main/store/reembed.js';
import { Store } from '../../main/store/store.js';

const gguf = path.resolve(import.meta.dirname, '../../../shared/models/stories260K.gguf');
const hasModel = await access(gguf).then(
  () => true,
  () => false,
);
if (!hasModel) console.warn(`skipping GGUF embedder tests: ${gguf} is absent (../shared is not beside the repo)`);

describe.skipIf(!hasModel)('GGUF embedder and re-embed migration (real weights: stories260K)', () => {
  let root: string;
  let data: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-reembed-'));
    data = path.join(root, 'data');
    await mkdir(path.join(data, 'models'), { recursive: true });
    // The test model goes where an administrator would put one; it is never committed.
    await copyFile(gguf, path.join(data, 'models', 'stories260K.gguf'));
    const docs = path.join(root, 'docs');
    await mkdir(docs);
    await writeFile(path.join(docs, 'a.txt'), 'The tanker Blue Heron arrived at Port Sarn on 12 March. It carried diesel.');
    await writeFile(path.join(docs, 'b.txt'), 'The committee approved the school budget after a long debate.');
    const cairn = await Cairn.open(data);
    expect((await cairn.ingest({ paths: [docs] })).ingested).toBe(2);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('embeds text with the real model: fixed dimension, unit length, deterministic', async () => {
    const e = await GgufEmbedder.load(gguf);
    try {
      expect(e.dimension).toBe(64);
      expect(e.id).toMatch(/^gguf:stories260K\.gguf@[0-9a-f]{12}$/);
      const [a, b] = await e.embed(['Once upon a time', 'Once upon a time']);
      expect(a).toHaveLength(64);
      expect(Array.from(a!)).toEqual(Array.from(b!));
      expect(Math.hypot(...a!)).toBeCloseTo(1, 4);
    } finally {
      await e.dispose();
    }
  });

  it('switches the store to the GGUF embedder, pins it, and keeps search working', async () => {
    const cairn = await Cairn.open(data);
    const r = await cairn.reembed('stories260K.gguf');
    expect(r.chunks).toBe(2);
    expect(r.from).toBe(new HashedEmbedder().id);
    const pinned = await Store.pinnedEmbedder(data);
    expect(pinned).toMatchObject({ id: expect.stringMatching(/^gguf:/), dimension: 64 });
    // A fresh open picks the pinned model up from DATA/models by itself.
    const reopened = await Cairn.open(data);
    expect((await reopened.embedders()).active).toBe(pinned!.id);
    const hits = await reopened.search({ query: 'Blue Heron diesel', k: 2 });
    expect(hits.hits[0]!.text).toContain('Blue Heron');
    const log = await reopened.auditRecords();
    expect(log.some((x) => x.action === 'store.reembed')).toBe(true);
  });

  it('resumes an interrupted re-embed without redoing finished passages', async () => {
    const back = new HashedEmbedder();
    let calls = 0;
    const dying = { id: back.id, dimension: back.dimension, embed: (t: readonly string[]) => (++calls > 1 ? Promise.reject(new Error('power cut')) : back.embed(t)) };
    // One passage per batch: the first lands in the new table, the second dies.
    await expect(reembedStore(data, dying, undefined, 1)).rejects.toThrow('power cut');
    // The store still serves from the old table until a run completes.
    expect((await Store.pinnedEmbedder(data))!.id).toMatch(/^gguf:/);
    const embedded: string[] = [];
    const counting = { id: back.id, dimension: back.dimension, embed: (t: readonly string[]) => (embedded.push(...t), back.embed(t)) };
    const r = await reembedStore(data, counting, undefined, 1);
    expect(r).toMatchObject({ chunks: 2, resumed: 1 });
    expect(embedded).toHaveLength(1);
    expect((await Store.pinnedEmbedder(data))!.id).toBe(back.id);
  });

  it('refuses an unknown embedder name with what to do', async () => {
    const cairn = await Cairn.open(data);
    await expect(cairn.reembed('nope.bin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
