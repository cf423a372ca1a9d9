import { Worker } from 'node:worker_threads';
import type { TermVectors } from '../embed/cooccurrence.js';

const ENTRY = import.meta.url.endsWith('.js') ? new URL('./train-worker-entry.js', import.meta.url) : new URL('./train-worker-bootstrap.mjs', import.meta.url);

export type TermVectorsJson = ReturnType<TermVectors['toJSON']>;

/**
 * Trains corpus word vectors off the main thread, so a server keeps
 * answering other users while an ingest retrains the model.
 */
export function trainInWorker(texts: readonly string[]): Promise<TermVectorsJson> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(ENTRY, { workerData: { texts } });
    let done = false;
    worker.once('message', (m: TermVectorsJson) => {
      done = true;
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (e) => {
      done = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`the training worker exited with code ${code} before answering`));
    });
  });
}
