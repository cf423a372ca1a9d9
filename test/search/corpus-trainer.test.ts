import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { CORPUS_MODEL_MIN_PASSAGES, loadCorpusModel } from '../../main/search/corpus-model.js';
import { CorpusTrainer } from '../../main/search/corpus-trainer.js';
import { Store } from '../../main/store/store.js';

/** A refresh the test finishes by hand, to hold a training "running". */
function manualRefresh(): { refresh: () => Promise<void>; calls: number; finish: (fail?: boolean) => void } {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const r = {
    calls: 0,
    refresh: () => {
      r.calls++;
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
    finish: (fail = false) => {
      const p = pending.shift()!;
      if (fail) p.reject(new Error('training failed'));
      else p.resolve();
    },
  };
  return r;
}

const tick = (): Promise<void> => new Promise((res) => setImmediate(res));
const settled = (p: Promise<unknown>): Promise<boolean> => Promise.race([p.then(() => true), new Promise<boolean>((res) => setImmediate(() => res(false)))]);

describe('CorpusTrainer', () => {
  it('runs one training at a time and coalesces requests made meanwhile into one rerun', async () => {
    const m = manualRefresh();
    const trainer = new CorpusTrainer(m.refresh);
    expect(await settled(trainer.idle())).toBe(true);
    void trainer.request();
    await tick();
    expect(m.calls).toBe(1);
    void trainer.request();
    void trainer.request();
    void trainer.request();
    const idle = trainer.idle();
    expect(m.calls).toBe(1);
    expect(await settled(idle)).toBe(false);
    m.finish();
    await tick();
    // Three requests during the first training: one rerun, not three.
    expect(m.calls).toBe(2);
    expect(await settled(idle)).toBe(false);
    m.finish();
    expect(await settled(idle)).toBe(true);
    expect(m.calls).toBe(2);
  });

  it('swallows a failed training and keeps serving requests', async () => {
    const m = manualRefresh();
    const trainer = new CorpusTrainer(m.refresh);
    const first = trainer.request();
    await tick();
    m.finish(true);
    await expect(first).resolves.toBeUndefined();
    const second = trainer.request();
    await tick();
    expect(m.calls).toBe(2);
    m.finish();
    await expect(second).resolves.toBeUndefined();
    // Even a refresh that throws before returning a promise leaves the trainer usable.
    const throwing = new CorpusTrainer(() => {
      throw new Error('at once');
    });
    await expect(throwing.request()).resolves.toBeUndefined();
    await expect(throwing.idle()).resolves.toBeUndefined();
  });
});

const ships = ['tanker', 'vessel', 'freighter', 'trawler'];
const places = ['harbour', 'port', 'anchorage', 'quay'];
const crops = ['wheat', 'barley', 'maize', 'oats'];
const farms = ['field', 'granary', 'farm', 'market'];
function paragraphs(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, j) => {
    const i = j + offset;
    return i % 2 === 0
      ? `The ${ships[i % 4]} left the ${places[(i >> 2) % 4]} with cargo ${i}; the ${ships[(i + 1) % 4]} crew waited at the ${places[(i + 3) % 4]}.`
      : `Farmers stored the ${crops[i % 4]} in the ${farms[(i >> 2) % 4]} after harvest ${i} of ${crops[(i + 1) % 4]} near the ${farms[(i + 3) % 4]}.`;
  });
}

describe('Cairn with trainInBackground (real LanceDB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-corpus-trainer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeReports(folder: string, paras: string[]): Promise<void> {
    await mkdir(folder, { recursive: true });
    for (let f = 0; f < 4; f++) await writeFile(path.join(folder, `report-${f}.txt`), paras.filter((_, i) => i % 4 === f).join('\n\n'));
  }

  async function openStore(data: string): Promise<Store> {
    const pinned = (await Store.pinnedEmbedder(data))!;
    return Store.open(data, { embedderId: pinned.id, dimension: pinned.dimension });
  }
  async function storedPassages(data: string): Promise<number> {
    return (await openStore(data)).countChunks();
  }

  it('returns from ingest with sources searchable, trains behind it, and coalesces a second ingest into the final model', async () => {
    const data = path.join(dir, 'data');
    const first = path.join(dir, 'first');
    const second = path.join(dir, 'second');
    await writeReports(first, paragraphs(CORPUS_MODEL_MIN_PASSAGES * 12));
    // Over the growth threshold, so the rerun after it must retrain.
    await writeReports(second, paragraphs(CORPUS_MODEL_MIN_PASSAGES * 12, CORPUS_MODEL_MIN_PASSAGES * 12));
    const cairn = await Cairn.open(data, { trainInBackground: true });
    // A per-user instance shares its owner's training state.
    const analyst = await cairn.forUser('analyst');

    const summary = await cairn.ingest({ paths: [first] });
    // Ingest came back before the training: it needs several store reads, a worker and a file write, not one turn of the event loop.
    expect(await settled(cairn.idle())).toBe(false);
    // A bounded wait (an exiting app or server) gives up and says so.
    expect(await cairn.idle({ maxWaitMs: 0 })).toBe(false);
    expect(summary.files.every((f) => f.status !== 'failed')).toBe(true);
    const hits = await cairn.search({ query: 'trawler anchorage' });
    expect(hits.hits.length).toBeGreaterThan(0);
    expect(hits.hits[0]!.text).toMatch(/trawler|anchorage/);

    // Ingested while the first training (most likely) still runs: one rerun afterwards covers it.
    await analyst.ingest({ paths: [second] });
    expect((await cairn.search({ query: 'granary barley' })).hits.length).toBeGreaterThan(0);
    await analyst.idle();

    const model = await loadCorpusModel(data);
    expect(model).not.toBeNull();
    expect(model!.passages).toBe(await storedPassages(data));
    expect(model!.passages).toBeGreaterThanOrEqual(CORPUS_MODEL_MIN_PASSAGES * 2);
    expect(await cairn.idle({ maxWaitMs: 0 })).toBe(true);
    // The ingests' index upkeep ran in the background too: their eight source writes (8 fragments without it) were compacted.
    expect((await (await openStore(data)).fragmentCounts()).chunks).toBeLessThanOrEqual(2);

    const asked = await cairn.ask({ question: 'Where did the trawler anchor?' });
    const record = (await cairn.auditRecords()).find((r) => r.hash === asked.auditId)!;
    const retrieval = (record.payload as { retrieval: { wordVectors: unknown } }).retrieval;
    expect(retrieval.wordVectors).toEqual({ passages: model!.passages, trainedAt: model!.trainedAt, dimension: model!.vectors.dimension });
  });
});
