/**
 * The answer as an event stream (tokens, tool steps, checked sentences,
 * done), for the CLI now and IPC / HTTP server-sent events later. Cancel by
 * aborting the signal in the options, or by leaving the loop early.
 */
import { type AnswerOptions, answerQuestion } from './agent.js';
import type { AgentEvent } from './types.js';

export function streamAnswer(question: string, opts: Omit<AnswerOptions, 'onEvent'>): AsyncIterable<AgentEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<AgentEvent> {
      const queue: AgentEvent[] = [];
      let wake: (() => void) | null = null;
      let ended = false;
      const local = new AbortController();
      const signal = opts.signal ? AbortSignal.any([opts.signal, local.signal]) : local.signal;
      const push = (e: AgentEvent): void => {
        queue.push(e);
        wake?.();
      };
      answerQuestion(question, { ...opts, signal, onEvent: push })
        .catch((e: unknown) => push({ type: 'error', reason: 'failed', message: (e as Error).message, recovered: false }))
        .finally(() => {
          ended = true;
          wake?.();
        });
      return {
        async next(): Promise<IteratorResult<AgentEvent>> {
          for (;;) {
            const e = queue.shift();
            if (e) return { value: e, done: false };
            if (ended) return { value: undefined, done: true };
            await new Promise<void>((r) => (wake = r));
            wake = null;
          }
        },
        async return(): Promise<IteratorResult<AgentEvent>> {
          local.abort(new Error('the reader stopped listening'));
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/** One event as a server-sent-events frame (`event: type`, `data: JSON`). */
export function toSse(e: AgentEvent): string {
  return `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}
