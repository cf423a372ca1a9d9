import { appendFile, mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { OpName } from '../../main/api/contract.js';
import { type CairnHttpServer, createHttpServer } from '../../main/api/http.js';
import { OP_NAMES, runOp } from '../../main/api/ops.js';
import { PERMISSIONS } from '../../main/api/permissions.js';
import { issueToken, TokenAuthenticator } from '../../main/api/user-tokens.js';
import { runCli } from '../../main/cli/index.js';

const HEX = 'a'.repeat(64);
const REPORT = 'The cargo vessel Blue Heron arrived at Port Sarn on 12 March 2024. It carried forty containers of grain from Velmar.';

/** A valid input for every operation, so a refusal can only come from the role check. */
const SAMPLE: Record<OpName, (file: string) => unknown> = {
  ingest: (file) => ({ paths: [file] }),
  search: () => ({ query: 'Blue Heron' }),
  tracks: () => ({}),
  ask: () => ({ question: 'When did the Blue Heron arrive?' }),
  sources: () => ({}),
  auditRecords: () => ({}),
  auditVerify: () => ({}),
  feedback: () => ({ answerId: HEX, rating: 'up' }),
  feedbackList: () => ({}),
  chunk: () => ({ id: HEX }),
  conversations: () => ({}),
  conversation: () => ({ id: 'c1' }),
  sourceContent: () => ({ id: HEX }),
  packageVerify: (file) => ({ path: file }),
  packageImport: (file) => ({ path: file }),
  keysList: () => ({}),
  auditExport: () => ({ format: 'jsonl' }),
  usersList: () => ({}),
};

const USERS = {
  adm: { clearance: 'TOP SECRET', compartments: ['SI'], nationality: 'USA', roles: ['administrator'] },
  ann: { clearance: 'SECRET', nationality: 'USA', roles: ['analyst'] },
  bob: { clearance: 'SECRET', nationality: 'USA', roles: ['analyst'] },
  rev: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['reviewer'] },
  nobody: { clearance: 'SECRET', nationality: 'USA', roles: [] },
};

describe('roles: one table, enforced for every transport', () => {
  let root: string;
  let data: string;
  let file: string;
  let adm: Cairn;
  const as = (name: string): Promise<Cairn> => adm.forUser(name);

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-roles-'));
    data = path.join(root, 'data');
    await mkdir(data, { recursive: true });
    file = path.join(root, 'report.txt');
    await writeFile(file, REPORT);
    await writeFile(path.join(data, 'users.json'), JSON.stringify({ users: USERS }));
    adm = await Cairn.open(data, { actor: 'adm' });
    expect((await adm.ingest({ paths: [file] })).ingested).toBe(1);
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('every operation of the contract has an entry in the table', () => {
    for (const op of OP_NAMES) expect(PERMISSIONS[op]?.roles.length, op).toBeGreaterThan(0);
  });

  it('a user with no role is refused every operation with FORBIDDEN, before anything runs', async () => {
    const nobody = await as('nobody');
    for (const op of OP_NAMES) {
      const sample = SAMPLE[op];
      expect(sample, `no sample input for ${op}: add one to SAMPLE (and an entry in PERMISSIONS)`).toBeDefined();
      await expect(runOp(nobody, op, sample(file)), op).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('a reviewer may not ingest: FORBIDDEN naming the roles needed', async () => {
    const err = await runOp(await as('rev'), 'ingest', { paths: [file] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FORBIDDEN' });
    expect((err as Error).message).toContain('needs the analyst or administrator role');
    expect((err as Error).message).toContain('rev has reviewer');
  });

  it('an analyst may ingest, search and ask, but not switch the embedder or repair the audit log', async () => {
    const ann = await as('ann');
    expect((await runOp(ann, 'ingest', { paths: [file] })).exists).toBe(1);
    expect((await runOp(ann, 'search', { query: 'Blue Heron' })).hits.length).toBeGreaterThan(0);
    await expect(ann.reembed('hashed')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('administrator') });
    await expect(ann.auditRepair()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("an analyst reads only their own audit records; reviewers and administrators read everyone's", async () => {
    await runOp(await as('ann'), 'ask', { question: 'When did the Blue Heron arrive?' });
    await runOp(await as('bob'), 'ask', { question: 'What did the Blue Heron carry?' });
    const annSees = await runOp(await as('ann'), 'auditRecords', {});
    expect(annSees.length).toBeGreaterThan(0);
    expect(new Set(annSees.map((r) => r.actor))).toEqual(new Set(['ann']));
    expect(JSON.stringify(annSees)).not.toContain('What did the Blue Heron carry?');
    for (const who of ['rev', 'adm']) {
      const actors = new Set((await runOp(await as(who), 'auditRecords', {})).map((r) => r.actor));
      expect([...actors].sort(), who).toEqual(expect.arrayContaining(['adm', 'ann', 'bob']));
    }
  });

  it("an analyst lists only their own feedback; reviewers and administrators list everyone's", async () => {
    const annAnswer = await runOp(await as('ann'), 'ask', { question: 'When did the Blue Heron arrive?' });
    const bobAnswer = await runOp(await as('bob'), 'ask', { question: 'What did the Blue Heron carry?' });
    await runOp(await as('ann'), 'feedback', { answerId: annAnswer.auditId, kind: 'rating', rating: 'up' });
    await runOp(await as('bob'), 'feedback', { answerId: bobAnswer.auditId, kind: 'rating', rating: 'down' });
    expect(new Set((await runOp(await as('ann'), 'feedbackList', {})).map((r) => r.user))).toEqual(new Set(['ann']));
    for (const who of ['rev', 'adm']) {
      expect(new Set((await runOp(await as(who), 'feedbackList', {})).map((r) => r.user)), who).toEqual(new Set(['ann', 'bob']));
    }
  });

  it('over HTTP a refusal is 403 FORBIDDEN, uploads included (nothing written); the server token acts as its owner', async () => {
    const tokens = new TokenAuthenticator(data);
    const server: CairnHttpServer = await createHttpServer(adm, { port: 0, users: { authenticate: async (t) => ((n) => (n === undefined ? undefined : adm.forUser(n)))(await tokens.userFor(t)) } });
    try {
      const rev = (await issueToken(data, 'rev')).token;
      const post = (op: string, token: string, body: unknown): Promise<Response> => fetch(`${server.url}/api/${op}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const res = await post('ingest', rev, { paths: [file] });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('analyst or administrator') });
      const up = await fetch(`${server.url}/api/upload?name=x.txt`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${rev}` }, body: 'some text' });
      expect(up.status).toBe(403);
      expect(await readdir(path.join(data, 'inbox')).catch(() => [])).toEqual([]);
      // The reviewer reads; the server token (adm) ingests.
      expect((await post('search', rev, { query: 'Blue Heron' })).status).toBe(200);
      expect((await post('ingest', server.token, { paths: [file] })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("auditVerify works for all, but only reviewers see the broken record's details", async () => {
    const d2 = path.join(root, 'data2');
    await mkdir(d2, { recursive: true });
    await writeFile(path.join(d2, 'users.json'), JSON.stringify({ users: USERS }));
    const a = await Cairn.open(d2, { actor: 'adm' });
    await a.ingest({ paths: [file] });
    await appendFile(path.join(d2, 'audit', 'log.jsonl'), 'ann-private-question about Kessel\n');
    const full = await runOp(await a.forUser('rev'), 'auditVerify', {});
    const redacted = await runOp(await a.forUser('ann'), 'auditVerify', {});
    expect(full.ok).toBe(false);
    expect(redacted.ok).toBe(false);
    if (full.ok || redacted.ok) return;
    expect(redacted.firstBroken.line).toBe(full.firstBroken.line);
    expect(redacted.firstBroken.reason).toBe(full.firstBroken.reason);
    expect(redacted.firstBroken.message).not.toContain('Kessel');
    expect(redacted.firstBroken.message).toContain('a reviewer or administrator can see the details');
  });

  describe('CLI commands that bypass the operations check the same table', () => {
    const saved = process.env.CAIRN_USER;
    afterAll(() => {
      if (saved === undefined) delete process.env.CAIRN_USER;
      else process.env.CAIRN_USER = saved;
    });

    async function cli(user: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
      process.env.CAIRN_USER = user;
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['node', 'cairn', '--data', data, ...args], { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    }

    it('an analyst may not import packages, manage keys or users (exit 1, naming the role)', async () => {
      const refused = [
        ['package', 'import', path.join(root, 'missing.pkg')],
        ['keys', 'generate', '--name', 'k1', '--out', path.join(root, 'keys')],
        ['keys', 'trust', path.join(root, 'missing.pub'), '--name', 'x'],
        ['keys', 'revoke', 'x'],
        ['users', 'list'],
        ['users', 'token', 'ann'],
        ['users', 'revoke-token', 'ann'],
      ];
      for (const args of refused) {
        const r = await cli('ann', ...args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.err, args.join(' ')).toMatch(/ann may not .*needs the administrator role/);
      }
      await expect(readdir(path.join(root, 'keys'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('an administrator may (keys generate, users token)', async () => {
      expect((await cli('adm', 'keys', 'generate', '--name', 'k1', '--out', path.join(root, 'keys'))).code).toBe(0);
      const t = await cli('adm', 'users', 'token', 'ann', '--json');
      expect(t.code).toBe(0);
      expect((JSON.parse(t.out) as { user: string }).user).toBe('ann');
    });
  });
});
