import type { ApiResult, StreamEvent } from '../api/contract.js';
import { type CairnService, invokeOp, OP_NAMES, parseInput } from '../api/ops.js';
import { mapError } from '../api/transport-errors.js';

/**
 * The IPC transport: every operation of the registry on `ipcMain.handle('cairn:<op>')`.
 * Each call is checked to come from the app's own top frame; the answer is
 * an ApiResult envelope (the context bridge would strip an Error's code).
 * Streaming calls pass `{stream: id}` and receive their events on
 * `cairn:event` as (id, event) until the invoke resolves.
 */

export const OP_CHANNEL_PREFIX = 'cairn:';
export const EVENT_CHANNEL = 'cairn:event';
const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface SenderLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
  off(event: 'destroyed', listener: () => void): unknown;
}

export interface InvokeEventLike {
  /** Null once the frame navigated away or was destroyed. */
  senderFrame: { url: string; parent: unknown } | null;
  sender: SenderLike;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcOptions {
  /** The app's page URL test (navigation.isAppUrl bound to the app URL). */
  isTrustedUrl: (url: string) => boolean;
  /** Internal errors, with stack, for the main process log. */
  logError?: (error: unknown, where: string) => void;
}

/** Refusal reason, or undefined when the call comes from the app's own top frame. */
export function untrustedSender(event: InvokeEventLike, isTrustedUrl: (url: string) => boolean): string | undefined {
  const frame = event.senderFrame;
  if (!frame) return 'the calling frame is gone';
  if (frame.parent !== null && frame.parent !== undefined) return 'calls are accepted from the top frame only';
  if (!isTrustedUrl(frame.url)) return 'calls are accepted from the app page only';
  return undefined;
}

export async function handleInvoke(cairn: CairnService, name: (typeof OP_NAMES)[number], event: InvokeEventLike, args: unknown[], o: IpcOptions): Promise<ApiResult<unknown>> {
  const refused = untrustedSender(event, o.isTrustedUrl);
  if (refused) return { ok: false, error: { code: 'FORBIDDEN', message: refused } };
  const [raw, options] = args;
  const streamId = (options as { stream?: unknown } | undefined)?.stream;
  if (streamId !== undefined && (typeof streamId !== 'string' || !STREAM_ID.test(streamId))) {
    return { ok: false, error: { code: 'BAD_INPUT', message: 'stream id must be 1-64 letters, digits, - or _', input: 'stream' } };
  }
  const abort = new AbortController();
  const onGone = (): void => abort.abort();
  event.sender.once('destroyed', onGone);
  const emit = (e: StreamEvent): void => {
    if (streamId !== undefined && !event.sender.isDestroyed()) event.sender.send(EVENT_CHANNEL, streamId, e);
  };
  try {
    const value = await invokeOp(cairn, name, parseInput(name, raw), { signal: abort.signal, emit });
    return { ok: true, value };
  } catch (e) {
    const m = mapError(e);
    if (m.internal) o.logError?.(m.cause, `${OP_CHANNEL_PREFIX}${name}`);
    return { ok: false, error: m.body };
  } finally {
    event.sender.off('destroyed', onGone);
  }
}

/** Registers one handler per operation; returns a function removing them all. */
export function registerIpcHandlers(ipcMain: IpcMainLike, cairn: CairnService, o: IpcOptions): () => void {
  for (const name of OP_NAMES) {
    ipcMain.handle(`${OP_CHANNEL_PREFIX}${name}`, (event, ...args) => handleInvoke(cairn, name, event, args, o));
  }
  return () => {
    for (const name of OP_NAMES) ipcMain.removeHandler(`${OP_CHANNEL_PREFIX}${name}`);
  };
}
