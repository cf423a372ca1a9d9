/**
 * Ctrl-C during a long call: the first SIGINT aborts the call's AbortSignal,
 * so the work stops at a safe point (a model call is cut off, the cancelled
 * ask is audited as such) instead of the process dying between a store write
 * and its audit record. A second Ctrl-C gives up waiting and exits at once.
 */
export const INTERRUPTED_EXIT = 130;

export interface InterruptTarget {
  once(event: 'SIGINT', listener: () => void): unknown;
  removeListener(event: 'SIGINT', listener: () => void): unknown;
}

export interface InterruptOptions {
  /** Where the signal comes from (the process; a stand-in in tests). */
  target?: InterruptTarget;
  /** Told once when the first Ctrl-C arrives. */
  onInterrupt?: () => void;
  /** What a second Ctrl-C does (exit the process by default). */
  onSecond?: () => void;
}

/** Runs `fn` with a signal the first Ctrl-C aborts; the handlers are gone when it settles. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, opts: InterruptOptions = {}): Promise<{ value: T; interrupted: boolean }> {
  const target = opts.target ?? process;
  const controller = new AbortController();
  const second = (): void => (opts.onSecond ?? (() => process.exit(INTERRUPTED_EXIT)))();
  const first = (): void => {
    // Listen for the second Ctrl-C before aborting: abort handlers run synchronously.
    target.once('SIGINT', second);
    opts.onInterrupt?.();
    controller.abort(new Error('interrupted (Ctrl-C)'));
  };
  target.once('SIGINT', first);
  try {
    const value = await fn(controller.signal);
    return { value, interrupted: controller.signal.aborted };
  } finally {
    target.removeListener('SIGINT', first);
    target.removeListener('SIGINT', second);
  }
}
