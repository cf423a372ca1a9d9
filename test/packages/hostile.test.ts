/**
 * Hostile archives, hand-built with node-tar's header encoder: each is
 * refused with the right problem before anything is written, and nothing
 * appears where the entry points (outside or inside the data folder).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { PackageInvalidError, type Problem, verifyPackage } from '../../main/packages/index.js';
import { extractVerified } from '../../main/packages/extract.js';
import { dataTrust, filesUnder, importInto, makePackage, readEntries, type RawEntry, type Sandbox, sandbox, trustedPublisher, writeCorpus, writeEntries } from './helpers.js';

let sb: Sandbox;
let base: RawEntry[];
let good: string;
const tag = randomBytes(6).toString('hex');
/** Where an absolute entry would land: a fresh name in the OS temp folder. */
const absTarget = path.join(os.tmpdir(), `cairn-abs-${tag}.txt`);

beforeAll(async () => {
  sb = await sandbox('cairn-hostile-');
  await writeCorpus(sb.src);
  const key = await trustedPublisher(sb);
  good = (await makePackage(sb, key)).out;
  base = await readEntries(good);
});
afterAll(async () => sb.cleanup());

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

let n = 0;
async function hostile(extra: RawEntry[], at: 'end' | 'start' = 'end'): Promise<string> {
  const out = path.join(sb.root, `hostile-${++n}.tar`);
  await writeEntries(out, at === 'end' ? [...base, ...extra] : [...extra, ...base]);
  return out;
}

/** Every place a name could resolve to if some layer joined it naively. */
function landingSpots(name: string, pkgId = ''): string[] {
  const staging = path.join(sb.data, 'packages', 'staging', pkgId);
  const rel = name.replace(/^files\//, '');
  return [path.resolve(staging, name), path.resolve(staging, 'files', rel), path.resolve(sb.data, name), path.resolve(sb.root, name), path.resolve(process.cwd(), name), path.resolve(name)];
}

async function expectRefused(pkg: string, code: Problem['code'], entryPath: string | undefined, opts: { limits?: Record<string, number> } = {}): Promise<void> {
  const v = await verifyPackage(pkg, { trustStore: await dataTrust(sb), limits: opts.limits });
  expect(v.ok).toBe(false);
  expect(v.problems).toContainEqual(expect.objectContaining(entryPath === undefined ? { code } : { code, path: entryPath }));

  const err = await importInto(sb, pkg, { limits: opts.limits }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PackageInvalidError);
  expect((err as PackageInvalidError).problems.map((p) => p.code)).toContain(code);
  // Nothing reached the store, nothing was staged, nothing landed anywhere the name points.
  expect(await (await Cairn.open(sb.data)).sources()).toEqual([]);
  expect(await filesUnder(path.join(sb.data, 'packages'))).toEqual([]);
  if (entryPath !== undefined) for (const spot of landingSpots(entryPath)) expect(await exists(spot), spot).toBe(false);
}

describe('hostile archives are refused before extraction', () => {
  it('zip-slip: files/../../escape', async () => {
    const name = `files/../../escape-${tag}.txt`;
    await expectRefused(await hostile([{ path: name, body: Buffer.from('pwned') }]), 'PATH_TRAVERSAL', name);
  });

  it('zip-slip: ../ at the start, listed first', async () => {
    const name = `../escape-${tag}.txt`;
    await expectRefused(await hostile([{ path: name, body: Buffer.from('pwned') }], 'start'), 'PATH_TRAVERSAL', name);
  });

  it('zip-slip hidden in a pax header (the ustar name looks harmless)', async () => {
    const name = `files/../../../pax-escape-${tag}.txt`;
    await expectRefused(await hostile([{ path: 'files/harmless.txt', paxPath: name, body: Buffer.from('pwned') }]), 'PATH_TRAVERSAL', name);
  });

  it('absolute path', async () => {
    await expectRefused(await hostile([{ path: absTarget, body: Buffer.from('pwned') }]), 'ABSOLUTE_PATH', absTarget);
    expect(await exists(absTarget)).toBe(false);
  });

  it('Windows drive path and backslash traversal', async () => {
    await expectRefused(await hostile([{ path: 'C:/Windows/evil.dll', body: Buffer.from('x') }]), 'ABSOLUTE_PATH', 'C:/Windows/evil.dll');
    await expectRefused(await hostile([{ path: 'files\\..\\..\\evil.txt', body: Buffer.from('x') }]), 'PATH_TRAVERSAL', 'files\\..\\..\\evil.txt');
  });

  it('symlink entry, then a file written "through" it', async () => {
    const outside = path.join(sb.root, `outside-${tag}`);
    await mkdir(outside);
    const pkg = await hostile([
      { path: 'files/link', type: 'SymbolicLink', linkpath: outside },
      { path: 'files/link/planted.txt', body: Buffer.from('pwned') },
    ]);
    await expectRefused(pkg, 'ENTRY_TYPE', 'files/link');
    expect(await filesUnder(outside)).toEqual([]);
  });

  it('hard link entry', async () => {
    await expectRefused(await hostile([{ path: 'files/passwd', type: 'Link', linkpath: '/etc/passwd' }]), 'ENTRY_TYPE', 'files/passwd');
  });

  it('device and FIFO entries', async () => {
    await expectRefused(await hostile([{ path: 'files/null', type: 'CharacterDevice' }]), 'ENTRY_TYPE', 'files/null');
    await expectRefused(await hostile([{ path: 'files/pipe', type: 'FIFO' }]), 'ENTRY_TYPE', 'files/pipe');
  });

  it('entry types node-tar would silently skip (GNU sparse file), even a huge one', async () => {
    await expectRefused(await hostile([{ path: 'files/sparse.bin', type: 'SparseFile', body: Buffer.from('x') }]), 'ENTRY_TYPE', 'files/sparse.bin');
    await expectRefused(await hostile([{ path: 'files/sparse.bin', type: 'SparseFile', size: 1024 ** 4 }]), 'ENTRY_TOO_LARGE', 'files/sparse.bin');
  });

  it('a manifest over its size limit', async () => {
    await expectRefused(await hostile([]), 'MANIFEST_INVALID', 'manifest.json', { limits: { maxManifestBytes: 200 } });
  });

  it('duplicate entry (a second copy that would replace the checked one)', async () => {
    await expectRefused(await hostile([{ path: 'files/convoy.txt', body: Buffer.from('replaced!') }]), 'DUPLICATE_ENTRY', 'files/convoy.txt');
  });

  it('duplicate by case or Unicode form (collide on Windows/macOS)', async () => {
    await expectRefused(await hostile([{ path: 'files/CONVOY.txt', body: Buffer.from('replaced!') }]), 'DUPLICATE_ENTRY', 'files/CONVOY.txt');
    await expectRefused(
      await hostile([
        { path: 'files/caf\u00e9.txt', body: Buffer.from('one') },
        { path: 'files/cafe\u0301.txt', body: Buffer.from('two') },
      ]),
      'DUPLICATE_ENTRY',
      'files/cafe\u0301.txt',
    );
  });

  it('a file where a folder is needed', async () => {
    await expectRefused(await hostile([{ path: 'files/reports/pier.md/inner.txt', body: Buffer.from('x') }]), 'PATH_CONFLICT', 'files/reports/pier.md/inner.txt');
  });

  it('too many entries (limit hit: scanning stops there)', async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ path: `files/many/${i}.txt`, body: Buffer.from(`n${i}`) }));
    await expectRefused(await hostile(many), 'TOO_MANY_ENTRIES', undefined, { limits: { maxEntries: 20 } });
  });

  it('oversize entry by declared size (1 TiB header, no body): refused from the header alone', async () => {
    const t0 = Date.now();
    await expectRefused(await hostile([{ path: 'files/huge.bin', size: 1024 ** 4 }]), 'ENTRY_TOO_LARGE', 'files/huge.bin');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('oversize entry against a configured limit, and a total over the archive limit', async () => {
    await expectRefused(await hostile([{ path: 'files/big.txt', body: Buffer.alloc(8192, 0x61) }]), 'ENTRY_TOO_LARGE', 'files/big.txt', { limits: { maxEntryBytes: 4096 } });
    const parts = Array.from({ length: 4 }, (_, i) => ({ path: `files/part${i}.txt`, body: Buffer.alloc(3000, 0x62) }));
    await expectRefused(await hostile(parts), 'ARCHIVE_TOO_LARGE', undefined, { limits: { maxTotalBytes: 8000 } });
  });

  it('names that are unsafe on some platform: control characters, reserved names, ":" streams', async () => {
    await expectRefused(await hostile([{ path: 'files/a\nb.txt', body: Buffer.from('x') }]), 'BAD_PATH', 'files/a\nb.txt');
    await expectRefused(await hostile([{ path: 'files/NUL.txt', body: Buffer.from('x') }]), 'BAD_PATH', 'files/NUL.txt');
    await expectRefused(await hostile([{ path: 'files/convoy.txt:stream', body: Buffer.from('x') }]), 'BAD_PATH', 'files/convoy.txt:stream');
  });
});

describe('extraction re-checks what it writes', () => {
  it('a package swapped after verification (now with a zip-slip entry) is refused and leaves nothing outside staging', async () => {
    const v = await verifyPackage(good, { trustStore: await dataTrust(sb) });
    expect(v.ok).toBe(true);
    const name = `files/../../swap-${tag}.txt`;
    const swapped = await hostile([{ path: name, body: Buffer.from('pwned') }]);
    const staging = path.join(sb.root, 'staging-swap');
    await mkdir(staging);
    const err = await extractVerified(swapped, { manifest: v.manifest!, manifestSha256: v.manifestSha256! }, staging, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageInvalidError);
    expect((err as PackageInvalidError).problems).toContainEqual(expect.objectContaining({ code: 'PATH_TRAVERSAL', path: name }));
    for (const spot of [path.resolve(staging, name), path.resolve(staging, 'files', name), path.resolve(sb.root, name)]) expect(await exists(spot)).toBe(false);
  });

  it('a file whose bytes changed after verification fails its hash while being written', async () => {
    const v = await verifyPackage(good, { trustStore: await dataTrust(sb) });
    const changed = path.join(sb.root, 'changed.tar');
    await writeEntries(
      changed,
      base.map((e) => (e.path === 'files/convoy.txt' ? { ...e, body: Buffer.from(e.body!.toString().replace('convoy', 'CONVOY')) } : e)),
    );
    const staging = path.join(sb.root, 'staging-changed');
    await mkdir(staging);
    const err = await extractVerified(changed, { manifest: v.manifest!, manifestSha256: v.manifestSha256! }, staging, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageInvalidError);
    expect((err as PackageInvalidError).problems).toContainEqual(expect.objectContaining({ code: 'PACKAGE_CHANGED', path: 'files/convoy.txt' }));
  });
});
