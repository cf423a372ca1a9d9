/**
 * `cairn keys ...` and `cairn package ...` through commander, as a user
 * types them: the command modules are registered on a program built the
 * way main/cli/index.ts builds it, with the same error-to-exit-code mapping.
 */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { resolveDataDir } from '../../main/api/data-dir.js';
import { register as registerKeys } from '../../main/cli/commands/keys.js';
import { register as registerPackage } from '../../main/cli/commands/package.js';
import type { CliContext } from '../../main/cli/index.js';
import { toCairnError } from '../../main/core/errors.js';
import { type Sandbox, sandbox, writeCorpus } from './helpers.js';

async function cairn(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const io = { out: (s: string) => (out += `${s}\n`), err: (s: string) => (err += `${s}\n`) };
  const program = new Command('cairn').option('--data <dir>').exitOverride().configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const dataDirOf = (): string => resolveDataDir(program.opts<{ data?: string }>().data);
  const ctx: CliContext = { io, dataDir: dataDirOf, open: () => Cairn.open(dataDirOf()), setExit: (c) => (code = Math.max(code, c)), json: (v) => io.out(JSON.stringify(v, null, 2)) };
  registerKeys(program, ctx);
  registerPackage(program, ctx);
  try {
    await program.parseAsync(['node', 'cairn', '--data', dataDir, ...args]);
  } catch (e) {
    if (e instanceof CommanderError) code = e.exitCode === 0 ? 0 : 1;
    else {
      const ce = toCairnError(e);
      io.err(`cairn: ${ce.message}`);
      code = ce.isUserError ? 1 : 2;
    }
  }
  return { code, out, err };
}

let sb: Sandbox;
let pkg: string;
let fingerprint: string;
beforeAll(async () => {
  sb = await sandbox('cairn-pkg-cli-');
  await writeCorpus(sb.src);
  pkg = path.join(sb.root, 'delivery.tar');
});
afterAll(async () => sb.cleanup());

describe('cairn keys / cairn package', () => {
  it('keys generate writes a 0600 private key under DATA/keys/private by default', async () => {
    const r = await cairn(sb.data, 'keys', 'generate', '--name', 'field-office', '--json');
    expect(r.code).toBe(0);
    const k = JSON.parse(r.out) as { privateKeyFile: string; publicKeyFile: string; fingerprint: string };
    expect(k.privateKeyFile).toBe(path.join(sb.data, 'keys', 'private', 'field-office.key'));
    expect((await stat(k.privateKeyFile)).mode & 0o777).toBe(0o600);
    fingerprint = k.fingerprint;
    const human = await cairn(sb.data, 'keys', 'generate', '--name', 'other', '--out', path.join(sb.root, 'elsewhere'));
    expect(human.out).toMatch(/fingerprint ([0-9a-f]{4} ){15}[0-9a-f]{4}/);
  });

  it('package create signs the folder', async () => {
    const r = await cairn(sb.data, 'package', 'create', sb.src, '--out', pkg, '--key', path.join(sb.data, 'keys', 'private', 'field-office.key'), '--marking', 'CUI', '--originator', 'Harbour Watch', '--collected', '2024-05-01');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 files/);
  });

  it('package verify fails with SIGNER_UNTRUSTED until the key is trusted, then passes', async () => {
    const before = await cairn(sb.data, 'package', 'verify', pkg, '--json');
    expect(before.code).toBe(1);
    const report = JSON.parse(before.out) as { ok: boolean; problems: { code: string; path?: string; message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['SIGNER_UNTRUSTED']);
    const human = await cairn(sb.data, 'package', 'verify', pkg);
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/NOT valid \(1 problem\)[\s\S]*SIGNER_UNTRUSTED "manifest.sig"/);

    const t = await cairn(sb.data, 'keys', 'trust', path.join(sb.data, 'keys', 'private', 'field-office.pub'), '--name', 'field-office');
    expect(t.code).toBe(0);
    const list = await cairn(sb.data, 'keys', 'list');
    expect(list.out).toContain(`field-office`);
    expect(list.out).toContain(fingerprint.slice(0, 4));

    const after = await cairn(sb.data, 'package', 'verify', pkg, '--json');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.out)).toMatchObject({ ok: true, publisher: { fingerprint, trustedAs: 'field-office' }, problems: [] });
    expect((await cairn(sb.data, 'package', 'verify', pkg)).out).toMatch(/^package OK/);
  });

  it('verify --trust takes another trust store; --max-entries limits the archive', async () => {
    const empty = path.join(sb.root, 'empty-trust');
    await writeFile(path.join(sb.root, 'trust.json'), (await cairn(sb.data, 'keys', 'list', '--json')).out);
    expect((await cairn(sb.data, 'package', 'verify', pkg, '--trust', path.join(sb.root, 'trust.json'))).code).toBe(0);
    const missing = await cairn(sb.data, 'package', 'verify', pkg, '--trust', empty);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no trust store at/);
    const limited = await cairn(sb.data, 'package', 'verify', pkg, '--max-entries', '2', '--json');
    expect(JSON.parse(limited.out).problems[0].code).toBe('TOO_MANY_ENTRIES');
    expect((await cairn(sb.data, 'package', 'verify', pkg, '--max-entry-bytes', 'lots')).code).toBe(1);
  });

  it('package import ingests; a second import adds nothing; --resume without an interruption is refused', async () => {
    const r = await cairn(sb.data, 'package', 'import', pkg, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ingested: 3, exists: 0, failed: 0 });
    const again = await cairn(sb.data, 'package', 'import', pkg);
    expect(again.out).toMatch(/0 ingested, 3 already present, 0 failed/);
    const resume = await cairn(sb.data, 'package', 'import', pkg, '--resume');
    expect(resume.code).toBe(1);
    expect(resume.err).toMatch(/already imported completely/);
    const sources = await (await Cairn.open(sb.data)).sources();
    expect(sources.map((s) => s.marking)).toEqual(['CUI', 'CUI', 'CUI']);
  });

  it('keys revoke makes the package fail with SIGNER_REVOKED; import --json reports the problems', async () => {
    const r = await cairn(sb.data, 'keys', 'revoke', 'field-office', '--reason', 'rotated');
    expect(r.code).toBe(0);
    const v = await cairn(sb.data, 'package', 'verify', pkg, '--json');
    expect(JSON.parse(v.out).problems).toEqual([expect.objectContaining({ code: 'SIGNER_REVOKED', path: 'manifest.sig' })]);
    const imp = await cairn(sb.data, 'package', 'import', pkg, '--json');
    expect(imp.code).toBe(1);
    expect(JSON.parse(imp.out)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', problems: [{ code: 'SIGNER_REVOKED' }] } });
    const human = await cairn(sb.data, 'package', 'import', pkg);
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/failed verification; nothing was imported:\n {2}- SIGNER_REVOKED/);
    const list = await cairn(sb.data, 'keys', 'list');
    expect(list.out).toMatch(/revoked:\n {2}field-office .* since .*\(rotated\)/);
  });

  it('key trust and revoke are audited', async () => {
    const records = await (await Cairn.open(sb.data)).auditRecords();
    expect(records.map((r) => r.action)).toEqual(expect.arrayContaining(['keys.trust', 'keys.revoke', 'package.import', 'package.import.refused']));
  });
});
