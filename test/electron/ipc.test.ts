import { describe, expect, it } from 'vitest';
import type { ApiResult, StreamEvent } from '../../main/api/contract.js';
import { type CairnService, OP_NAMES } from '../../main/api/ops.js';
import { INTERNAL_MESSAGE } from '../../main/api/transport-errors.js';
import { EVENT_CHANNEL, registerIpcHandlers } from '../../main/electron/ipc.js';
import { isAppUrl } from '../../main/electron/navigation.js';
import { CairnError } from '../../main/core/errors.js';
import { makeBus } from './ipc-harness.js';

const APP = 'file:///opt/Cairn/renderer/dist/index.html';
const citation = { sourceId: 's', chunkId: 'c', title: 't', page: 1, start: 0, end: 2, quote: 'Hi' };

function service(): CairnService {
  return {
    search: async (input: { query: string }) => ({ query: input.query, hits: [] }),
    ask: async () => ({ answer: 'Hi.', sentences: [{ text: 'Hi.', citations: [citation] }], citations: [citation], banner: 'UNCLASSIFIED', auditId: 'x' }),
    sources: async () => {
      throw new Error('disk on fire at /var/secret');
    },
    auditVerify: async () => {
      throw new CairnError('AUDIT_BROKEN', 'line 3 is damaged', { input: 'log.jsonl:3' });
    },
  } as unknown as CairnService;
}

function setup() {
  const bus = makeBus(APP);
  const logged: unknown[] = [];
  const unregister = registerIpcHandlers(bus.ipcMain, service(), { isTrustedUrl: (u) => isAppUrl(u, APP), logError: (e) => logged.push(e) });
  return { bus, logged, unregister };
}

describe('IPC transport', () => {
  it('registers exactly one cairn:<op> channel per registry operation, and removes them', () => {
    const { bus, unregister } = setup();
    expect(bus.ipcMain.channels().sort()).toEqual(OP_NAMES.map((n) => `cairn:${n}`).sort());
    unregister();
    expect(bus.ipcMain.channels()).toEqual([]);
  });

  it('answers with a result envelope', async () => {
    const { bus } = setup();
    expect(await bus.ipcRenderer.invoke('cairn:search', { query: 'port' })).toEqual({ ok: true, value: { query: 'port', hits: [] } });
  });

  it('maps errors once: user errors keep code and input, bad input is BAD_INPUT, internal errors say nothing', async () => {
    const { bus, logged } = setup();
    expect(await bus.ipcRenderer.invoke('cairn:search', { query: '' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', input: 'query' } });
    expect(await bus.ipcRenderer.invoke('cairn:auditVerify', {})).toEqual({ ok: false, error: { code: 'AUDIT_BROKEN', message: 'line 3 is damaged', input: 'log.jsonl:3' } });
    const internal = (await bus.ipcRenderer.invoke('cairn:sources', {})) as ApiResult<unknown>;
    expect(internal).toEqual({ ok: false, error: { code: 'INTERNAL', message: INTERNAL_MESSAGE } });
    expect(JSON.stringify(internal)).not.toContain('secret');
    expect(String(logged[0])).toContain('/var/secret');
  });

  it('refuses callers that are not the app page in the top frame', async () => {
    const { bus } = setup();
    for (const frame of [{ url: 'https://example.com/', parent: null }, { url: 'file:///tmp/evil.html', parent: null }, { url: APP, parent: { url: APP } }, null]) {
      bus.frame = frame;
      expect(await bus.ipcRenderer.invoke('cairn:search', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    bus.frame = { url: `${APP}#/ask`, parent: null };
    expect(await bus.ipcRenderer.invoke('cairn:search', { query: 'x' })).toMatchObject({ ok: true });
  });

  it('streams events to the caller on cairn:event, tagged with its stream id', async () => {
    const { bus } = setup();
    const result = await bus.ipcRenderer.invoke('cairn:ask', { question: 'hi?' }, { stream: 'abc-1' });
    expect(result).toMatchObject({ ok: true, value: { answer: 'Hi.' } });
    const sentence: StreamEvent = { event: 'sentence', data: { index: 0, text: 'Hi.', citations: [citation] } };
    expect(bus.sender.sent).toEqual([[EVENT_CHANNEL, 'abc-1', sentence]]);
    await bus.ipcRenderer.invoke('cairn:ask', { question: 'hi?' });
    expect(bus.sender.sent).toHaveLength(1); // no stream id: no events
    expect(await bus.ipcRenderer.invoke('cairn:ask', { question: 'hi?' }, { stream: 'bad id!' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('sends nothing to a destroyed window', async () => {
    const { bus } = setup();
    bus.sender.destroy();
    expect(await bus.ipcRenderer.invoke('cairn:ask', { question: 'hi?' }, { stream: 's1' })).toMatchObject({ ok: true });
    expect(bus.sender.sent).toEqual([]);
  });
});
