/**
 * Why a model call failed. These never reach the user: the agent turns each
 * into an extractive answer with a note (or a cancelled answer).
 */
export type FailureReason = 'cancelled' | 'timeout' | 'unreachable' | 'http' | 'overflow' | 'malformed' | 'failed';

export class ModelFailure extends Error {
  readonly reason: FailureReason;

  constructor(reason: FailureReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelFailure';
    this.reason = reason;
  }
}

const OVERFLOW = /context (?:length|window|size)|maximum context|too many tokens|prompt is too long|exceeds? the (?:context|maximum)|context_length_exceeded|n_ctx/i;

/**
 * Classifies anything a provider threw. `userSignal` tells a cancellation by
 * the user apart from our own timeout (both surface as aborts).
 */
export function toModelFailure(e: unknown, userSignal?: AbortSignal): ModelFailure {
  if (userSignal?.aborted) return new ModelFailure('cancelled', 'cancelled by the user', { cause: e });
  if (e instanceof ModelFailure) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  const name = err.name;
  const msg = err.message;
  if (name === 'TimeoutError' || /timed? ?out/i.test(msg)) return new ModelFailure('timeout', `the model did not answer in time (${msg})`, { cause: e });
  if (name === 'AbortError') return new ModelFailure('timeout', 'the model call was aborted before it finished', { cause: e });
  if (OVERFLOW.test(msg)) return new ModelFailure('overflow', `the prompt does not fit the model's context: ${msg}`, { cause: e });
  const code = (err as { code?: string }).code ?? ((err.cause as { code?: string } | undefined)?.code);
  if (code && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN|UND_ERR/.test(code)) {
    return new ModelFailure('unreachable', `the model endpoint is unreachable (${code})`, { cause: e });
  }
  if (name === 'TypeError' && /fetch failed/i.test(msg)) return new ModelFailure('unreachable', `the model endpoint is unreachable (${msg})`, { cause: e });
  return new ModelFailure('failed', msg, { cause: e });
}
