import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { AuditLog } from '../../main/audit/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { createPackage, PackageInvalidError, verifyPackage } from '../../main/packages/index.js';
import { CORPUS, dataTrust, filesUnder, importInto, makePackage, readEntries, readJson, type Sandbox, sandbox, trustedPublisher, writeCorpus } from './helpers.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
  await writeCorpus(sb.src);
});
afterEach(async () => sb.cleanup());

async function sources(): Promise<Source[]> {
  return (await Cairn.open(sb.data)).sources();
}

describe('package create', () => {
  it('writes one tar: manifest.json, manifest.sig, then files/ in path order', async () => {
    const key = await trustedPublisher(sb);
    const r = await makePackage(sb, key);
    const entries = await readEntries(r.out);
    expect(entries.map((e) => e.path)).toEqual(['manifest.json', 'manifest.sig', 'files/convoy.txt', 'files/reports/pier.md', 'files/web/bulletin.html']);
    expect(entries.every((e) => e.type === 'File')).toBe(true);

    const manifest = JSON.parse(entries[0]!.body!.toString('utf8')) as { format: string; id: string; publisher: { name: string; fingerprint: string }; files: { path: string; bytes: number; sha256: string; kind: string; marking: string; provenance: unknown }[] };
    expect(manifest.format).toBe('cairn-package/1');
    expect(manifest.id).toBe(r.packageId);
    expect(manifest.publisher).toEqual({ name: 'field-office', fingerprint: key.fingerprint });
    expect(manifest.files[1]).toEqual({
      path: 'reports/pier.md',
      bytes: Buffer.byteLength(CORPUS['reports/pier.md']!),
      sha256: sha256Hex(CORPUS['reports/pier.md']!),
      kind: 'document',
      marking: 'UNCLASSIFIED',
      provenance: { originator: 'Field Office 3', collected: '2024-05-01' },
    });
    const sig = JSON.parse(entries[1]!.body!.toString('utf8')) as { algorithm: string; fingerprint: string };
    expect(sig).toMatchObject({ algorithm: 'ed25519', fingerprint: key.fingerprint });
    expect(r.manifestSha256).toBe(sha256Hex(entries[0]!.body!));
  });

  it('gives the same bytes for the same id, time and files', async () => {
    const key = await trustedPublisher(sb);
    const fixed = { id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b', now: new Date('2024-06-01T12:00:00Z') };
    const a = await makePackage(sb, key, path.join(sb.root, 'a.tar'), fixed);
    const b = await makePackage(sb, key, path.join(sb.root, 'b.tar'), fixed);
    expect(await readFile(a.out)).toEqual(await readFile(b.out));
  });

  it('takes per-file marking and provenance from cairn-package.json, flags and defaults in that order', async () => {
    await writeFile(
      path.join(sb.src, 'cairn-package.json'),
      JSON.stringify({ defaults: { marking: 'CUI', originator: 'Harbour Watch' }, files: { 'reports/pier.md': { marking: 'secret//noforn', collected: '2024-04-30T06:00:00Z' } } }),
    );
    await writeFile(path.join(sb.src, '.hidden'), 'skipped');
    const key = await trustedPublisher(sb);
    const r = await createPackage({ dir: sb.src, out: path.join(sb.root, 'p.tar'), keyFile: key.privateKeyFile, collected: '2024-05-02' });
    const v = await verifyPackage(r.out, { trustStore: await dataTrust(sb) });
    expect(v.ok).toBe(true);
    const byPath = Object.fromEntries(v.files.map((f) => [f.path, f.marking]));
    expect(byPath).toEqual({ 'convoy.txt': 'CUI', 'reports/pier.md': 'SECRET//NOFORN', 'web/bulletin.html': 'CUI' });
    const entries = await readEntries(r.out);
    expect(entries.map((e) => e.path)).not.toContain('files/cairn-package.json');
    expect(entries.map((e) => e.path)).not.toContain('files/.hidden');
    const manifest = JSON.parse(entries[0]!.body!.toString()) as { files: { path: string; provenance: unknown }[] };
    expect(manifest.files.find((f) => f.path === 'reports/pier.md')!.provenance).toEqual({ originator: 'Harbour Watch', collected: '2024-04-30T06:00:00Z' });
    expect(manifest.files.find((f) => f.path === 'convoy.txt')!.provenance).toEqual({ originator: 'Harbour Watch', collected: '2024-05-02' });
  });

  it('refuses bad input with a reason: invalid marking, bad date, sidecar typo, public key as --key, existing output', async () => {
    const key = await trustedPublisher(sb);
    const out = path.join(sb.root, 'x.tar');
    await expect(createPackage({ dir: sb.src, out, keyFile: key.privateKeyFile, marking: 'SUPER SECRET' })).rejects.toThrow(/Invalid marking/);
    await expect(createPackage({ dir: sb.src, out, keyFile: key.privateKeyFile, collected: 'last tuesday' })).rejects.toThrow(/collection date/);
    await expect(createPackage({ dir: sb.src, out, keyFile: key.publicKeyFile })).rejects.toThrow(/not a PEM private key/);
    await writeFile(path.join(sb.src, 'cairn-package.json'), JSON.stringify({ files: { 'reports/peir.md': { marking: 'SECRET' } } }));
    await expect(createPackage({ dir: sb.src, out, keyFile: key.privateKeyFile })).rejects.toThrow(/reports\/peir\.md/);
    await writeFile(path.join(sb.src, 'cairn-package.json'), '{}');
    await createPackage({ dir: sb.src, out, keyFile: key.privateKeyFile });
    await expect(createPackage({ dir: sb.src, out, keyFile: key.privateKeyFile })).rejects.toThrow(/already exists/);
    await expect(createPackage({ dir: sb.src, out: path.join(sb.src, 'in.tar'), keyFile: key.privateKeyFile })).rejects.toThrow(/inside the folder/);
  });
});

describe('package verify', () => {
  it('passes an intact package from a trusted publisher', async () => {
    const key = await trustedPublisher(sb);
    const r = await makePackage(sb, key);
    const v = await verifyPackage(r.out, { trustStore: await dataTrust(sb) });
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ ok: true, packageId: r.packageId, publisher: { fingerprint: key.fingerprint, trustedAs: 'field-office' }, manifestSha256: r.manifestSha256 });
    expect(v.files.map((f) => f.path)).toEqual(['convoy.txt', 'reports/pier.md', 'web/bulletin.html']);
  });
});

describe('package import into a real store', () => {
  it('ingests every file with packageId, marking and provenance, audits it, and cleans up staging', async () => {
    await writeFile(path.join(sb.src, 'cairn-package.json'), JSON.stringify({ files: { 'reports/pier.md': { marking: 'SECRET//NOFORN', originator: 'Harbour Watch' } } }));
    const key = await trustedPublisher(sb);
    const pkg = await makePackage(sb, key);
    const r = await importInto(sb, pkg.out);
    expect(r).toMatchObject({ packageId: pkg.packageId, manifestSha256: pkg.manifestSha256, ingested: 3, exists: 0, failed: 0, resumed: false });
    expect(r.publisher).toMatchObject({ fingerprint: key.fingerprint, trustedAs: 'field-office' });

    const all = await sources();
    expect(all).toHaveLength(3);
    for (const s of all) expect(s.packageId).toBe(pkg.packageId);
    const pier = all.find((s) => s.id === sha256Hex(CORPUS['reports/pier.md']!))!;
    expect(pier.marking).toBe('SECRET//NOFORN');
    expect(pier.metadata.provenance).toMatchObject({
      originator: 'Harbour Watch',
      collected: '2024-05-01',
      packageId: pkg.packageId,
      packagePath: 'reports/pier.md',
      publisher: { fingerprint: key.fingerprint },
      manifestSha256: pkg.manifestSha256,
    });
    const convoy = all.find((s) => s.id === sha256Hex(CORPUS['convoy.txt']!))!;
    expect(convoy.marking).toBe('UNCLASSIFIED');
    expect(convoy.metadata.provenance).toMatchObject({ originator: 'Field Office 3', packagePath: 'convoy.txt' });

    const records = await (await AuditLog.open(sb.data)).read();
    const rec = records.find((x) => x.action === 'package.import')!;
    expect(rec.payload).toMatchObject({ packageId: pkg.packageId, manifestSha256: pkg.manifestSha256, publisher: { fingerprint: key.fingerprint }, ingested: 3 });
    expect((rec.payload as { files: { path: string; status: string; sourceId: string }[] }).files.map((f) => [f.path, f.status])).toEqual([
      ['convoy.txt', 'ingested'],
      ['reports/pier.md', 'ingested'],
      ['web/bulletin.html', 'ingested'],
    ]);
    expect(r.auditId).toBe(rec.hash);
    expect(records.filter((x) => x.action === 'ingest')).toHaveLength(3);
    expect(await (await AuditLog.open(sb.data)).verify()).toMatchObject({ ok: true });

    expect(await filesUnder(path.join(sb.data, 'packages', 'staging'))).toEqual([]);
    const journal = await readJson<{ state: string }>(path.join(sb.data, 'packages', 'imports', `${pkg.packageId}.json`));
    expect(journal.state).toBe('complete');
    // Search finds the imported words.
    const hits = await (await Cairn.open(sb.data)).search({ query: 'cranes loading crates red stripe', k: 3 });
    expect(hits.hits[0]?.sourceId).toBe(pier.id);
  });

  it('adds nothing when the same package is imported twice', async () => {
    const key = await trustedPublisher(sb);
    const pkg = await makePackage(sb, key);
    await importInto(sb, pkg.out);
    const before = await sources();
    const again = await importInto(sb, pkg.out);
    expect(again).toMatchObject({ ingested: 0, exists: 3, failed: 0 });
    const after = await sources();
    expect(after.map((s) => [s.id, s.ingestedAt])).toEqual(before.map((s) => [s.id, s.ingestedAt]));
  });

  it('--resume completes only an interrupted import; otherwise says why not', async () => {
    const key = await trustedPublisher(sb);
    const pkg = await makePackage(sb, key);
    await expect(importInto(sb, pkg.out, { resume: true })).rejects.toThrow(/no interrupted import/);
    expect(await sources()).toEqual([]);

    // Simulate an import killed after one file: the journal says running, one source is in the store.
    const journalFile = path.join(sb.data, 'packages', 'imports', `${pkg.packageId}.json`);
    await writeFile(
      journalFile,
      JSON.stringify({ packageId: pkg.packageId, manifestSha256: pkg.manifestSha256, publisher: key.fingerprint, package: pkg.out, state: 'running', startedAt: '2024-06-01T00:00:00.000Z' }),
    );
    const cairn = await Cairn.open(sb.data);
    await cairn.ingest({ paths: [path.join(sb.src, 'convoy.txt')] });
    const r = await importInto(sb, pkg.out, { resume: true });
    expect(r).toMatchObject({ resumed: true, ingested: 2, exists: 1, failed: 0 });
    expect(await sources()).toHaveLength(3);

    await expect(importInto(sb, pkg.out, { resume: true })).rejects.toThrow(/already imported completely/);
  });

  it('refuses an invalid package with PackageInvalidError, writes nothing and audits the refusal', async () => {
    const key = await trustedPublisher(sb);
    const pkg = await makePackage(sb, key);
    const bytes = await readFile(pkg.out);
    const at = bytes.indexOf('Vessel ALPHA');
    bytes[at] = 'W'.charCodeAt(0);
    await writeFile(pkg.out, bytes);
    const err = await importInto(sb, pkg.out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageInvalidError);
    expect((err as PackageInvalidError).problems).toEqual([expect.objectContaining({ code: 'FILE_HASH_MISMATCH', path: 'files/reports/pier.md' })]);
    expect((err as PackageInvalidError).message).toMatch(/FILE_HASH_MISMATCH "files\/reports\/pier.md"/);
    expect(await sources()).toEqual([]);
    expect(await stat(path.join(sb.data, 'packages')).catch(() => null)).toBeNull();
    const records = await (await AuditLog.open(sb.data)).read();
    expect(records.map((x) => x.action)).toEqual(['package.import.refused']);
  });
});

describe('grades from the package manifest', () => {
  it('carries a publisher grade from cairn-package.json to the imported source, where search --grade sees it', async () => {
    await writeFile(path.join(sb.src, 'cairn-package.json'), JSON.stringify({ files: { 'convoy.txt': { grade: 'b2' } } }));
    const key = await trustedPublisher(sb);
    const r = await makePackage(sb, key);
    const manifest = JSON.parse((await readEntries(r.out))[0]!.body!.toString('utf8')) as { files: { path: string; provenance: { grade?: string } }[] };
    expect(manifest.files.find((f) => f.path === 'convoy.txt')!.provenance.grade).toBe('B2');
    await importInto(sb, r.out);
    const cairn = await Cairn.open(sb.data);
    const convoy = (await cairn.sources()).find((s) => (s.metadata.provenance as { packagePath?: string }).packagePath === 'convoy.txt')!;
    expect((convoy.metadata.provenance as { grade?: string }).grade).toBe('B2');
    const graded = await cairn.search({ query: 'convoy', grade: 'B2', k: 10 });
    expect(graded.hits.length).toBeGreaterThan(0);
    expect(graded.hits.every((h) => h.sourceId === convoy.id)).toBe(true);
  });
});
