import { Worker } from 'node:worker_threads';
import { CairnError } from '../../main/core/errors.js';
import { DEFAULT_MAX_BYTES } from './index.js';
import type { ExtractedDocument, ReadOptions } from './types.js';
import { helperJoined, newPageShare, type RawPageText, stopHelper } from './pdf-pages.js';
import { type FromWorker, fromWire, type IsolatedTask, type ToWorker, toWire, type WorkerRequest } from './worker-protocol.js';

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
  /** Set while a page helper is promised to a new task (take): hands it over once it stops. */
  claimedBy?: (r: Reader) => void;
}

const idle: Reader[] = [];
/** Readers lent out as page helpers, with the claims they share. */
const helping = new Map<Reader, SharedArrayBuffer>();
let nextId = 1;

const stats = { spawned: 0, helpersLent: 0 };

/** Readers started and lent out as page helpers since the process started (tests, benchmarks). */
export function isolatedReaderStats(): { spawned: number; helpersLent: number } {
  return { ...stats };
}

function spawn(maxMemoryMb: number): Reader {
  stats.spawned++;
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

/**
 * A reader for a new task: an idle one, else one lent out as a page helper
 * (told to stop: the task it helps can finish without it), else a new one.
 * So helpers never add a worker, and never hold up another file for longer
 * than a page.
 */
function take(maxMemoryMb: number): Reader | Promise<Reader> {
  const reader = takeIdle(maxMemoryMb);
  if (reader) return reader;
  const lent = [...helping].find(([r]) => r.maxMemoryMb === maxMemoryMb && !r.claimedBy);
  if (!lent) return use(spawn(maxMemoryMb));
  const [helper, cells] = lent;
  stopHelper(cells);
  return new Promise((resolve) => (helper.claimedBy = resolve));
}

/** An idle reader, if there is one (a page helper is only ever one of these). */
function takeIdle(maxMemoryMb: number): Reader | undefined {
  const i = idle.findIndex((r) => r.maxMemoryMb === maxMemoryMb);
  return i >= 0 ? use(idle.splice(i, 1)[0]!) : undefined;
}

function use(reader: Reader): Reader {
  reader.worker.ref();
  return reader;
}

/** A reader promised to a waiting task (take) goes to it: itself, or a fresh one if it is worn out or was stopped. */
function handOver(reader: Reader, healthy: boolean): boolean {
  const next = reader.claimedBy;
  if (!next) return false;
  reader.claimedBy = undefined;
  if (!healthy) void reader.worker.terminate();
  next(healthy ? reader : use(spawn(reader.maxMemoryMb)));
  return true;
}

function release(reader: Reader, heapUsed: number): void {
  const worn = reader.uses >= MAX_USES || heapUsed > (reader.maxMemoryMb * 1024 * 1024) / 2;
  if (handOver(reader, !worn)) return;
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
 * limit and a deadline (see readDocumentIsolated). A PDF read may borrow a
 * second, idle reader for half its pages (pdf-pages.ts); that helper has
 * the same limits, and its failure is the document's.
 */
export async function runIsolated<T>(task: IsolatedTask, bytes: Uint8Array, opts: WorkerRequest['opts'], limits: IsolationOptions & { maxBytes?: number } = {}): Promise<T> {
  const timeoutMs = limits.timeoutMs ?? 60_000;
  const maxMemoryMb = limits.maxMemoryMb ?? 1024;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  // Checked here too, before copying a huge input into the worker.
  if (bytes.byteLength > maxBytes) {
    throw new CairnError('TOO_LARGE', `${opts.filename} is ${bytes.byteLength} bytes, over the ${maxBytes}-byte limit`, { input: opts.filename });
  }
  const reader = await take(maxMemoryMb);
  const pageShare = task === 'document' && looksLikePdf(bytes) ? newPageShare() : undefined;
  const run = start(reader, { id: nextId++, task, bytes, opts, pageShare }, timeoutMs, maxMemoryMb);
  if (pageShare) {
    run.onHelp = () => {
      const helper = takeIdle(maxMemoryMb);
      if (!helper) return;
      stats.helpersLent++;
      const help = start(helper, { id: nextId++, task: 'pdf-pages', bytes, opts, pageShare }, timeoutMs, maxMemoryMb);
      helping.set(helper, pageShare);
      help.result.then(
        (r) => {
          // Pages only go to a primary that is waiting for them (it saw the helper join).
          const { joined, pages } = r as { joined: boolean; pages: RawPageText[] };
          if (joined) run.send({ id: run.id, helper: { ok: true, pages } });
        },
        (e: unknown) => {
          if (!helperJoined(pageShare)) return;
          const err = e instanceof CairnError ? e : new CairnError('INTERNAL', `reading ${opts.filename} failed in its page helper`, { input: opts.filename });
          // A helper that dies (deadline, memory) fails the read; a helper's read error is passed on as the document's.
          if (help.crashed) run.fail(err);
          else run.send({ id: run.id, helper: { ok: false, error: toWire(err) } });
        },
      );
      // The read is over either way: a helper still claiming pages would only waste them.
      void run.result.catch(() => undefined).finally(() => {
        stopHelper(pageShare);
        if (run.crashed) help.fail(new CairnError('INTERNAL', `reading ${opts.filename} was stopped`, { input: opts.filename }));
      });
    };
  }
  return (await run.result) as T;
}

function looksLikePdf(bytes: Uint8Array): boolean {
  // "%PDF" within the first KB, where PDF readers (and pdf.js) look for it.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes('%PDF-');
}

interface Running {
  id: number;
  result: Promise<unknown>;
  /** True once the worker was terminated (deadline, memory, crash) rather than answering. */
  crashed: boolean;
  /** Called when a PDF's primary reader asks for a helper. */
  onHelp?: () => void;
  send(m: ToWorker): void;
  fail(e: CairnError): void;
}

/** Sends one request to a reader and watches it: reply, crash, memory limit or deadline. */
function start(reader: Reader, request: WorkerRequest, timeoutMs: number, maxMemoryMb: number): Running {
  reader.uses++;
  const { worker } = reader;
  const file = request.opts.filename;
  // One exact-size copy whose buffer is then moved (not cloned) into the
  // worker; the caller's bytes stay usable.
  const copy = new Uint8Array(request.bytes);
  let settle!: { resolve: (v: unknown) => void; reject: (e: CairnError) => void };
  let finished = false;
  const running: Running = {
    id: request.id,
    crashed: false,
    result: new Promise((resolve, reject) => (settle = { resolve, reject })),
    send: (m) => {
      if (!finished) worker.postMessage(m);
    },
    fail: (e) => {
      if (finished) return;
      running.crashed = true;
      done();
      void worker.terminate();
      handOver(reader, false);
      settle.reject(e);
    },
  };
  const onMessage = (reply: FromWorker): void => {
    if (reply.id !== request.id) return;
    if ('help' in reply) {
      running.onHelp?.();
      return;
    }
    done();
    release(reader, reply.heapUsed);
    if (reply.ok) settle.resolve(reply.result);
    else settle.reject(fromWire(reply.error));
  };
  const onError = (e: Error & { code?: string }): void => {
    running.fail(
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new CairnError('TOO_LARGE', `reading ${file} needed more than ${maxMemoryMb} MB of memory and was stopped (a reader is capped so one file cannot exhaust the machine); split the file into smaller ones`, { input: file, cause: e })
        : new CairnError('PARSE_FAILED', `reading ${file} failed: ${e.message}`, { input: file, cause: e }),
    );
  };
  const onExit = (code: number): void => {
    running.fail(new CairnError('INTERNAL', `the reader for ${file} stopped (exit code ${code}) without an answer`, { input: file }));
  };
  const timer = setTimeout(() => {
    running.fail(new CairnError('TIMEOUT', `reading ${file} took longer than ${timeoutMs} ms and was stopped; the file may be pathological, or raise the time limit`, { input: file }));
  }, timeoutMs);
  function done(): void {
    finished = true;
    helping.delete(reader);
    clearTimeout(timer);
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  }
  worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  worker.postMessage({ ...request, bytes: copy }, [copy.buffer]);
  return running;
}
