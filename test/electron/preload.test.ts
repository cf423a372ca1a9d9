import { describe, expect, it } from 'vitest';
import type { CairnBridge, StreamEvent } from '../../main/api/contract.js';
import { type CairnService, OP_NAMES } from '../../main/api/ops.js';
import { registerIpcHandlers } from '../../main/electron/ipc.js';
import { isAppUrl } from '../../main/electron/navigation.js';
import { windowOptions } from '../../main/electron/window-options.js';
import { compilePreload, makeBus, runPreload } from './ipc-harness.js';

const APP = 'file:///opt/Cairn/renderer/dist/index.html';
const argv = ['/opt/Cairn/cairn', '--type=renderer', ...(windowOptions({ preloadPath: '/p.cjs', packaged: true, opNames: OP_NAMES }).webPreferences?.additionalArguments ?? [])];
const citation = { sourceId: 's', chunkId: 'c', title: 't', page: 1, start: 0, end: 2, quote: 'Hi' };

describe('preload bridge (compiled and run as Electron runs a sandboxed preload)', () => {
  const code = compilePreload();

  it('compiles to a plain CommonJS script: no import/export statements, requires only electron', () => {
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const bus = makeBus(APP);
    const { required, errors } = runPreload(code, argv, bus.ipcRenderer);
    expect(required).toEqual(['electron']);
    expect(errors).toEqual([]);
  });

  it('exposes window.cairn with exactly the contract operations, all functions, frozen', () => {
    const bus = makeBus(APP);
    const { exposed } = runPreload(code, argv, bus.ipcRenderer);
    // window.cairn, plus window.cairnDrop for files dropped on the Library (drop-ingest.test.ts).
    expect([...exposed.keys()]).toEqual(['cairn', 'cairnDrop']);
    const api = exposed.get('cairn') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...OP_NAMES].sort());
    for (const name of OP_NAMES) expect(typeof api[name]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'require']) expect(api).not.toHaveProperty(generic);
  });

  it('exposes nothing beyond plain operation names, whatever argv carries', () => {
    const bus = makeBus(APP);
    const { exposed, errors } = runPreload(code, ['x', '--cairn-ops=search,__proto__,constructor.x,a-b,,ask'], bus.ipcRenderer);
    expect(Object.keys(exposed.get('cairn') as object).sort()).toEqual(['ask', 'search']);
    expect(errors).toEqual([]);
    const none = runPreload(code, ['x'], bus.ipcRenderer);
    expect(Object.keys(none.exposed.get('cairn') as object)).toEqual([]);
    expect(none.errors).toHaveLength(1);
  });

  it('each function calls only its own channel, and round-trips through the real IPC handlers', async () => {
    const bus = makeBus(APP);
    const svc = {
      search: async (input: { query: string }) => ({ query: input.query, hits: [] }),
      ask: async () => ({ answer: 'Hi. Yo.', sentences: [{ text: 'Hi.', citations: [citation] }, { text: 'Yo.', citations: [citation] }], citations: [citation], banner: 'UNCLASSIFIED', auditId: 'x' }),
    } as unknown as CairnService;
    registerIpcHandlers(bus.ipcMain, svc, { isTrustedUrl: (u) => isAppUrl(u, APP) });
    const cairn = runPreload(code, argv, bus.ipcRenderer).exposed.get('cairn') as CairnBridge;

    expect(await cairn.search({ query: 'port' })).toEqual({ ok: true, value: { query: 'port', hits: [] } });
    expect(bus.ipcRenderer.invoked).toEqual(['cairn:search']);

    const events: StreamEvent[] = [];
    const r = await cairn.ask({ question: 'hi?' }, (e) => events.push(e));
    expect(r).toMatchObject({ ok: true, value: { answer: 'Hi. Yo.' } });
    expect(events.map((e) => e.event === 'sentence' && e.data.text)).toEqual(['Hi.', 'Yo.']);
    expect(bus.ipcRenderer.listenerCount('cairn:event')).toBe(0); // unsubscribed when done

    expect(await cairn.search({ query: '' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('the channel names in the preload match the IPC transport (every op answers)', async () => {
    const bus = makeBus(APP);
    registerIpcHandlers(bus.ipcMain, {} as CairnService, { isTrustedUrl: () => true });
    const cairn = runPreload(code, argv, bus.ipcRenderer).exposed.get('cairn') as Record<string, (i: unknown) => Promise<unknown>>;
    for (const name of OP_NAMES) {
      const r = await cairn[name]!({}); // an empty service: INTERNAL or BAD_INPUT, never "no handler"
      expect(r, name).toMatchObject({ ok: false });
    }
  });
});
