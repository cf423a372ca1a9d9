import { CairnError, type ErrorCode } from '../../main/core/errors.js';
import type { RawPageText } from './pdf-pages.js';

/**
 * What a reader worker can run: each is a pure read of untrusted bytes.
 * 'pdf-pages' is the helper's half of a PDF read by two workers (pdf-pages.ts).
 */
export type IsolatedTask = 'document' | 'pdf-ocr' | 'track' | 'image' | 'pdf-pages';

/**
 * What crosses the thread boundary. Errors travel as plain data because
 * structured clone drops an Error's class and its own fields (code, input).
 */
export interface WorkerRequest {
  id: number;
  task: IsolatedTask;
  bytes: Uint8Array;
  /** The task's options (structured-cloneable). */
  opts: { filename: string } & Record<string, unknown>;
  /** 'document' (when it may be a PDF) and 'pdf-pages': the page claims two readers share. */
  pageShare?: SharedArrayBuffer;
}

/** The helper's outcome, passed on to the primary reader of the same PDF. */
export interface HelperPagesMessage {
  id: number;
  helper: { ok: true; pages: RawPageText[] } | { ok: false; error: WireError };
}

/** A primary reader asking for a helper: its PDF has this many pages. */
export interface HelpWantedMessage {
  id: number;
  help: number;
}

export type ToWorker = WorkerRequest | HelperPagesMessage;
export type FromWorker = WorkerReply | HelpWantedMessage;

export interface WireError {
  code: ErrorCode;
  message: string;
  input?: string;
}

export type WorkerReply = { id: number; heapUsed: number } & ({ ok: true; result: unknown } | { ok: false; error: WireError });

export function toWire(e: CairnError): WireError {
  return e.toJSON();
}

export function fromWire(w: WireError): CairnError {
  return new CairnError(w.code, w.message, w.input === undefined ? {} : { input: w.input });
}
