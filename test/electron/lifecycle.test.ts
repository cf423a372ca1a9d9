import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPackageRoot, rendererDirOf } from '../../main/electron/app-paths.js';
import { menuTemplate } from '../../main/electron/menu.js';
import { claimSingleInstance, type FocusableWindow } from '../../main/electron/single-instance.js';

describe('single instance', () => {
  function fakeApp(gotLock: boolean) {
    const calls: string[] = [];
    let second: (() => void) | undefined;
    return {
      calls,
      secondInstance: () => second!(),
      app: {
        requestSingleInstanceLock: () => gotLock,
        quit: () => calls.push('quit'),
        on: (_e: 'second-instance', l: () => void) => (second = l),
      },
    };
  }
  const fakeWindow = (minimized: boolean): FocusableWindow & { calls: string[] } => {
    const calls: string[] = [];
    return { calls, isDestroyed: () => false, isMinimized: () => minimized, restore: () => calls.push('restore'), focus: () => calls.push('focus') };
  };

  it('quits when another instance holds the lock', () => {
    const f = fakeApp(false);
    expect(claimSingleInstance(f.app, () => null)).toBe(false);
    expect(f.calls).toEqual(['quit']);
  });

  it('keeps the lock and focuses (restoring) the window when a second launch happens', () => {
    const f = fakeApp(true);
    const w = fakeWindow(true);
    expect(claimSingleInstance(f.app, () => w)).toBe(true);
    f.secondInstance();
    expect(w.calls).toEqual(['restore', 'focus']);
    expect(f.calls).toEqual([]);
  });
});

describe('application menu', () => {
  const all = (items: ReturnType<typeof menuTemplate>): Record<string, unknown>[] =>
    items.flatMap((i) => [i as Record<string, unknown>, ...(Array.isArray(i.submenu) ? all(i.submenu) : [])]);

  it('is made of roles only: no click handlers, no links out', () => {
    for (const o of [{ isMac: true, devTools: false }, { isMac: false, devTools: true }]) {
      for (const item of all(menuTemplate(o))) {
        expect(item.click).toBeUndefined();
        expect(item.role ?? item.type ?? item.submenu).toBeDefined();
        expect(['help', 'about']).not.toContain(item.role);
      }
    }
  });

  it('offers DevTools only in development', () => {
    expect(all(menuTemplate({ isMac: false, devTools: false })).some((i) => i.role === 'toggleDevTools')).toBe(false);
    expect(all(menuTemplate({ isMac: false, devTools: true })).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});

describe('app paths', () => {
  it('finds the package root upwards and its renderer build', () => {
    const exists = (p: string): boolean => p === path.join('/opt/Cairn/app.asar', 'package.json');
    expect(findPackageRoot('/opt/Cairn/app.asar/dist/main/electron', exists)).toBe('/opt/Cairn/app.asar');
    expect(findPackageRoot('/nowhere/at/all', () => false)).toBeUndefined();
    expect(rendererDirOf('/opt/Cairn/app.asar')).toBe(path.join('/opt/Cairn/app.asar', 'renderer', 'dist'));
  });
});

describe('the shell stays thin and offline (source checks)', () => {
  const dir = path.resolve('main/electron');
  const files = readdirSync(dir).filter((f) => /\.(c|m)?ts$/.test(f));
  const source = (f: string): string => readFileSync(path.join(dir, f), 'utf8');

  it('only main.ts and the preload load electron at run time (the rest is testable without it)', () => {
    for (const f of files) {
      const runtime = /^import\s+(?!type\b)[^;]*from\s+'electron'/m.test(source(f)) || /require\('electron'\)/.test(source(f));
      expect(runtime, f).toBe(['main.ts', 'preload.cts'].includes(f));
    }
  });

  it('has no auto-update, crash reporting, external opening or remote content', () => {
    for (const f of files) {
      const s = source(f).replace(/^\s*(\/\/|\*|\/\*).*$/gm, ''); // code, not comments
      expect(s, f).not.toMatch(/autoUpdater|electron-updater|crashReporter|openExternal|shell\.|loadURL\(['"`]https?:|https?:\/\/(?!127\.0\.0\.1)/);
    }
  });

  it('electron-builder publishes nowhere', () => {
    const yml = readFileSync(path.resolve('electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/^publish: null$/m);
  });
});
