/**
 * `cairn package create DIR --out PKG --key KEY`: packs every regular file
 * under DIR (hidden names starting with "." are skipped; symbolic links and
 * special files are refused) into one signed tar file (format in
 * manifest.ts). Markings and provenance come from the flags and an optional
 * `cairn-package.json` in DIR (sidecar.ts).
 *
 * Each file is read twice: once to hash it for the manifest, once to write
 * it, hashing again; if a file changed in between, nothing is written. The
 * package is written to PKG.partial-* and renamed into place at the end, so
 * PKG is either complete or absent.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type Dirent } from 'node:fs';
import { readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { classifyBytes } from '../../ingest/classify.js';
import { defaultMarking, formatBanner, loadPolicy, type MarkingPolicy, parseMarking } from '../access/index.js';
import { CairnError } from '../core/errors.js';
import { readPrivateKeyFile, signBytes } from './keys.js';
import { collectedSchema, encodeManifest, encodeSignature, FILES_DIR, type Manifest, MANIFEST_ENTRY, type ManifestFile, manifestSha256, PACKAGE_FORMAT, SIGNATURE_ENTRY, SIGNATURE_FORMAT } from './manifest.js';
import { checkEntryPath, collisionKey } from './paths.js';
import { checkSidecarPaths, readSidecar, SIDECAR_FILE, type SidecarFields } from './sidecar.js';
import { TarWriter } from './tar-write.js';

export interface CreateOptions {
  dir: string;
  out: string;
  /** Ed25519 private key (PEM). */
  keyFile: string;
  /** Defaults for every file; the sidecar's per-file entries override them. */
  marking?: string;
  originator?: string;
  collected?: string;
  /** Publisher name in the manifest; the key file's name when absent. */
  publisher?: string;
  /** Marking policy the markings are checked against; the built-in one when absent. */
  policy?: MarkingPolicy;
  /** Replace an existing PKG. */
  force?: boolean;
  onProgress?: (p: { phase: 'hash' | 'write'; done: number; total: number; file: string }) => void;
  /** Fixed id and time, for reproducible output. */
  id?: string;
  now?: Date;
}

export interface CreateResult {
  out: string;
  packageId: string;
  created: string;
  publisher: { name: string; fingerprint: string };
  files: number;
  bytes: number;
  manifestSha256: string;
  warnings: string[];
}

/** How much of a file the kind classifier looks at. */
const CLASSIFY_HEAD = 4 * 1024 * 1024;

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Regular files under dir, relative with "/", in code-point order. */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Map<string, string>();
  async function visit(rel: string): Promise<void> {
    const abs = rel === '' ? dir : path.join(dir, ...rel.split('/'));
    const entries: Dirent[] = await readdir(abs, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (rel === '' && e.name === SIDECAR_FILE) continue;
      if (e.isSymbolicLink()) {
        throw new CairnError('BAD_INPUT', `${path.join(dir, r)} is a symbolic link; packages hold regular files only: copy the file it points to into the folder instead`, { input: path.join(dir, r) });
      }
      if (e.isDirectory()) {
        await visit(r);
        continue;
      }
      if (!e.isFile()) throw new CairnError('BAD_INPUT', `${path.join(dir, r)} is not a regular file (device, socket or pipe); remove it from the folder`, { input: path.join(dir, r) });
      const check = checkEntryPath(r);
      if (!check.ok) throw new CairnError('BAD_INPUT', `cannot package ${path.join(dir, r)}: ${check.message}; rename it`, { input: path.join(dir, r) });
      const key = collisionKey(r);
      const other = seen.get(key);
      if (other !== undefined) throw new CairnError('BAD_INPUT', `${JSON.stringify(r)} and ${JSON.stringify(other)} differ only in case or Unicode form and would overwrite each other on Windows or macOS; rename one`, { input: path.join(dir, r) });
      seen.set(key, r);
      out.push(r);
    }
  }
  await visit('');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One streaming read: size, sha256 and the head for kind detection. */
async function hashFile(file: string): Promise<{ bytes: number; sha256: string; head: Buffer }> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (headBytes < CLASSIFY_HEAD) {
      head.push(chunk.subarray(0, CLASSIFY_HEAD - headBytes));
      headBytes += Math.min(chunk.length, CLASSIFY_HEAD - headBytes);
    }
  }
  return { bytes, sha256: hash.digest('hex'), head: Buffer.concat(head) };
}

function resolveField(name: keyof SidecarFields, perFile: SidecarFields | undefined, flag: string | undefined, defaults: SidecarFields): string | undefined {
  return perFile?.[name] ?? flag ?? defaults[name];
}

function checkCollected(value: string | undefined, where: string): string | null {
  if (value === undefined) return null;
  if (!collectedSchema.safeParse(value).success) {
    throw new CairnError('BAD_INPUT', `collection date ${JSON.stringify(value)} (${where}) is not a date like 2024-05-01 or an ISO 8601 time with offset like 2024-05-01T06:00:00Z`, { input: value });
  }
  return value;
}

export async function createPackage(opts: CreateOptions): Promise<CreateResult> {
  const dir = path.resolve(opts.dir);
  const out = path.resolve(opts.out);
  const dirStat = await stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new CairnError('NOT_FOUND', `${dir} is not a folder: give the folder whose files go into the package`, { input: opts.dir });
  if (out === dir || out.startsWith(dir + path.sep)) {
    throw new CairnError('BAD_INPUT', `--out ${out} is inside the folder being packaged; write the package somewhere else`, { input: opts.out });
  }
  if (!opts.force && (await exists(out))) throw new CairnError('BAD_INPUT', `${out} already exists; choose another --out or pass --force to replace it`, { input: opts.out });

  const key = await readPrivateKeyFile(opts.keyFile);
  const warnings = [...key.warnings];
  const policy = opts.policy ?? (await loadPolicy());
  const sidecar = (await readSidecar(dir)) ?? { defaults: {}, files: new Map<string, SidecarFields>() };
  const rels = await listFiles(dir);
  if (rels.length === 0) throw new CairnError('BAD_INPUT', `${dir} has no files to package (hidden files are skipped)`, { input: opts.dir });
  checkSidecarPaths(sidecar, dir, new Set(rels));
  const publisherName = opts.publisher ?? path.basename(opts.keyFile).replace(/\.(key|pem)$/i, '');
  if (publisherName.trim() === '') throw new CairnError('BAD_INPUT', 'the publisher name is empty; pass --publisher NAME', { input: opts.publisher });

  const files: ManifestFile[] = [];
  for (const [i, rel] of rels.entries()) {
    const abs = path.join(dir, ...rel.split('/'));
    const perFile = sidecar.files.get(rel);
    const markingText = resolveField('marking', perFile, opts.marking, sidecar.defaults);
    let marking: string;
    try {
      marking = formatBanner(markingText === undefined ? defaultMarking(policy) : parseMarking(markingText, policy));
    } catch (e) {
      throw new CairnError('BAD_INPUT', `${rel}: ${(e as Error).message}`, { input: abs, cause: e });
    }
    const collected = checkCollected(resolveField('collected', perFile, opts.collected, sidecar.defaults), rel);
    const originator = resolveField('originator', perFile, opts.originator, sidecar.defaults) ?? publisherName;
    const grade = resolveField('grade', perFile, undefined, sidecar.defaults)?.toUpperCase();
    const h = await hashFile(abs);
    if (h.bytes === 0) warnings.push(`${rel} is empty: it is packaged, but import will report it as EMPTY_FILE`);
    files.push({ path: rel, bytes: h.bytes, sha256: h.sha256, kind: classifyBytes(h.head, path.basename(rel)), marking, provenance: { originator, collected, ...(grade ? { grade } : {}) } });
    opts.onProgress?.({ phase: 'hash', done: i + 1, total: rels.length, file: rel });
  }

  const created = (opts.now ?? new Date()).toISOString();
  const manifest: Manifest = { format: PACKAGE_FORMAT, id: opts.id ?? randomUUID(), created, publisher: { name: publisherName, fingerprint: key.fingerprint }, files };
  const manifestBytes = encodeManifest(manifest);
  const sigBytes = encodeSignature({ format: SIGNATURE_FORMAT, algorithm: 'ed25519', fingerprint: key.fingerprint, signature: signBytes(manifestBytes, key.privateKey).toString('base64') });

  const partial = `${out}.partial-${randomBytes(6).toString('hex')}`;
  const tar = new TarWriter(createWriteStream(partial, { flags: 'wx' }), new Date(created));
  try {
    await tar.file(MANIFEST_ENTRY, manifestBytes);
    await tar.file(SIGNATURE_ENTRY, sigBytes);
    for (const [i, f] of files.entries()) {
      const abs = path.join(dir, ...f.path.split('/'));
      await tar.header(`${FILES_DIR}/${f.path}`, f.bytes);
      const hash = createHash('sha256');
      let n = 0;
      if (f.bytes > 0) {
        for await (const chunk of createReadStream(abs, { start: 0, end: f.bytes - 1 }) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          n += chunk.length;
          await tar.body(chunk);
        }
      }
      if (n !== f.bytes || hash.digest('hex') !== f.sha256) {
        throw new CairnError('BAD_INPUT', `${abs} changed while the package was being written; make sure nothing is writing to ${dir} and run create again`, { input: abs });
      }
      await tar.pad(f.bytes);
      opts.onProgress?.({ phase: 'write', done: i + 1, total: files.length, file: f.path });
    }
    await tar.finish();
    await rename(partial, out);
  } catch (e) {
    await tar.abort();
    await unlink(partial).catch(() => undefined);
    throw e;
  }
  return {
    out,
    packageId: manifest.id,
    created,
    publisher: manifest.publisher,
    files: files.length,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    manifestSha256: manifestSha256(manifestBytes),
    warnings,
  };
}
