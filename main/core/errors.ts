/**
 * The CairnError family. Every error a user can cause carries a stable code,
 * a message that says what to do, and the offending input (a file, a query).
 * Transports (CLI, HTTP, IPC) map these once: `user` errors exit 1, anything
 * else is an internal error (exit 2).
 */
export type ErrorCode =
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'EMPTY_FILE'
  | 'UNSUPPORTED_TYPE'
  | 'TOO_LARGE'
  | 'PDF_PASSWORD_REQUIRED'
  | 'PDF_PASSWORD_WRONG'
  | 'PDF_INVALID'
  | 'NEEDS_OCR'
  | 'PARSE_FAILED'
  | 'TIMEOUT'
  | 'AUDIT_BROKEN'
  | 'STORE_MISMATCH'
  /** The user's roles do not allow this (the message names the role needed). */
  | 'FORBIDDEN'
  | 'INTERNAL';

const USER_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BAD_INPUT',
  'NOT_FOUND',
  'EMPTY_FILE',
  'UNSUPPORTED_TYPE',
  'TOO_LARGE',
  'PDF_PASSWORD_REQUIRED',
  'PDF_PASSWORD_WRONG',
  'PDF_INVALID',
  'NEEDS_OCR',
  'PARSE_FAILED',
  'TIMEOUT',
  'AUDIT_BROKEN',
  'STORE_MISMATCH',
  'FORBIDDEN',
]);

export class CairnError extends Error {
  readonly code: ErrorCode;
  /** The offending input: a file path, a query, a record number. */
  readonly input: string | undefined;

  constructor(code: ErrorCode, message: string, options: { input?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CairnError';
    this.code = code;
    this.input = options.input;
  }

  /** True when the user can fix this (bad file, bad flag), false for bugs. */
  get isUserError(): boolean {
    return USER_CODES.has(this.code);
  }

  toJSON(): { code: ErrorCode; message: string; input?: string } {
    return this.input === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, input: this.input };
  }
}

export function isCairnError(e: unknown): e is CairnError {
  return e instanceof CairnError;
}

/** Wraps anything thrown into a CairnError without losing the cause. */
export function toCairnError(e: unknown, fallback: ErrorCode = 'INTERNAL', input?: string): CairnError {
  if (e instanceof CairnError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new CairnError(fallback, message, { input, cause: e });
}
