import { isCairnError } from '../core/errors.js';
import type { ApiErrorBody } from './contract.js';

/**
 * The one mapping from a thrown error to what a transport sends back. User
 * errors keep their code, message and offending input; anything else becomes
 * a generic INTERNAL error (the detail goes to the server's log, never to the
 * caller: no message, no stack).
 */
export interface MappedError {
  /** HTTP status; IPC ignores it. */
  status: number;
  body: ApiErrorBody;
  /** True when this is a bug: log `cause` on the server side. */
  internal: boolean;
  cause: unknown;
}

export const INTERNAL_MESSAGE = 'internal error; the details are in the Cairn log';

export function mapError(e: unknown): MappedError {
  if (isCairnError(e) && e.isUserError) {
    return { status: e.code === 'NOT_FOUND' ? 404 : e.code === 'FORBIDDEN' ? 403 : 400, body: e.toJSON(), internal: false, cause: e };
  }
  return { status: 500, body: { code: 'INTERNAL', message: INTERNAL_MESSAGE }, internal: true, cause: e };
}

/** A transport-level refusal (auth, host, origin) in the same body shape. */
export function refusal(status: number, code: string, message: string): MappedError {
  return { status, body: { code, message }, internal: false, cause: undefined };
}
