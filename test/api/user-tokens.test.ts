import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { CairnHttpServer } from '../../main/api/http.js';
import { parseSse } from '../../main/api/sse.js';
import { issueToken, listTokens, revokeToken, TokenAuthenticator, tokensFile } from '../../main/api/user-tokens.js';
import { type CliContext, runCli } from '../../main/cli/index.js';
import { startServe } from '../../main/cli/commands/serve.js';

const REPORT = 'The cargo vessel Blue Heron arrived at Port Sarn on 12 March 2024. It carried forty containers of grain from Velmar.';
const USERS = {
  adm: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['administrator'] },
  ann: { clearance: 'SECRET', nationality: 'USA', roles: ['analyst'] },
  rev: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['reviewer'] },
};
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('per-user HTTP tokens', () => {
  let root: string;
  let data: string;
  const savedUser = process.env.CAIRN_USER;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-tokens-'));
    data = path.join(root, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: USERS }));
    await writeFile(path.join(root, 'report.txt'), REPORT);
    process.env.CAIRN_USER = 'adm';
  });

  afterAll(async () => {
    if (savedUser === undefined) delete process.env.CAIRN_USER;
    else process.env.CAIRN_USER = savedUser;
    await rm(root, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['node', 'cairn', '--data', data, ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('stores only the hash, in a file of mode 0600; reissuing replaces the token; revoking removes it', async () => {
    const dir = path.join(root, 'unit');
    const first = await issueToken(dir, 'ann');
    const second = await issueToken(dir, 'ann');
    const text = await readFile(tokensFile(dir), 'utf8');
    expect((await stat(tokensFile(dir))).mode & 0o777).toBe(0o600);
    expect(text).not.toContain(first.token);
    expect(text).not.toContain(second.token);
    expect(text).toContain(sha256(second.token));
    const auth = new TokenAuthenticator(dir);
    expect(await auth.userFor(second.token)).toBe('ann');
    expect(await auth.userFor(first.token)).toBeUndefined();
    expect(await auth.userFor(`${second.token}x`)).toBeUndefined();
    expect(await listTokens(dir)).toEqual([{ user: 'ann', issuedAt: second.issuedAt }]);
    expect(await revokeToken(dir, 'ann')).toBe(true);
    expect(await revokeToken(dir, 'ann')).toBe(false);
    expect(await auth.userFor(second.token)).toBeUndefined();
  });

  it('`cairn users token` prints the token once, refuses unlisted users, and `users list` shows who holds one', async () => {
    const t = await cli('users', 'token', 'ann', '--json');
    expect(t.code).toBe(0);
    const issued = JSON.parse(t.out) as { user: string; token: string };
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ghost = await cli('users', 'token', 'mallory');
    expect(ghost.code).toBe(1);
    expect(ghost.err).toContain('not listed');
    // Without a users file there is no one to issue a token to (the server token serves a single-user workstation).
    const errs: string[] = [];
    expect(await runCli(['node', 'cairn', '--data', path.join(root, 'no-users'), 'users', 'token', 'ann'], { out: () => undefined, err: (e) => errs.push(e) })).toBe(1);
    expect(errs.join('\n')).toContain('per-user tokens need');
    const list = await cli('users', 'list', '--json');
    expect(list.code).toBe(0);
    expect(list.out).not.toContain(sha256(issued.token));
    const rows = (JSON.parse(list.out) as { users: { name: string; roles: string[]; token: { issuedAt: string } | null }[] }).users;
    expect(rows.find((r) => r.name === 'ann')?.token).not.toBeNull();
    expect(rows.find((r) => r.name === 'rev')?.token).toBeNull();
    expect(rows.find((r) => r.name === 'adm')?.roles).toEqual(['administrator']);
    // Issuing and revoking are audited, without the token.
    const audit = await readFile(path.join(data, 'audit', 'log.jsonl'), 'utf8');
    expect(audit).toContain('"users.token"');
    expect(audit).not.toContain(issued.token);
  });

  describe('`cairn serve` runs each call as the token holder', () => {
    let server: CairnHttpServer;
    let ann: string;
    let rev: string;
    const post = async (op: string, token: string, body: unknown = {}): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${server.url}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as unknown };
    };

    beforeAll(async () => {
      ann = (JSON.parse((await cli('users', 'token', 'ann', '--json')).out) as { token: string }).token;
      rev = (JSON.parse((await cli('users', 'token', 'rev', '--json')).out) as { token: string }).token;
      const ctx: CliContext = { io: { out: () => undefined, err: () => undefined }, open: () => Cairn.open(data), dataDir: () => data, setExit: () => undefined, json: () => undefined };
      server = await startServe(ctx, { port: 0, host: '127.0.0.1', static: path.join(root, 'no-build') });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
    });

    it('records the authenticated user as the actor, and applies their roles', async () => {
      const ingested = await post('ingest', ann, { paths: [path.join(root, 'report.txt')] });
      expect(ingested.status).toBe(200);
      const asked = await post('ask', ann, { question: 'When did the Blue Heron arrive?' });
      expect(asked.status).toBe(200);
      const auditId = (asked.body as { auditId: string }).auditId;
      const fb = await post('feedback', ann, { answerId: auditId, rating: 'up' });
      expect(fb.status).toBe(200);
      expect(((await post('feedbackList', rev, { answerId: auditId })).body as unknown[]).length).toBe(1);
      const records = (await post('auditRecords', rev)).body as { actor: string; action: string; hash: string }[];
      expect(records.find((r) => r.hash === auditId)).toMatchObject({ actor: 'ann', action: 'ask' });
      expect(records.filter((r) => r.action === 'ingest').map((r) => r.actor)).toContain('ann');
      expect(records.find((r) => r.hash === (fb.body as { auditId: string }).auditId)).toMatchObject({ actor: 'ann', action: 'feedback' });
      // The reviewer may not ingest; the analyst sees only her own records.
      expect((await post('ingest', rev, { paths: [path.join(root, 'report.txt')] })).status).toBe(403);
      const own = (await post('auditRecords', ann)).body as { actor: string }[];
      expect(new Set(own.map((r) => r.actor))).toEqual(new Set(['ann']));
      // The server's own token acts as whoever started it (adm).
      expect((await post('sources', server.token)).status).toBe(200);
    });

    it('streams (server-sent events, token in the query) as the token holder too', async () => {
      const res = await fetch(`${server.url}/api/events/ask?question=${encodeURIComponent('What did the Blue Heron carry?')}&token=${encodeURIComponent(ann)}`);
      expect(res.status).toBe(200);
      const result = parseSse(await res.text()).find((e) => e.event === 'result')?.data as { auditId: string } | undefined;
      expect(result?.auditId).toMatch(/^[0-9a-f]{64}$/);
      const records = (await post('auditRecords', rev)).body as { actor: string; hash: string }[];
      expect(records.find((r) => r.hash === result?.auditId)?.actor).toBe('ann');
    });

    it('refuses unknown and revoked tokens (401), and tokens of users no longer listed (403)', async () => {
      expect((await post('sources', 'x'.repeat(43))).status).toBe(401);
      expect((await cli('users', 'revoke-token', 'ann')).code).toBe(0);
      const revoked = await post('sources', ann);
      expect(revoked.status).toBe(401);
      expect(revoked.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect((await post('sources', rev)).status).toBe(200);
      await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: { adm: USERS.adm, ann: USERS.ann } }));
      const gone = await post('sources', rev);
      expect(gone.status).toBe(403);
      expect(gone.body).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringContaining('not listed') } });
    });
  });
});
