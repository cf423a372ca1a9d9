/**
 * One tesseract.js worker per process, created on first use and kept, since
 * starting one (wasm core + language data) costs ~0.4 s. Fully offline: the
 * wasm core is require()d from node_modules/tesseract.js-core by the worker
 * script, and language data is read from the @tesseract.js-data/<lang>
 * packages by file path (never a URL, so tesseract.js never fetches);
 * cacheMethod 'none' means nothing is written anywhere. Jobs run one at a
 * time through a queue; a job that overruns its time limit terminates the
 * worker (the next job starts a fresh one).
 */

import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import { CairnError } from '../../main/core/errors.js';

/** tessdata_best converted to integer: the better LSTM models, LSTM-only. */
export const TESSDATA_VARIANT = '4.0.0_best_int';
const require = createRequire(import.meta.url);

/** The folder holding `<lang>.traineddata.gz` for one installed language, or null. */
export function languageDataDir(lang: string): string | null {
  if (!/^[a-z]{3}(_[a-z]{3,4})?$/i.test(lang)) return null;
  try {
    const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
    const dir = path.join(pkg, TESSDATA_VARIANT);
    return existsSync(path.join(dir, `${lang}.traineddata.gz`)) ? dir : null;
  } catch {
    return null;
  }
}

/** Languages whose data package is installed (checked, not guessed: only the ones asked about). */
export function installedLanguages(candidates: readonly string[]): string[] {
  return candidates.filter((l) => languageDataDir(l) !== null);
}

/**
 * tesseract.js reads every language from one langPath. One language: its
 * package folder. Several: their .gz files staged (copied once) into a folder
 * under the OS temp dir, never into node_modules.
 */
function langPathFor(languages: string[]): string {
  const dirs = languages.map((l) => {
    const d = languageDataDir(l);
    if (!d) throw new CairnError('BAD_INPUT', `OCR language "${l}" is not installed (no @tesseract.js-data/${l} package in node_modules)`, { input: l });
    return d;
  });
  if (new Set(dirs).size === 1) return dirs[0]!;
  const stage = path.join(os.tmpdir(), 'cairn-tessdata', TESSDATA_VARIANT);
  mkdirSync(stage, { recursive: true });
  languages.forEach((l, i) => {
    const src = path.join(dirs[i]!, `${l}.traineddata.gz`);
    const dst = path.join(stage, `${l}.traineddata.gz`);
    if (existsSync(dst) && statSync(dst).size === statSync(src).size) return;
    const tmp = `${dst}.${process.pid}.tmp`;
    copyFileSync(src, tmp);
    renameSync(tmp, dst);
  });
  return stage;
}

interface Engine {
  key: string;
  worker: Promise<Tesseract.Worker>;
}

let engine: Engine | null = null;
let queue: Promise<unknown> = Promise.resolve();

function startWorker(languages: string[]): Promise<Tesseract.Worker> {
  const langPath = langPathFor(languages);
  return Tesseract.createWorker(languages, Tesseract.OEM.LSTM_ONLY, {
    langPath,
    gzip: true,
    cacheMethod: 'none',
    logger: () => {},
    // Without an errorHandler tesseract.js rethrows a failed job inside its message listener (an uncaught exception).
    errorHandler: () => {},
  });
}

async function stop(): Promise<void> {
  const e = engine;
  engine = null;
  if (!e) return;
  try {
    await (await e.worker).terminate();
  } catch {
    // A worker that failed to start has nothing to terminate.
  }
}

/**
 * The worker as a job sees it. After a timeout every call throws instead of
 * reaching the terminated worker: tesseract.js posts to a terminated worker
 * from an un-awaited async function, an unhandled rejection.
 */
export interface OcrWorker {
  recognize(image: Buffer): Promise<Tesseract.Page>;
  setParameters(params: Partial<Tesseract.WorkerParams>): Promise<void>;
}

/**
 * Runs `job` with a worker loaded for `languages`, after any queued job.
 * Throws CairnError TIMEOUT after `timeoutMs` (and drops the worker).
 */
export function withWorker<T>(languages: string[], timeoutMs: number, job: (w: OcrWorker) => Promise<T>): Promise<T> {
  const run = async (): Promise<T> => {
    const key = languages.join('+');
    if (engine && engine.key !== key) await stop();
    if (!engine) {
      const worker = startWorker(languages);
      engine = { key, worker };
      worker.catch(() => {
        if (engine?.worker === worker) engine = null;
      });
    }
    let worker: Tesseract.Worker;
    try {
      worker = await engine.worker;
    } catch (e) {
      throw new CairnError('INTERNAL', `OCR engine failed to start for ${key}: ${String(e)}`, { cause: e });
    }
    let cancelled = false;
    const timedOut = (): CairnError => new CairnError('TIMEOUT', `OCR took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`);
    const guarded: OcrWorker = {
      recognize: async (image) => {
        if (cancelled) throw timedOut();
        return (await worker.recognize(image, {}, { text: false, blocks: true })).data;
      },
      setParameters: async (params) => {
        if (cancelled) throw timedOut();
        await worker.setParameters(params);
      },
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cancelled = true;
        reject(timedOut());
      }, timeoutMs);
    });
    try {
      return await Promise.race([job(guarded), timeout]);
    } catch (e) {
      if (cancelled) await stop();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Terminates the OCR worker (after queued jobs). Call on shutdown; the next OCR call starts a new one. */
export async function shutdownOcr(): Promise<void> {
  const done = queue.then(stop, stop);
  queue = done.catch(() => undefined);
  await done;
}
