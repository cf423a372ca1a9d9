import { Worker } from 'node:worker_threads';
import { CairnError } from '../../main/core/errors.js';
import { DEFAULT_MAX_BYTES } from './index.js';
import type { ExtractedDocument, ReadOptions } from './types.js';
import { fromWire, type IsolatedTask, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

export interface IsolationOptions {
  /** Wall-clock limit for one document, worker start-up included. Default 60 s. */
  timeoutMs?: number;
  /** V8 heap limit of the worker. Default 1024 MB. */
  maxMemoryMb?: number;
}

// From sources (tsx, vitest) the worker needs the .mjs bootstrap that
// registers tsx; a tsc build runs the compiled entry directly.
const ENTRY = import.meta.url.endsWith('.js')
  ? new URL('./worker-entry.js', import.meta.url)
  : new URL('./worker-bootstrap.mjs', import.meta.url);

// Starting a worker (loader, pdf.js, mailparser) costs about a second, far
// more than reading a typical file, so a healthy worker is kept for the next
// document. It is retired after this many documents, or once its heap is half
// full, so one leak cannot push a later, innocent file over the limit.
const MAX_USES = 50;
const MAX_IDLE = 2;

interface Reader {
  worker: Worker;
  maxMemoryMb: number;
  uses: number;
}

const idle: Reader[] = [];
let nextId = 1;

function spawn(maxMemoryMb: number): Reader {
  const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb } });
  const reader = { worker, maxMemoryMb, uses: 0 };
  // Between requests nobody else listens: an unheard 'error' would crash the
  // process, and a dead worker must not be handed out again.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    const i = idle.indexOf(reader);
    if (i >= 0) idle.splice(i, 1);
  });
  return reader;
}

function take(maxMemoryMb: number): Reader {
  const i = idle.findIndex((r) => r.maxMemoryMb === maxMemoryMb);
  const reader = i >= 0 ? idle.splice(i, 1)[0]! : spawn(maxMemoryMb);
  reader.worker.ref();
  return reader;
}

function release(reader: Reader, heapUsed: number): void {
  const worn = reader.uses >= MAX_USES || heapUsed > (reader.maxMemoryMb * 1024 * 1024) / 2;
  if (worn || idle.length >= MAX_IDLE) {
    void reader.worker.terminate();
    return;
  }
  // An idle worker must not keep the process alive.
  reader.worker.unref();
  idle.push(reader);
}

/** Stops idle reader workers (they never hold the process open; this frees their memory now). */
export async function closeIsolatedReaders(): Promise<void> {
  await Promise.all(idle.splice(0).map((r) => r.worker.terminate()));
}

/**
 * readDocument in a worker thread with a heap limit and a deadline, so a
 * hostile or pathological file (a PDF that makes pdf.js loop or balloon)
 * costs one worker, not the process. On timeout the worker is terminated.
 * Errors come back as the same CairnError (code, message, input).
 */
export function readDocumentIsolated(bytes: Uint8Array, opts: ReadOptions, limits: IsolationOptions = {}): Promise<ExtractedDocument> {
  return runIsolated<ExtractedDocument>('document', bytes, { ...opts }, { ...limits, maxBytes: opts.maxBytes });
}

/**
 * Runs one reader task on untrusted bytes in a worker thread with a heap
 * limit and a deadline (see readDocumentIsolated).
 */
export function runIsolated<T>(task: IsolatedTask, bytes: Uint8Array, opts: WorkerRequest['opts'], limits: IsolationOptions & { maxBytes?: number } = {}): Promise<T> {
  const timeoutMs = limits.timeoutMs ?? 60_000;
  const maxMemoryMb = limits.maxMemoryMb ?? 1024;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  // Checked here too, before copying a huge input into the worker.
  if (bytes.byteLength > maxBytes) {
    return Promise.reject(new CairnError('TOO_LARGE', `${opts.filename} is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`, { input: opts.filename }));
  }
  const reader = take(maxMemoryMb);
  reader.uses++;
  // One exact-size copy whose buffer is then moved (not cloned) into the
  // worker; the caller's bytes stay usable.
  const copy = new Uint8Array(bytes);
  const request: WorkerRequest = { id: nextId++, task, bytes: copy, opts };
  const { worker } = reader;
  const file = opts.filename;

  return new Promise((resolve, reject) => {
    const fail = (e: CairnError): void => {
      done();
      void worker.terminate();
      reject(e);
    };
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== request.id) return;
      done();
      release(reader, reply.heapUsed);
      if (reply.ok) resolve(reply.result as T);
      else reject(fromWire(reply.error));
    };
    const onError = (e: Error & { code?: string }): void => {
      fail(
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new CairnError('TOO_LARGE', `reading ${file} needed more than ${maxMemoryMb} MB of memory and was stopped`, { input: file, cause: e })
          : new CairnError('PARSE_FAILED', `reading ${file} failed: ${e.message}`, { input: file, cause: e }),
      );
    };
    const onExit = (code: number): void => {
      fail(new CairnError('INTERNAL', `the reader for ${file} stopped (exit code ${code}) without an answer`, { input: file }));
    };
    const timer = setTimeout(() => {
      fail(new CairnError('TIMEOUT', `reading ${file} took longer than ${timeoutMs} ms and was stopped; the file may be pathological, or raise the time limit`, { input: file }));
    }, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(request, [copy.buffer]);
  });
}
