import { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { CliContext } from '../../main/cli/index.js';
import { defaultRendererDir, register, startServe } from '../../main/cli/commands/serve.js';

describe('cairn serve (command module)', () => {
  let root: string;
  let out: string[];
  let err: string[];
  let ctx: CliContext;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-serve-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const makeCtx = (): CliContext => {
    out = [];
    err = [];
    return {
      io: { out: (s) => out.push(s), err: (s) => err.push(s) },
      open: () => Cairn.open(path.join(root, 'data')),
      dataDir: () => path.join(root, 'data'),
      setExit: () => undefined,
      json: (v) => out.push(JSON.stringify(v)),
    };
  };

  it('refuses a non-loopback --host without --allow-remote, before opening anything', async () => {
    ctx = makeCtx();
    const program = new Command('cairn').exitOverride();
    register(program, ctx);
    await expect(program.parseAsync(['node', 'cairn', 'serve', '--host', '0.0.0.0', '--port', '0'])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(out).toEqual([]);
  });

  it('rejects a bad --port', async () => {
    ctx = makeCtx();
    const program = new Command('cairn').exitOverride();
    register(program, ctx);
    await expect(program.parseAsync(['node', 'cairn', 'serve', '--port', 'http'])).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('--json prints {url, token, open} once; the token works', async () => {
    ctx = makeCtx();
    const server = await startServe(ctx, { port: 0, host: '127.0.0.1', json: true, static: path.join(root, 'no-build') });
    try {
      expect(out).toHaveLength(1);
      const info = JSON.parse(out[0]!) as { url: string; token: string; open: string; port: number };
      expect(info.url).toBe(`http://127.0.0.1:${info.port}`);
      expect(info.open).toBe(`${info.url}/#token=${encodeURIComponent(info.token)}`);
      const res = await fetch(`${info.url}/api/sources`, { method: 'POST', headers: { authorization: `Bearer ${info.token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('prints the URL and the generated token for people', async () => {
    ctx = makeCtx();
    const server = await startServe(ctx, { port: 0, host: '127.0.0.1' });
    try {
      expect(out[0]).toContain(server.url);
      expect(out[1]).toBe(`token: ${server.token}  (generated for this run; shown once)`);
    } finally {
      await server.close();
    }
  });

  it('finds renderer/dist only when built', () => {
    const dir = defaultRendererDir();
    if (dir !== null) expect(dir.endsWith(path.join('renderer', 'dist'))).toBe(true);
    expect(defaultRendererDir(root)).toBeNull();
  });
});
