/**
 * Damage to a real package, each detected with the right problem, and each
 * refused by import before anything reaches the store or the disk.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { createPackage, loadTrustStore, PackageInvalidError, readPrivateKeyFile, revokeKey, type Problem, verifyPackage } from '../../main/packages/index.js';
import { encodeSignature } from '../../main/packages/manifest.js';
import { signBytes } from '../../main/packages/keys.js';
import { dataTrust, filesUnder, importInto, makePackage, newKey, readEntries, type RawEntry, type Sandbox, sandbox, trustedPublisher, writeCorpus, writeEntries } from './helpers.js';

let sb: Sandbox;
let good: string;
let entries: RawEntry[];
let privateKeyFile: string;

beforeAll(async () => {
  sb = await sandbox('cairn-tamper-');
  await writeCorpus(sb.src);
  const key = await trustedPublisher(sb);
  privateKeyFile = key.privateKeyFile;
  good = (await makePackage(sb, key)).out;
  entries = await readEntries(good);
});
afterAll(async () => sb.cleanup());

let n = 0;
/** A copy of the good package with its entries changed by `edit`. */
async function variant(edit: (es: RawEntry[]) => RawEntry[]): Promise<string> {
  const out = path.join(sb.root, `variant-${++n}.tar`);
  await writeEntries(out, edit(entries.map((e) => ({ ...e, body: e.body ? Buffer.from(e.body) : undefined }))));
  return out;
}

const body = (es: RawEntry[], p: string): Buffer => es.find((e) => e.path === p)!.body!;

async function problemsOf(pkg: string): Promise<Problem[]> {
  const v = await verifyPackage(pkg, { trustStore: await dataTrust(sb) });
  expect(v.ok).toBe(false);
  return v.problems;
}

/** Import refuses with exactly these problem codes and leaves no trace. */
async function refusedByImport(pkg: string, code: Problem['code']): Promise<void> {
  const err = await importInto(sb, pkg).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PackageInvalidError);
  expect((err as PackageInvalidError).problems.map((p) => p.code)).toContain(code);
  expect((err as PackageInvalidError).isUserError).toBe(true);
  expect(await (await Cairn.open(sb.data)).sources()).toEqual([]);
  expect(await filesUnder(path.join(sb.data, 'packages'))).toEqual([]);
}

describe('tampered packages', () => {
  it('the intact package verifies (control)', async () => {
    expect((await verifyPackage(good, { trustStore: await dataTrust(sb) })).problems).toEqual([]);
  });

  it("a file's bytes changed: FILE_HASH_MISMATCH naming the file", async () => {
    const pkg = await variant((es) => {
      const b = body(es, 'files/convoy.txt');
      b[4] = b[4]! ^ 0x01;
      return es;
    });
    expect(await problemsOf(pkg)).toEqual([{ code: 'FILE_HASH_MISMATCH', path: 'files/convoy.txt', message: expect.stringMatching(/sha256 [0-9a-f]{64}, the manifest lists/) }]);
    await refusedByImport(pkg, 'FILE_HASH_MISMATCH');
  });

  it("a file's length changed: FILE_SIZE_MISMATCH", async () => {
    const pkg = await variant((es) => es.map((e) => (e.path === 'files/web/bulletin.html' ? { ...e, body: Buffer.concat([e.body!, Buffer.from('<script>x</script>')]) } : e)));
    expect(await problemsOf(pkg)).toEqual([expect.objectContaining({ code: 'FILE_SIZE_MISMATCH', path: 'files/web/bulletin.html' })]);
  });

  it('the manifest edited after signing (a marking downgraded): SIGNATURE_INVALID', async () => {
    const pkg = await variant((es) =>
      es.map((e) => (e.path === 'manifest.json' ? { ...e, body: Buffer.from(e.body!.toString().replace('"Field Office 3"', '"Someone Else!"')) } : e)),
    );
    expect(await problemsOf(pkg)).toEqual([expect.objectContaining({ code: 'SIGNATURE_INVALID', path: 'manifest.sig' })]);
    await refusedByImport(pkg, 'SIGNATURE_INVALID');
  });

  it('a manifest that is not valid JSON or not the schema: MANIFEST_INVALID with the field', async () => {
    const broken = await variant((es) => es.map((e) => (e.path === 'manifest.json' ? { ...e, body: Buffer.from('{"format": "cairn-package/1",') } : e)));
    expect((await problemsOf(broken)).map((p) => p.code)).toContain('MANIFEST_INVALID');
    const wrong = await variant((es) => es.map((e) => (e.path === 'manifest.json' ? { ...e, body: Buffer.from(e.body!.toString().replace(/"sha256": "[0-9a-f]+"/, '"sha256": "zz"')) } : e)));
    const problems = await problemsOf(wrong);
    expect(problems[0]).toMatchObject({ code: 'MANIFEST_INVALID', path: 'manifest.json', message: expect.stringContaining('files.0.sha256') });
  });

  it('signed by a key that is not trusted: SIGNER_UNTRUSTED naming the fingerprint', async () => {
    const stranger = await newKey(path.join(sb.root, 'stranger'), 'stranger');
    const pkg = (await createPackage({ dir: sb.src, out: path.join(sb.root, 'stranger.tar'), keyFile: stranger.privateKeyFile })).out;
    const problems = await problemsOf(pkg);
    expect(problems).toEqual([{ code: 'SIGNER_UNTRUSTED', path: 'manifest.sig', message: expect.stringContaining(stranger.fingerprint.slice(0, 4)) }]);
    expect(problems[0]!.message).toMatch(/cairn keys trust/);
    await refusedByImport(pkg, 'SIGNER_UNTRUSTED');
  });

  it('re-signed by an attacker after editing: SIGNER_UNTRUSTED and SIGNER_MISMATCH', async () => {
    const attacker = await newKey(path.join(sb.root, 'attacker'), 'attacker');
    const k = await readPrivateKeyFile(attacker.privateKeyFile);
    const pkg = await variant((es) => {
      const manifest = Buffer.from(body(es, 'manifest.json').toString().replace('"UNCLASSIFIED"', '"CUI"'));
      const sig = encodeSignature({ format: 'cairn-signature/1', algorithm: 'ed25519', fingerprint: k.fingerprint, signature: signBytes(manifest, k.privateKey).toString('base64') });
      return es.map((e) => (e.path === 'manifest.json' ? { ...e, body: manifest } : e.path === 'manifest.sig' ? { ...e, body: sig } : e));
    });
    expect((await problemsOf(pkg)).map((p) => p.code).sort()).toEqual(['SIGNER_MISMATCH', 'SIGNER_UNTRUSTED']);
  });

  it('an extra file not in the manifest: FILE_UNLISTED', async () => {
    const pkg = await variant((es) => [...es, { path: 'files/zz-extra.txt', body: Buffer.from('added after signing') }]);
    expect(await problemsOf(pkg)).toEqual([expect.objectContaining({ code: 'FILE_UNLISTED', path: 'files/zz-extra.txt' })]);
    await refusedByImport(pkg, 'FILE_UNLISTED');
  });

  it('a listed file missing: FILE_MISSING', async () => {
    const pkg = await variant((es) => es.filter((e) => e.path !== 'files/reports/pier.md'));
    expect(await problemsOf(pkg)).toEqual([expect.objectContaining({ code: 'FILE_MISSING', path: 'files/reports/pier.md' })]);
    await refusedByImport(pkg, 'FILE_MISSING');
  });

  it('no signature or no manifest: SIGNATURE_MISSING, MANIFEST_MISSING', async () => {
    expect(await problemsOf(await variant((es) => es.filter((e) => e.path !== 'manifest.sig')))).toEqual([expect.objectContaining({ code: 'SIGNATURE_MISSING' })]);
    expect(await problemsOf(await variant((es) => es.filter((e) => e.path !== 'manifest.json')))).toEqual([expect.objectContaining({ code: 'MANIFEST_MISSING' })]);
  });

  it('an entry outside the layout: UNEXPECTED_ENTRY', async () => {
    const pkg = await variant((es) => [...es, { path: 'autorun.sh', body: Buffer.from('#!/bin/sh\n') }]);
    expect(await problemsOf(pkg)).toEqual([expect.objectContaining({ code: 'UNEXPECTED_ENTRY', path: 'autorun.sh' })]);
  });

  it('a truncated archive or one that is not a tar at all: ARCHIVE_UNREADABLE', async () => {
    const bytes = await readFile(good);
    const cut = path.join(sb.root, 'cut.tar');
    await writeFile(cut, bytes.subarray(0, 2048 + 100));
    expect((await problemsOf(cut)).map((p) => p.code)).toContain('ARCHIVE_UNREADABLE');
    const junk = path.join(sb.root, 'junk.tar');
    await writeFile(junk, Buffer.alloc(64 * 1024, 0x41));
    expect((await problemsOf(junk)).map((p) => p.code)).toContain('ARCHIVE_UNREADABLE');
    const none = await verifyPackage(path.join(sb.root, 'does-not-exist.tar'), { trustStore: await dataTrust(sb) });
    expect(none.problems).toEqual([expect.objectContaining({ code: 'ARCHIVE_UNREADABLE', message: expect.stringContaining('ENOENT') })]);
  });

  it('a marking this installation does not accept: MARKING_INVALID (with a policy)', async () => {
    const { loadPolicy } = await import('../../main/access/index.js');
    const k = await readPrivateKeyFile(privateKeyFile);
    const pkg = await variant((es) => {
      const manifest = Buffer.from(body(es, 'manifest.json').toString().replace('"UNCLASSIFIED"', '"ULTRA"'));
      const sig = encodeSignature({ format: 'cairn-signature/1', algorithm: 'ed25519', fingerprint: k.fingerprint, signature: signBytes(manifest, k.privateKey).toString('base64') });
      return es.map((e) => (e.path === 'manifest.json' ? { ...e, body: manifest } : e.path === 'manifest.sig' ? { ...e, body: sig } : e));
    });
    const v = await verifyPackage(pkg, { trustStore: await dataTrust(sb), policy: await loadPolicy() });
    expect(v.problems).toEqual([expect.objectContaining({ code: 'MARKING_INVALID', path: 'files/convoy.txt' })]);
  });

  // Last: it revokes the publisher for the rest of this file.
  it('signed by a revoked key: SIGNER_REVOKED with the date and reason, even if the .pub is copied back', async () => {
    const keys = path.join(sb.data, 'keys');
    const before = await loadTrustStore(keys);
    await revokeKey(keys, 'field-office', { reason: 'laptop lost' });
    const problems = await problemsOf(good);
    expect(problems).toEqual([{ code: 'SIGNER_REVOKED', path: 'manifest.sig', message: expect.stringMatching(/revoked on .*laptop lost/) }]);
    await refusedByImport(good, 'SIGNER_REVOKED');
    // Someone restores the trusted copy by hand: revocation still wins.
    await writeFile(path.join(keys, 'trusted', 'field-office.pub'), before.trusted[0]!.pem, { mode: 0o600 });
    expect((await problemsOf(good)).map((p) => p.code)).toEqual(['SIGNER_REVOKED']);
  });
});
