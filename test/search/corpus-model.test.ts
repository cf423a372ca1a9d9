import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { sha256Hex } from '../../main/core/hash.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { CORPUS_MODEL_MIN_PASSAGES, corpusModelPath, CorpusModelCache, loadCorpusModel, refreshCorpusModel, usableBy } from '../../main/search/corpus-model.js';
import { Store } from '../../main/store/store.js';

const ships = ['tanker', 'vessel', 'freighter', 'trawler'];
const places = ['harbour', 'port', 'anchorage', 'quay'];
const crops = ['wheat', 'barley', 'maize', 'oats'];
const farms = ['field', 'granary', 'farm', 'market'];

/** n passages in two topics, in the markings given round-robin. */
function passages(n: number, markings: readonly string[]): { text: string; marking: string }[] {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? { text: `The ${ships[i % 4]} left the ${places[(i >> 2) % 4]} with cargo; the ${ships[(i + 1) % 4]} crew waited at the ${places[(i + 3) % 4]}.`, marking: markings[i % markings.length]! }
      : { text: `Farmers stored the ${crops[i % 4]} in the ${farms[(i >> 2) % 4]} after the harvest of ${crops[(i + 1) % 4]} near the ${farms[(i + 3) % 4]}.`, marking: markings[i % markings.length]! },
  );
}

describe('corpus model of a data folder (real LanceDB)', () => {
  let dir: string;
  const embedder = new HashedEmbedder(32);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-corpus-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function add(store: Store, rows: { text: string; marking: string }[], tag: string): Promise<void> {
    const vectors = await embedder.embed(rows.map((r) => r.text));
    const sources = rows.map((r, i) => ({
      id: sha256Hex(`${tag}-src-${i}`), kind: 'document' as const, title: `${tag} ${i}`, origin: `test:${tag}/${i}`, mime: 'text/plain', bytes: r.text.length,
      ingestedAt: new Date(0).toISOString(), marking: r.marking, packageId: '', parentId: '', metadata: {},
    }));
    await store.writeBulk(sources, rows.map((r, i) => ({ id: sha256Hex(`${tag}-chunk-${i}`), sourceId: sources[i]!.id, ordinal: 0, text: r.text, page: 1, start: 0, end: r.text.length, marking: r.marking, vector: vectors[i]! })));
  }

  it('trains once the store is big enough, keeps the model until it grows, and restricts it to readers cleared for what it learnt', async () => {
    const data = path.join(dir, 'a');
    const store = await Store.open(data, { embedderId: embedder.id, dimension: embedder.dimension });
    await add(store, passages(CORPUS_MODEL_MIN_PASSAGES - 10, ['U']), 'first');
    expect(await refreshCorpusModel(store, data)).toBe('too-small');
    expect(await loadCorpusModel(data)).toBeNull();
    await add(store, passages(20, ['U', 'S']), 'second');
    expect(await refreshCorpusModel(store, data)).toBe('trained');
    const model = (await loadCorpusModel(data))!;
    expect(model.passages).toBe(CORPUS_MODEL_MIN_PASSAGES + 10);
    expect([...model.markings].sort()).toEqual(['S', 'U']);
    const v = (w: string): Float32Array => model.vectors.termVector(w)!;
    const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(cos(v('tanker'), v('trawler'))).toBeGreaterThan(cos(v('tanker'), v('barley')));
    expect(await refreshCorpusModel(store, data)).toBe('current');
    expect(usableBy(model, null)).toBe(true);
    expect(usableBy(model, new Set(['U', 'S', 'TS']))).toBe(true);
    expect(usableBy(model, new Set(['U']))).toBe(false);
    // The cache sees a retrained file.
    const cache = new CorpusModelCache(data);
    const first = await cache.get();
    expect(await cache.get()).toBe(first);
    await refreshCorpusModel(store, data, { force: true });
    expect(await cache.get()).not.toBe(first);
  });

  it('is trained by ingest once the store is big enough, and search runs with it', async () => {
    const data = path.join(dir, 'b');
    const docs = path.join(dir, 'docs');
    await mkdir(docs, { recursive: true });
    // Four reports of short paragraphs: comfortably over the minimum number of passages.
    const paras = passages(CORPUS_MODEL_MIN_PASSAGES * 12, ['U']).map((p) => p.text);
    for (let f = 0; f < 4; f++) await writeFile(path.join(docs, `report-${f}.txt`), paras.filter((_, i) => i % 4 === f).join('\n\n'));
    const cairn = await Cairn.open(data);
    await cairn.ingest({ paths: [docs] });
    await access(corpusModelPath(data));
    const model = (await loadCorpusModel(data))!;
    expect(model.passages).toBeGreaterThanOrEqual(CORPUS_MODEL_MIN_PASSAGES);
    const out = await cairn.search({ query: 'trawler anchorage' });
    expect(out.hits.length).toBeGreaterThan(0);
    expect(out.hits[0]!.text).toMatch(/trawler|anchorage/);
    // The answer's audit record names the word-vector model that ranked its passages.
    const asked = await cairn.ask({ question: 'Where did the trawler anchor?' });
    const record = (await cairn.auditRecords()).find((r) => r.hash === asked.auditId)!;
    const retrieval = (record.payload as { retrieval: { wordVectors: unknown; embedder: string } }).retrieval;
    expect(retrieval.wordVectors).toEqual({ passages: model.passages, trainedAt: model.trainedAt, dimension: model.vectors.dimension });
    expect((retrieval as { documentEvidence?: unknown }).documentEvidence).toEqual({ weight: 1, used: true });
    expect(retrieval.embedder).toMatch(/hashed/);
  });
});
