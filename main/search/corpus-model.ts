/**
 * The corpus-trained word vectors of a data folder (main/embed/cooccurrence.ts),
 * kept in DATA/store/term-vectors.json. Trained after ingest once the store
 * has grown enough since the last training, so search never waits for it;
 * a stale model is still valid, it only knows fewer words.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TermVectors } from '../embed/cooccurrence.js';
import { readJsonFile, writeJsonAtomic } from '../reports/json-file.js';
import type { Store, Visibility } from '../store/store.js';
import { trainInWorker } from './train-worker.js';

/** Fewer passages than this teach word statistics that are mostly noise. */
export const CORPUS_MODEL_MIN_PASSAGES = 200;
/** Retrain when the store has grown by this share since the model was trained. */
export const CORPUS_MODEL_GROWTH = 0.25;
/** Passages read for training: enough for word statistics, and training time stays bounded. */
export const CORPUS_MODEL_MAX_PASSAGES = 30_000;

const fileSchema = z.object({
  format: z.literal('cairn-corpus-model-v1'),
  trainedAt: z.string(),
  passages: z.number().int().nonnegative(),
  /** Every marking of the passages it learnt from: only a reader cleared for all of them may use it. */
  markings: z.array(z.string()),
  model: z.object({ format: z.literal('cairn-term-vectors-v1'), dimension: z.number().int().positive(), vocab: z.array(z.string()), idf: z.array(z.number()), vectors: z.string() }),
});

export interface CorpusModel {
  vectors: TermVectors;
  passages: number;
  /** When it was trained: with `passages`, names the model in ask audit records. */
  trainedAt: string;
  markings: ReadonlySet<string>;
}

export function corpusModelPath(dataDir: string): string {
  return path.join(dataDir, 'store', 'term-vectors.json');
}

export async function loadCorpusModel(dataDir: string): Promise<CorpusModel | null> {
  const data = await readJsonFile(corpusModelPath(dataDir), fileSchema, 'corpus word-vector model');
  if (!data) return null;
  return { vectors: TermVectors.fromJSON(data.model), passages: data.passages, trainedAt: data.trainedAt, markings: new Set(data.markings) };
}

/**
 * Whether `visible` may use the model. Word statistics carry what the
 * passages say, so a model that learnt from passages above a reader's
 * clearance would let them steer that reader's ranking: such a reader
 * searches without it.
 */
export function usableBy(model: CorpusModel, visible: Visibility): boolean {
  return visible === null || [...model.markings].every((m) => visible.has(m));
}

/** Trains and saves a new model when there is none or the store grew past the threshold. */
export async function refreshCorpusModel(store: Store, dataDir: string, opts: { force?: boolean } = {}): Promise<'trained' | 'current' | 'too-small'> {
  const count = await store.countChunks();
  if (count < CORPUS_MODEL_MIN_PASSAGES) return 'too-small';
  const current = await readJsonFile(corpusModelPath(dataDir), fileSchema, 'corpus word-vector model').catch(() => undefined);
  if (!opts.force && current && count < current.passages * (1 + CORPUS_MODEL_GROWTH)) return 'current';
  const rows = await store.chunkTexts(CORPUS_MODEL_MAX_PASSAGES);
  // In a worker: training is CPU-bound for seconds to minutes, and a server must keep answering meanwhile.
  const model = await trainInWorker(rows.map((r) => r.text));
  await writeJsonAtomic(corpusModelPath(dataDir), {
    format: 'cairn-corpus-model-v1',
    trainedAt: new Date().toISOString(),
    passages: count,
    markings: [...new Set(rows.map((r) => r.marking))].sort(),
    model,
  });
  return 'trained';
}

/** Loads the model once and again only when its file changes (another process retrained it). */
export class CorpusModelCache {
  private loaded: { version: string; model: CorpusModel | null } | null = null;

  constructor(private readonly dataDir: string) {}

  async get(): Promise<CorpusModel | null> {
    // Each save is a new file renamed into place: a new inode, even within one millisecond.
    let version = 'none';
    try {
      const s = await stat(corpusModelPath(this.dataDir));
      version = `${s.ino}:${s.mtimeMs}`;
    } catch {
      // No model yet.
    }
    if (this.loaded?.version !== version) this.loaded = { version, model: version === 'none' ? null : await loadCorpusModel(this.dataDir) };
    return this.loaded.model;
  }
}
