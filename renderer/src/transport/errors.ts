/** The server (or the Electron main process) does not offer this operation. */
export class OpUnavailableError extends Error {
  constructor(readonly op: string) {
    super(`the "${op}" operation is not available from this Cairn back end`);
    this.name = 'OpUnavailableError';
  }
}

/** A call that reached Cairn and failed: the typed error code when the back end sent one. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** A message a person can act on, whatever was thrown. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : 'unexpected error';
}

/** Reads `{error: {code, message}}`, `{code, message}` or plain text. */
export function errorFromBody(body: unknown, status?: number): CallError {
  if (typeof body === 'object' && body !== null) {
    const o = body as Record<string, unknown>;
    const inner = typeof o.error === 'object' && o.error !== null ? (o.error as Record<string, unknown>) : o;
    const message = typeof inner.message === 'string' ? inner.message : typeof o.error === 'string' ? o.error : 'the request failed';
    const code = typeof inner.code === 'string' ? inner.code : 'ERROR';
    return new CallError(message, code, status);
  }
  return new CallError(typeof body === 'string' && body !== '' ? body : `the request failed (HTTP ${status ?? '?'})`, 'ERROR', status);
}
