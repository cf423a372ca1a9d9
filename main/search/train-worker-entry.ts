/**
 * Worker thread that trains the corpus word vectors (PPMI + SVD is seconds
 * to minutes of CPU): the texts arrive as workerData, the model goes back
 * as its JSON form. Run through train-worker.ts, never directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TermVectors } from '../embed/cooccurrence.js';

const { texts } = workerData as { texts: string[] };
parentPort!.postMessage(TermVectors.train(texts).toJSON());
