import { CairnError, type ErrorCode } from '../../main/core/errors.js';

/** What a reader worker can run: each is a pure read of untrusted bytes. */
export type IsolatedTask = 'document' | 'pdf-ocr' | 'track' | 'image';

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
}

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
