import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { IpcMainLike, InvokeEventLike, SenderLike } from '../../main/electron/ipc.js';

/**
 * Fakes for both ends of Electron IPC, joined like the real thing: the
 * preload's ipcRenderer.invoke reaches the handler ipcMain.handle registered,
 * and webContents.send reaches ipcRenderer.on listeners.
 */

type Listener = (event: unknown, ...args: unknown[]) => void;

export interface Bus {
  ipcMain: IpcMainLike & { channels: () => string[] };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: Listener): void;
    removeListener(channel: string, listener: Listener): void;
    listenerCount(channel: string): number;
    invoked: string[];
  };
  /** What the main side sees as the caller. */
  frame: { url: string; parent: unknown } | null;
  sender: SenderLike & { destroy(): void; sent: unknown[][] };
}

export function makeBus(frameUrl: string): Bus {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const rendererListeners = new Map<string, Set<Listener>>();
  const destroyedListeners = new Set<() => void>();
  let destroyed = false;
  const bus: Bus = {
    frame: { url: frameUrl, parent: null },
    sender: {
      sent: [],
      send(channel, ...args) {
        bus.sender.sent.push([channel, ...args]);
        for (const l of rendererListeners.get(channel) ?? []) l({ sender: 'main' }, ...args);
      },
      isDestroyed: () => destroyed,
      once: (_e, l) => destroyedListeners.add(l),
      off: (_e, l) => destroyedListeners.delete(l),
      destroy() {
        destroyed = true;
        for (const l of [...destroyedListeners]) l();
      },
    },
    ipcMain: {
      handle: (channel, listener) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, listener);
      },
      removeHandler: (channel) => handlers.delete(channel),
      channels: () => [...handlers.keys()],
    },
    ipcRenderer: {
      invoked: [],
      async invoke(channel, ...args) {
        bus.ipcRenderer.invoked.push(channel);
        const h = handlers.get(channel);
        if (!h) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
        // structuredClone: IPC copies values, as Electron does
        return structuredClone(await h({ senderFrame: bus.frame, sender: bus.sender }, ...args.map((a) => structuredClone(a))));
      },
      on(channel, listener) {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
        rendererListeners.get(channel)!.add(listener);
      },
      removeListener(channel, listener) {
        rendererListeners.get(channel)?.delete(listener);
      },
      listenerCount: (channel) => rendererListeners.get(channel)?.size ?? 0,
    },
  };
  return bus;
}

export const PRELOAD_PATH = path.resolve('main/electron/preload.cts');

/** The preload compiled as tsc compiles it (CommonJS script). */
export function compilePreload(): string {
  const src = readFileSync(PRELOAD_PATH, 'utf8');
  return ts.transpileModule(src, {
    fileName: 'preload.cts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true },
  }).outputText;
}

/**
 * Runs the preload the way Electron's sandbox does: a function of
 * (require, process, exports, module) where require knows only 'electron'.
 */
export function runPreload(
  code: string,
  argv: string[],
  ipcRenderer: Bus['ipcRenderer'],
  /** Electron's webUtils as the preload sees it (getPathForFile for dropped files). */
  webUtils: { getPathForFile(file: unknown): string } = { getPathForFile: () => '' },
): { exposed: Map<string, unknown>; required: string[]; errors: unknown[][] } {
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const errors: unknown[][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer,
    webUtils,
  };
  const fakeRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name}`);
  };
  const fakeConsole = { ...console, error: (...a: unknown[]) => errors.push(a) };
  const exportsObj = {};
  // Running the compiled preload as Electron's sandbox does is the point of this harness.
  const fn = new Function('require', 'process', 'exports', 'module', 'console', code) as (...a: unknown[]) => void;
  fn(fakeRequire, { argv, type: 'renderer', sandboxed: true }, exportsObj, { exports: exportsObj }, fakeConsole);
  return { exposed, required, errors };
}
