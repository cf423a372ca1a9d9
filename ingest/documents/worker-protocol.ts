import { CairnError, type ErrorCode } from '../../main/core/errors.js';
import type { ExtractedDocument, ReadOptions } from './types.js';

/**
 * What crosses the thread boundary. Errors travel as plain data because
 * structured clone drops an Error's class and its own fields (code, input).
 */
export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  opts: ReadOptions;
}

export interface WireError {
  code: ErrorCode;
  message: string;
  input?: string;
}

export type WorkerReply = { id: number; heapUsed: number } & ({ ok: true; doc: ExtractedDocument } | { ok: false; error: WireError });

export function toWire(e: CairnError): WireError {
  return e.toJSON();
}

export function fromWire(w: WireError): CairnError {
  return new CairnError(w.code, w.message, w.input === undefined ? {} : { input: w.input });
}
