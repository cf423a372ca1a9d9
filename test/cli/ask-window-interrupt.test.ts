/**
 * `cairn ask --from/--to` (the timeline window on the command line) and
 * Ctrl-C during `cairn ask`: a real child process runs the CLI against a
 * scripted OpenAI-compatible server on loopback that starts answering and
 * then stalls; SIGINT must cancel the model call through the ask's
 * AbortSignal, exit 130, and leave a `cancelled` ask in an intact audit log.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { AnswerOutput } from '../../main/api/contract.js';
import { runCli } from '../../main/cli/index.js';
import { withInterrupt } from '../../main/cli/interrupt.js';
import { EventEmitter } from 'node:events';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const REPORT = `Harbour report, Marsaxlokk.

The patrol boat Kestrel left the harbour at dawn and headed north along the coast.
The trawler Sea Wren unloaded forty sealed crates at the east quay.`;

function gpx(): string {
  const pts = Array.from({ length: 8 }, (_, i) => {
    const t = new Date(Date.UTC(2031, 2, 14, 6, i * 5)).toISOString();
    return `<trkpt lat="${(35.8 + i * 0.004).toFixed(5)}" lon="${(14.5 + i * 0.004).toFixed(5)}"><time>${t}</time></trkpt>`;
  }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Patrol boat Kestrel</name><trkseg>${pts}</trkseg></trk></gpx>`;
}

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'cairn', '--data', dataDir, ...args], { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

/**
 * An OpenAI-compatible chat endpoint that sends the first token of an answer
 * and then never finishes: only the client giving up ends the request.
 */
async function stallingModel() {
  const state = { requests: 0, clientClosed: 0 };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.requests++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '{"sentences": [' }, finish_reason: null }] })}\n\n`);
      res.on('close', () => state.clientClosed++);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('cairn ask --from/--to and Ctrl-C', () => {
  let tmp: string;
  let data: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'cairn-ask-int-'));
    data = path.join(tmp, 'data');
    await writeFile(path.join(tmp, 'report.txt'), REPORT);
    await writeFile(path.join(tmp, 'kestrel.gpx'), gpx());
    const cairn = await Cairn.open(data, { actor: 'cli-test' });
    expect((await cairn.ingest({ paths: [path.join(tmp, 'report.txt'), path.join(tmp, 'kestrel.gpx')] })).ingested).toBe(2);
  }, 60_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('--from/--to limit ask to dated passages in the window and are recorded in the audit', async () => {
    const all = await cli(data, 'ask', 'Where did the patrol boat Kestrel go?', '--json');
    expect(all.code).toBe(0);
    const unlimited = JSON.parse(all.out) as AnswerOutput;
    expect(unlimited.citations.some((c) => c.title === 'report.txt')).toBe(true);

    const inside = await cli(data, 'ask', 'Where did the patrol boat Kestrel go?', '--from', '2031-03-14T00:00Z', '--to', '2031-03-15T00:00Z', '--json');
    expect(inside.code).toBe(0);
    const windowed = JSON.parse(inside.out) as AnswerOutput;
    // The undated report is outside every window; the track on 14 March is inside this one.
    expect(windowed.citations.length).toBeGreaterThan(0);
    expect(windowed.citations.every((c) => c.title !== 'report.txt')).toBe(true);
    expect(windowed.citations.some((c) => c.locator && 'entity' in c.locator)).toBe(true);

    const outside = await cli(data, 'ask', 'Where did the patrol boat Kestrel go?', '--from', '2032-01-01T00:00Z', '--to', '2032-02-01T00:00Z', '--json');
    expect(outside.code).toBe(0);
    expect((JSON.parse(outside.out) as AnswerOutput).citations).toEqual([]);

    const records = await (await Cairn.open(data, { actor: 'cli-test' })).auditRecords();
    const byId = new Map(records.map((r) => [r.hash, r.payload as { retrieval?: { window?: unknown } }]));
    expect(byId.get(windowed.auditId)?.retrieval?.window).toEqual({ from: '2031-03-14T00:00Z', to: '2031-03-15T00:00Z' });
    expect(byId.get(unlimited.auditId)?.retrieval?.window).toBeUndefined();

    const bad = await cli(data, 'ask', 'Where did the patrol boat Kestrel go?', '--from', 'last tuesday');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a date\/time.*last tuesday/);
  }, 60_000);

  it('withInterrupt aborts on the first SIGINT, hands a second to onSecond, and removes its listeners', async () => {
    const target = new EventEmitter();
    let seconds = 0;
    let told = 0;
    const { value, interrupted } = await withInterrupt(
      (signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => {
            target.emit('SIGINT');
            resolve('stopped');
          });
          target.emit('SIGINT');
        }),
      { target, onInterrupt: () => told++, onSecond: () => seconds++ },
    );
    expect({ value, interrupted, told, seconds }).toEqual({ value: 'stopped', interrupted: true, told: 1, seconds: 1 });
    expect(target.listenerCount('SIGINT')).toBe(0);
    const quiet = await withInterrupt(async () => 1, { target });
    expect(quiet).toEqual({ value: 1, interrupted: false });
    expect(target.listenerCount('SIGINT')).toBe(0);
  });

  it('Ctrl-C while a model is answering cancels the call, exits 130 and audits the ask as cancelled', async () => {
    const model = await stallingModel();
    try {
      await writeFile(path.join(data, 'config.json'), JSON.stringify({ models: { endpoints: [{ name: 'stall', kind: 'openai', baseUrl: `${model.url}/v1`, model: 'stall-1' }] } }));
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/cairn.mjs'), '--data', data, 'ask', 'Where did the patrol boat Kestrel go?', '--model', 'stall', '--json'], {
        cwd: ROOT,
        env: { ...process.env, CAIRN_USER: 'cli-test' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      // The model has been asked and has started answering: now the user presses Ctrl-C.
      await expect.poll(() => model.state.requests, { timeout: 60_000, interval: 100 }).toBeGreaterThan(0);
      expect(child.exitCode).toBeNull();
      child.kill('SIGINT');
      const code = await exited;

      expect(err).toMatch(/cancelling the answer/);
      expect(code).toBe(130);
      // The model call was cut off from the client side (the abort reached the HTTP request).
      expect(model.state.clientClosed).toBeGreaterThan(0);
      const answer = JSON.parse(out) as AnswerOutput;
      expect(answer.status).toBe('cancelled');
      expect(answer.citations).toEqual([]);

      const cairn = await Cairn.open(data, { actor: 'cli-test' });
      const records = await cairn.auditRecords();
      const last = records.at(-1)!;
      expect(last.hash).toBe(answer.auditId);
      expect(last.action).toBe('ask');
      expect(last.payload).toMatchObject({ question: 'Where did the patrol boat Kestrel go?', status: 'cancelled', user: 'cli-test' });
      expect(await cairn.auditVerify()).toMatchObject({ ok: true });
    } finally {
      await model.close();
    }
  }, 120_000);
});
