import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeProviders, getProvider, listProviders, registerProviderKind, resolveProvider } from '../../main/agent/index.js';
import { register } from '../../main/cli/commands/models.js';
import type { CliContext } from '../../main/cli/index.js';
import { closedPort, contentFrames, fakeServer, sse } from './fake-server.js';

const GGUF = path.resolve(process.cwd(), '../shared/models/stories260K.gguf');

let dir: string;
let server: Awaited<ReturnType<typeof fakeServer>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-models-'));
  await mkdir(path.join(dir, 'models'));
  if (existsSync(GGUF)) await symlink(GGUF, path.join(dir, 'models', 'stories260K.gguf'));
  server = await fakeServer([
    sse(contentFrames(JSON.stringify({ sentences: [{ text: 'The tanker Blue Heron arrived at Port Sarn on 12 March at 0400 local time.', chunkIds: ['c1'] }] }))),
  ]);
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      other: { untouched: true },
      models: {
        default: 'lan',
        llama: { threads: 2 },
        endpoints: [
          { name: 'lan', kind: 'openai', baseUrl: `${server.url}/v1`, model: 'm', apiKey: 'do-not-print' },
          { name: 'local-ollama', kind: 'ollama', baseUrl: await closedPort(), model: 'llama3.1:8b' },
          { name: 'broken', kind: 'openai', baseUrl: 'not a url', model: 'm' },
          { name: 'mystery', kind: 'vertex', model: 'x' },
        ],
      },
    }),
  );
});

afterAll(async () => {
  await disposeProviders();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(): { ctx: CliContext; out: string[]; exit: { code: number }; run: (...args: string[]) => Promise<void> } {
  const out: string[] = [];
  const exit = { code: 0 };
  const ctx: CliContext = {
    io: { out: (s) => out.push(s), err: (s) => out.push(`ERR ${s}`) },
    open: () => Promise.reject(new Error('models commands need no store')),
    dataDir: () => dir,
    setExit: (c) => (exit.code = Math.max(exit.code, c)),
    json: (v) => out.push(JSON.stringify(v)),
  };
  const program = new Command('cairn').exitOverride();
  register(program, ctx);
  return { ctx, out, exit, run: async (...args) => void (await program.parseAsync(args, { from: 'user' })) };
}

describe('provider registry', () => {
  it('lists the extractive composer, GGUF files and configured endpoints, with problems named', async () => {
    const r = await listProviders(dir);
    const names = r.entries.map((e) => [e.name, e.kind]);
    expect(names).toContainEqual(['extractive', 'extractive']);
    expect(names).toContainEqual(['lan', 'openai']);
    expect(names).toContainEqual(['local-ollama', 'ollama']);
    if (existsSync(GGUF)) expect(names).toContainEqual(['stories260K.gguf', 'llama-cpp']);
    expect(r.default).toBe('lan');
    expect(r.entries.find((e) => e.name === 'broken')!.error).toMatch(/baseUrl/);
    expect(r.problems.join('\n')).toMatch(/unknown kind "vertex"/);
    expect(JSON.stringify(r)).not.toContain('do-not-print');
  });

  it('gets providers by name, once; unknown names are the user’s error', async () => {
    const lan = await getProvider('lan', dir);
    expect(lan.id).toMatch(/^openai:m@127\.0\.0\.1:/);
    expect(await getProvider(undefined, dir)).toBe(lan);
    expect((await getProvider('extractive', dir)).mode).toBe('compose');
    await expect(getProvider('nope', dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getProvider('broken', dir)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(resolveProvider('nope', dir)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const fallback = await resolveProvider('broken', dir);
    expect(fallback.provider.mode).toBe('compose');
    expect(fallback.note).toMatch(/extractive/);
  });

  it.runIf(existsSync(GGUF))('loads a GGUF placed in DATA/models with 2 threads', async () => {
    const p = await getProvider('stories260K.gguf', dir);
    expect(p.id).toBe('llama-cpp:stories260K.gguf@270cba1bd510');
    expect(p.describe().settings).toMatchObject({ threads: 2 });
  });

  it('takes new kinds through registration, not code changes', async () => {
    registerProviderKind({
      kind: 'echo',
      discover: async () => [{ name: 'echo-1', kind: 'echo', summary: 'test kind', settings: {} }],
      create: async () => ({ mode: 'chat', id: 'echo', describe: () => ({ name: 'echo-1', kind: 'echo', id: 'echo', model: 'echo' }), generate: async () => ({ text: '{"sentences": []}', toolCalls: [] }) }),
    });
    expect((await listProviders(dir)).entries.map((e) => e.name)).toContain('echo-1');
    expect((await getProvider('echo-1', dir)).id).toBe('echo');
  });
});

describe('cairn models', () => {
  it('list prints each model, the default starred, and warnings', async () => {
    const c = cli();
    await c.run('models', 'list');
    const text = c.out.join('\n');
    expect(text).toMatch(/^\* lan\s+openai/m);
    expect(text).toMatch(/^ {2}extractive\s+extractive/m);
    expect(text).toMatch(/broken\s+openai\s+UNUSABLE/);
    expect(text).toMatch(/warning: .*vertex/);
    const j = cli();
    await j.run('models', 'list', '--json');
    expect(JSON.parse(j.out[0]!).default).toBe('lan');
  });

  it('test runs the canned question end to end against an endpoint and the extractive composer', async () => {
    const c = cli();
    await c.run('models', 'test', 'lan', '--json');
    const r = JSON.parse(c.out[0]!);
    expect(r).toMatchObject({ name: 'lan', ok: true, answer: { status: 'answered' } });
    expect(r.answer.sentences[0].citations[0].quote).toContain('12 March');
    expect(c.exit.code).toBe(0);
    const e = cli();
    await e.run('models', 'test', 'extractive');
    expect(e.out.join('\n')).toMatch(/^ok {2}extractive/m);
  });

  it('test exits 1 naming the failure when the model is unusable', async () => {
    const c = cli();
    await c.run('models', 'test', 'local-ollama', '--json').catch(() => undefined);
    // Nothing listens on that port: the answer falls back and the command says why.
    const r = JSON.parse(c.out[0]!);
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/unreachable/);
    expect(c.exit.code).toBe(1);
  });
});
