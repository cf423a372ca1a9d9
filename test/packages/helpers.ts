/**
 * Test helpers for packages: temp folders, a small corpus, key pairs, a
 * trust store, reading a real package's tar entries back, and writing tar
 * files entry by entry with node-tar's Header/Pax encoders so a test can
 * build any archive, hostile ones included (links, `..`, absolute names,
 * lying sizes, duplicates).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Header, list, Pax, type ReadEntry } from 'tar';
import { createPackage, type CreateResult, generateKeyFiles, type GeneratedKey, loadTrustStore, openPackageIngest, type TrustStore, trustKey } from '../../main/packages/index.js';
import { importPackage, type ImportOptions, type ImportResult } from '../../main/packages/import.js';

export interface Sandbox {
  root: string;
  /** Cairn data folder (store, audit, keys, packages). */
  data: string;
  /** Folder the package is made from. */
  src: string;
  keys: string;
  cleanup: () => Promise<void>;
}

export async function sandbox(prefix = 'cairn-pkg-'): Promise<Sandbox> {
  const root = await mkdtemp(path.join(os.tmpdir(), prefix));
  const sb = { root, data: path.join(root, 'data'), src: path.join(root, 'src'), keys: path.join(root, 'publisher-keys') };
  await mkdir(sb.src, { recursive: true });
  return { ...sb, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Three small documents: text, Markdown in a subfolder, HTML. */
export const CORPUS: Record<string, string> = {
  'convoy.txt': 'The convoy left the northern port at dawn on Tuesday.\n\nIt carried fuel and spare parts for the radar site at Kestrel Point.\n',
  'reports/pier.md': '# Pier activity\n\nVessel ALPHA was seen alongside the east pier for six hours.\n\nTwo cranes were loading crates marked with a red stripe.\n',
  'web/bulletin.html': '<!doctype html><html><head><title>Harbour bulletin</title></head><body><h1>Harbour bulletin</h1><p>The harbour master closed berth 4 for dredging until Friday.</p></body></html>\n',
};

export async function writeCorpus(dir: string, files: Record<string, string | Buffer> = CORPUS): Promise<void> {
  for (const [rel, body] of Object.entries(files)) {
    const p = path.join(dir, ...rel.split('/'));
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, body);
  }
}

export async function newKey(dir: string, name: string): Promise<GeneratedKey> {
  return generateKeyFiles(name, dir);
}

/** Generates a publisher key and trusts it in sb.data/keys. */
export async function trustedPublisher(sb: Sandbox, name = 'field-office'): Promise<GeneratedKey> {
  const k = await newKey(sb.keys, name);
  await trustKey(path.join(sb.data, 'keys'), k.publicKeyFile, name);
  return k;
}

export async function dataTrust(sb: Sandbox): Promise<TrustStore> {
  return loadTrustStore(path.join(sb.data, 'keys'));
}

export async function makePackage(sb: Sandbox, key: GeneratedKey, out = path.join(sb.root, 'pkg.tar'), extra: Partial<Parameters<typeof createPackage>[0]> = {}): Promise<CreateResult> {
  return createPackage({ dir: sb.src, out, keyFile: key.privateKeyFile, originator: 'Field Office 3', collected: '2024-05-01', ...extra });
}

/** Imports with the real store, audit log and policy of sb.data. */
export async function importInto(sb: Sandbox, pkg: string, opts: ImportOptions & { limits?: Parameters<typeof importPackage>[1]['limits'] } = {}): Promise<ImportResult> {
  const deps = await openPackageIngest(sb.data, { actor: 'admin' });
  return importPackage(pkg, { trustStore: await dataTrust(sb), ingest: deps.ingest, audit: deps.audit, actor: deps.actor, dataDir: sb.data, policy: deps.policy, limits: opts.limits }, opts);
}

// ---------------------------------------------------------------- raw tar

export interface RawEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO' | 'SparseFile';
  body?: Buffer;
  linkpath?: string;
  /** Declared size when it should differ from the body (a lying header). */
  size?: number;
  /** Pax path overriding the ustar name (the name other tools show). */
  paxPath?: string;
}

const MTIME = new Date('2024-05-01T00:00:00Z');

/** Encodes entries as a tar archive exactly as given: no checks, no normalisation. */
export function tarBytes(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = e.body ?? Buffer.alloc(0);
    const size = e.size ?? body.length;
    const type = e.type ?? 'File';
    const h = new Header({ path: e.path, mode: type === 'Directory' ? 0o755 : 0o644, uid: 0, gid: 0, uname: '', gname: '', size, mtime: MTIME, type, linkpath: e.linkpath ?? '' });
    const needPax = h.encode();
    if (needPax || e.paxPath !== undefined) parts.push(new Pax({ path: e.paxPath ?? e.path, size, mtime: MTIME }).encode());
    parts.push(h.block!);
    parts.push(body);
    if (body.length % 512 !== 0) parts.push(Buffer.alloc(512 - (body.length % 512)));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Every entry of a tar file with its body, in archive order. */
export async function readEntries(file: string): Promise<RawEntry[]> {
  const out: RawEntry[] = [];
  await list({
    file,
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      const item: RawEntry = { path: entry.path, type: entry.type as RawEntry['type'] };
      out.push(item);
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        item.body = Buffer.concat(chunks);
      });
    },
  });
  return out;
}

export async function writeEntries(file: string, entries: readonly RawEntry[]): Promise<void> {
  await writeFile(file, tarBytes(entries));
}

/** All files (not folders) under dir, relative; [] when dir does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => !d.isDirectory()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
  } catch {
    return [];
  }
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/**
 * A copy of a package with one file's text changed in place, same length:
 * the tar stays well-formed and only that file's hash no longer matches.
 */
export async function tamperedCopy(pkg: string, out: string, from = 'northern port', to = 'southern port'): Promise<string> {
  if (from.length !== to.length) throw new Error('tamperedCopy keeps the length: from and to must be as long');
  const raw = await readFile(pkg);
  const at = raw.indexOf(from);
  if (at < 0) throw new Error(`${from} is not in ${pkg}`);
  raw.write(to, at);
  await writeFile(out, raw);
  return out;
}
