/**
 * The administrative operations against a real data folder and a real signed
 * package: verify (all roles), import (administrators, streamed progress),
 * keys and users (no token hashes ever).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { contract, type StreamEvent } from '../../main/api/contract.js';
import { runOp } from '../../main/api/ops.js';
import { issueToken } from '../../main/api/user-tokens.js';
import { makePackage, type Sandbox, sandbox, tamperedCopy, trustedPublisher, writeCorpus } from '../packages/helpers.js';

const USERS = {
  adm: { clearance: 'TOP SECRET', nationality: 'USA', roles: ['administrator'] },
  ann: { clearance: 'SECRET', nationality: 'USA', roles: ['analyst'] },
};

describe('admin operations: packageVerify, packageImport, keysList, usersList', () => {
  let sb: Sandbox;
  let pkg: string;
  let tampered: string;
  let adm: Cairn;
  let ann: Cairn;

  beforeAll(async () => {
    sb = await sandbox('cairn-admin-ops-');
    await writeCorpus(sb.src);
    pkg = (await makePackage(sb, await trustedPublisher(sb, 'field-office'))).out;
    tampered = await tamperedCopy(pkg, path.join(sb.root, 'tampered.tar'));
    await writeFile(path.join(sb.data, 'users.json'), JSON.stringify({ users: USERS }));
    await issueToken(sb.data, 'ann');
    adm = await Cairn.open(sb.data, { actor: 'adm' });
    ann = await adm.forUser('ann');
  }, 60_000);

  afterAll(async () => {
    await sb.cleanup();
  });

  it('an administrator verifies a package: ok, with the trusted publisher and every file; an analyst may not (server paths)', async () => {
    await expect(runOp(ann, 'packageVerify', { path: pkg })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const v = await runOp(adm, 'packageVerify', { path: pkg });
    expect(v).toMatchObject({ ok: true, problems: [], publisher: { name: 'field-office', trustedAs: 'field-office' } });
    expect(v.files.map((f) => f.path).sort()).toEqual(['convoy.txt', 'reports/pier.md', 'web/bulletin.html']);
  });

  it('a tampered copy: not ok, naming the changed file', async () => {
    const v = await runOp(adm, 'packageVerify', { path: tampered });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ code: 'FILE_HASH_MISMATCH', path: 'files/convoy.txt' })]);
  });

  it('an analyst calling packageImport gets FORBIDDEN naming the administrator role, and nothing is imported', async () => {
    const err = await runOp(ann, 'packageImport', { path: pkg }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('administrator') });
    expect(await adm.sources()).toEqual([]);
  });

  it('an analyst may list keys but not users', async () => {
    const keys = await runOp(ann, 'keysList', {});
    expect(keys.trusted.map((k) => k.name)).toEqual(['field-office']);
    expect(keys.trusted[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await expect(runOp(ann, 'usersList', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('an administrator lists users with roles, clearance and whether a token is issued, never a hash', async () => {
    const users = await runOp(adm, 'usersList', {});
    expect(users.configured).toBe(true);
    expect(users.users.map((u) => [u.name, u.roles, u.clearance, u.token !== null])).toEqual([
      ['adm', ['administrator'], 'TOP SECRET', false],
      ['ann', ['analyst'], 'SECRET', true],
    ]);
    const tokens = await readFile(path.join(sb.data, 'users-tokens.json'), 'utf8');
    const hash = (JSON.parse(tokens) as { tokens: Record<string, { sha256: string }> }).tokens.ann?.sha256;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(users)).not.toContain(hash);
  });

  it('an administrator imports: progress for extraction and ingest, then the summary; a tampered copy is refused', async () => {
    await expect(runOp(adm, 'packageImport', { path: tampered })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('FILE_HASH_MISMATCH') });
    const events: StreamEvent[] = [];
    const r = await runOp(adm, 'packageImport', { path: pkg }, { signal: new AbortController().signal, emit: (e) => events.push(e) });
    expect(contract.packageImport.output.parse(r)).toEqual(r);
    expect(r).toMatchObject({ ingested: 3, exists: 0, failed: 0, resumed: false });
    const files = events.filter((e) => e.event === 'progress').map((e) => (e.data as { file: string }).file);
    expect(files.some((f) => f.startsWith('extract '))).toBe(true);
    expect(files.some((f) => f.startsWith('ingest '))).toBe(true);
    expect((await adm.sources()).length).toBe(3);
    expect((await runOp(adm, 'packageImport', { path: pkg })).exists).toBe(3);
  }, 60_000);
});
