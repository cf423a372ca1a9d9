import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthThrottle } from '../../main/api/auth-throttle.js';
import { Cairn } from '../../main/api/cairn.js';
import { createHttpServer, type CairnHttpServer } from '../../main/api/http.js';
import { issueToken, TokenAuthenticator } from '../../main/api/user-tokens.js';
import { type CliContext } from '../../main/cli/index.js';
import { startServe } from '../../main/cli/commands/serve.js';

describe('AuthThrottle', () => {
  it('locks an address after too many refused tokens in the window, and only that address', () => {
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 10_000, lockMs: 30_000 });
    expect(t.fail('a', 0)).toBe(0);
    expect(t.fail('a', 1_000)).toBe(0);
    expect(t.fail('a', 2_000)).toBe(30);
    expect(t.retryAfter('a', 2_000)).toBe(30);
    expect(t.retryAfter('b', 2_000)).toBe(0);
    expect(t.retryAfter('a', 32_001)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const t = new AuthThrottle({ maxFailures: 3, windowMs: 10_000, lockMs: 30_000 });
    t.fail('a', 0);
    t.fail('a', 1_000);
    expect(t.fail('a', 12_000)).toBe(0); // the first two have aged out
    expect(t.retryAfter('a', 12_000)).toBe(0);
  });

  it('keeps a bounded number of addresses', () => {
    const t = new AuthThrottle({ maxFailures: 2, maxAddresses: 2 });
    t.fail('a', 0);
    t.fail('b', 0);
    t.fail('c', 0); // 'a' is forgotten
    expect(t.fail('a', 1)).toBe(0);
    expect(t.fail('c', 1)).toBeGreaterThan(0);
  });
});

describe('HTTP server: token guessing and per-user-only mode', () => {
  let root: string;
  let data: string;
  let cairn: Cairn;
  const savedUser = process.env.CAIRN_USER;

  beforeAll(async () => {
    process.env.CAIRN_USER = 'adm';
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-throttle-'));
    data = path.join(root, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: { adm: { clearance: 'SECRET', nationality: 'USA', roles: ['administrator'] }, ann: { clearance: 'SECRET', nationality: 'USA', roles: ['analyst'] } } }));
    cairn = await Cairn.open(data);
  }, 60_000);
  afterAll(async () => {
    if (savedUser === undefined) delete process.env.CAIRN_USER;
    else process.env.CAIRN_USER = savedUser;
    await rm(root, { recursive: true, force: true });
  });

  const call = (server: CairnHttpServer, token: string) =>
    fetch(`${server.url}/api/sources`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });

  it('answers 429 with Retry-After once an address has sent too many wrong tokens, even with the right one', async () => {
    const server = await createHttpServer(cairn, { port: 0, staticDir: null, throttle: { maxFailures: 3, lockMs: 60_000 } });
    try {
      expect((await call(server, server.token)).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await call(server, `wrong-token-guess-${i}-xxxxxxxx`)).status).toBe(401);
      const locked = await call(server, server.token);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    } finally {
      await server.close();
    }
  });

  it('--users-only refuses the server token and runs per-user tokens as their user', async () => {
    const ctx: CliContext = { io: { out: () => undefined, err: () => undefined }, open: () => Cairn.open(data), dataDir: () => data, setExit: () => undefined, json: () => undefined };
    // No per-user token issued yet: refused up front, with what to do.
    await expect(startServe(ctx, { port: 0, host: '127.0.0.1', usersOnly: true, static: path.join(root, 'no-build') })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/users token/) });
    const { token } = await issueToken(data, 'ann');
    expect(await new TokenAuthenticator(data).userFor(token)).toBe('ann');
    const server = await startServe(ctx, { port: 0, host: '127.0.0.1', usersOnly: true, static: path.join(root, 'no-build') });
    try {
      const refused = await call(server, server.token);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/per-user tokens only/);
      expect((await call(server, token)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
