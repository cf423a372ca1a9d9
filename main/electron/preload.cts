/*
 * The preload bridge: `window.cairn`, one function per contract operation and
 * nothing else (no generic invoke, no ipcRenderer, no channel names chosen by
 * the page); and `window.cairnDrop.ingestFiles`, which turns Files dropped on
 * the Library into their paths (webUtils.getPathForFile) for the main
 * process to check and ingest (drop-ingest.ts).
 *
 * Why CommonJS and self-contained: a sandboxed preload runs as a plain script
 * whose `require` knows only 'electron' and a few built-ins; it cannot import
 * the registry (or zod). The operation names come from the main process via
 * `additionalArguments` (window-options.ts: `--cairn-ops=a,b,c`), which the
 * page cannot change. The channel names must match ipc.ts; the preload test
 * runs this file as Electron would and checks both.
 */
import type { ContextBridge, IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';

(() => {
  const OPS_ARG_PREFIX = '--cairn-ops=';
  const OP_CHANNEL_PREFIX = 'cairn:';
  const EVENT_CHANNEL = 'cairn:event';
  const OP_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
  /** Files dropped on the Library: must match DROP_CHANNEL in drop-ingest.ts. */
  const DROP_CHANNEL = 'cairn-drop:ingest';
  const MAX_DROPPED = 1000;

  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload has only require('electron')
  const { contextBridge, ipcRenderer, webUtils } = require('electron') as { contextBridge: ContextBridge; ipcRenderer: IpcRenderer; webUtils: WebUtils };

  const arg = process.argv.find((a) => a.startsWith(OPS_ARG_PREFIX));
  const names = (arg ?? '').slice(OPS_ARG_PREFIX.length).split(',').filter((n) => OP_NAME.test(n));
  if (names.length === 0) console.error('cairn preload: no operations were passed in; window.cairn is empty');

  let counter = 0;
  const nextStreamId = (): string => `s${Date.now().toString(36)}-${(counter++).toString(36)}`;

  function call(name: string, input: unknown, onEvent: unknown): Promise<unknown> {
    return callChannel(OP_CHANNEL_PREFIX + name, input, onEvent);
  }

  function callChannel(channel: string, input: unknown, onEvent: unknown): Promise<unknown> {
    if (typeof onEvent !== 'function') return ipcRenderer.invoke(channel, input);
    const id = nextStreamId();
    const listener = (_e: IpcRendererEvent, streamId: unknown, event: unknown): void => {
      if (streamId === id) (onEvent as (e: unknown) => void)(event);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return ipcRenderer.invoke(channel, input, { stream: id }).finally(() => ipcRenderer.removeListener(EVENT_CHANNEL, listener));
  }

  const api: Record<string, (input?: unknown, onEvent?: unknown) => Promise<unknown>> = {};
  for (const name of names) api[name] = (input?: unknown, onEvent?: unknown) => call(name, input ?? {}, onEvent);
  contextBridge.exposeInMainWorld('cairn', Object.freeze(api));

  /** A dropped File's path on disk, '' when it has none (the main process refuses those and says why). */
  const pathOf = (file: unknown): string => {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  };

  // The page hands over File objects, never paths: it learns a path only from the summary of what was ingested.
  const drop = {
    ingestFiles(files: unknown, options: unknown, onEvent: unknown): Promise<unknown> {
      const list = Array.isArray(files) ? (files as unknown[]).slice(0, MAX_DROPPED + 1) : [];
      const marking = typeof options === 'object' && options !== null ? (options as { marking?: unknown }).marking : undefined;
      return callChannel(DROP_CHANNEL, { paths: list.map(pathOf), ...(typeof marking === 'string' ? { marking } : {}) }, onEvent);
    },
  };
  contextBridge.exposeInMainWorld('cairnDrop', Object.freeze(drop));
})();
