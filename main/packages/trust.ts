/**
 * The trust store: which publisher keys this installation accepts packages
 * from, and which it has revoked.
 *
 * On disk (DATA/keys/, created 0700, files 0600):
 *   trusted/NAME.pub   one SPKI PEM public key per trusted publisher
 *   revoked.json       {"format":"cairn-revocations/1","revoked":[{fingerprint,name,revokedAt,reason?}]}
 *   private/           key pairs `cairn keys generate` makes when no --out is given
 *
 * A revoked key stays in revoked.json for good, so a package it signed fails
 * with SIGNER_REVOKED (not merely "untrusted"), even if someone copies its
 * .pub back into trusted/. Revocation wins over trust.
 *
 * `--trust` may also name: any folder of *.pub files (optionally with a
 * revoked.json), a single .pub file, or one JSON trust file in the format
 * `cairn keys list --json` prints:
 *   {"format":"cairn-trust/1","trusted":[{name,fingerprint,publicKey}],"revoked":[{fingerprint,name,revokedAt,reason?}]}
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { checkKeyName, ensurePrivateDir, fingerprintOf, formatFingerprint, normalizeFingerprint, parsePublicKey, readPublicKeyFile, writeKeyFile } from './keys.js';

export const KEYS_DIR = 'keys';
export const TRUSTED_DIR = 'trusted';
export const PRIVATE_DIR = 'private';
export const REVOKED_FILE = 'revoked.json';

export function keysDir(dataDir: string): string {
  return path.join(dataDir, KEYS_DIR);
}

export interface TrustedKey {
  name: string;
  fingerprint: string;
  publicKey: KeyObject;
  /** SPKI PEM. */
  pem: string;
  /** Where it was read from. */
  file: string;
}

export interface RevokedKey {
  fingerprint: string;
  name: string;
  revokedAt: string;
  reason?: string;
}

export interface TrustStore {
  /** The folder or file the store was read from. */
  location: string;
  trusted: TrustedKey[];
  revoked: RevokedKey[];
}

const fingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-digit lowercase hex sha256');
const revokedSchema = z.object({ fingerprint: fingerprintSchema, name: z.string(), revokedAt: z.string(), reason: z.string().optional() });
const revocationFileSchema = z.object({ format: z.literal('cairn-revocations/1'), revoked: z.array(revokedSchema) });
const trustFileSchema = z.object({
  format: z.literal('cairn-trust/1'),
  trusted: z.array(z.object({ name: z.string().min(1), fingerprint: fingerprintSchema, publicKey: z.string() })),
  revoked: z.array(revokedSchema).default([]),
});

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

function invalid(file: string, what: string, issues: readonly { path: PropertyKey[]; message: string }[]): CairnError {
  const first = issues[0];
  return new CairnError('BAD_INPUT', `${file} is not a valid ${what}: ${first ? `${first.path.join('.') || 'value'}: ${first.message}` : 'unknown problem'}`, { input: file });
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not valid JSON (${(e as Error).message}); fix or restore it`, { input: file, cause: e });
  }
}

async function readRevocations(file: string): Promise<RevokedKey[]> {
  if (!(await exists(file))) return [];
  const r = revocationFileSchema.safeParse(await readJson(file));
  if (!r.success) throw invalid(file, 'revocation list', r.error.issues);
  return r.data.revoked;
}

async function readPubFolder(dir: string): Promise<TrustedKey[]> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.pub') && !f.startsWith('.')).sort();
  const keys: TrustedKey[] = [];
  for (const f of names) {
    const file = path.join(dir, f);
    const { key, pem, fingerprint } = await readPublicKeyFile(file);
    keys.push({ name: f.slice(0, -'.pub'.length), fingerprint, publicKey: key, pem, file });
  }
  return keys;
}

async function readTrustFile(file: string): Promise<TrustStore> {
  const r = trustFileSchema.safeParse(await readJson(file));
  if (!r.success) throw invalid(file, 'trust file (format cairn-trust/1)', r.error.issues);
  const trusted = r.data.trusted.map((t, i) => {
    const publicKey = parsePublicKey(t.publicKey, `${file} trusted[${i}]`);
    const fingerprint = fingerprintOf(publicKey);
    if (fingerprint !== t.fingerprint) {
      throw new CairnError('BAD_INPUT', `${file}: trusted[${i}] (${t.name}) says fingerprint ${formatFingerprint(t.fingerprint)} but its key has ${formatFingerprint(fingerprint)}; the file was edited by hand or damaged`, { input: file });
    }
    return { name: t.name, fingerprint, publicKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), file };
  });
  return { location: file, trusted, revoked: r.data.revoked };
}

/**
 * Reads a trust store from a keys folder, a folder of .pub files, a single
 * .pub file or a JSON trust file. A missing default store (no keys trusted
 * yet) is empty; a missing path the user named is an error.
 */
export async function loadTrustStore(location: string, opts: { mustExist?: boolean } = {}): Promise<TrustStore> {
  const loc = path.resolve(location);
  const st = await stat(loc).catch(() => null);
  if (!st) {
    if (opts.mustExist) throw new CairnError('NOT_FOUND', `no trust store at ${loc}: pass a keys folder, a folder of .pub files, a .pub file or a trust JSON file`, { input: location });
    return { location: loc, trusted: [], revoked: [] };
  }
  if (st.isFile()) {
    if (loc.toLowerCase().endsWith('.json')) return readTrustFile(loc);
    const { key, pem, fingerprint } = await readPublicKeyFile(loc);
    return { location: loc, trusted: [{ name: path.basename(loc).replace(/\.(pub|pem)$/i, ''), fingerprint, publicKey: key, pem, file: loc }], revoked: [] };
  }
  const trustedDir = (await exists(path.join(loc, TRUSTED_DIR))) ? path.join(loc, TRUSTED_DIR) : loc;
  const [trusted, revoked] = await Promise.all([readPubFolder(trustedDir), readRevocations(path.join(loc, REVOKED_FILE))]);
  return { location: loc, trusted, revoked };
}

export type SignerStatus = { status: 'trusted'; key: TrustedKey } | { status: 'revoked'; entry: RevokedKey } | { status: 'unknown' };

/** Revocation first: a revoked key is refused even if it is also listed as trusted. */
export function lookupSigner(store: TrustStore, fingerprint: string): SignerStatus {
  const entry = store.revoked.find((r) => r.fingerprint === fingerprint);
  if (entry) return { status: 'revoked', entry };
  const key = store.trusted.find((t) => t.fingerprint === fingerprint);
  return key ? { status: 'trusted', key } : { status: 'unknown' };
}

/** `cairn keys list --json`: the store as one portable trust file. */
export function trustStoreJson(store: TrustStore): { format: 'cairn-trust/1'; location: string; trusted: { name: string; fingerprint: string; publicKey: string; file: string }[]; revoked: RevokedKey[] } {
  return {
    format: 'cairn-trust/1',
    location: store.location,
    trusted: store.trusted.map((t) => ({ name: t.name, fingerprint: t.fingerprint, publicKey: t.pem, file: t.file })),
    revoked: store.revoked,
  };
}

async function writeRevocations(dir: string, revoked: readonly RevokedKey[]): Promise<void> {
  await ensurePrivateDir(dir);
  const file = path.join(dir, REVOKED_FILE);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeKeyFile(tmp, `${JSON.stringify({ format: 'cairn-revocations/1', revoked }, null, 2)}\n`);
  await rename(tmp, file);
}

export interface TrustResult {
  key: { name: string; fingerprint: string; file: string };
  /** The same key was already trusted (nothing changed). */
  already: boolean;
  /** It had been revoked and --reinstate lifted that. */
  reinstated: boolean;
}

/** `cairn keys trust PUBFILE --name NAME`: copies the public key into DIR/trusted/NAME.pub. */
export async function trustKey(dir: string, pubFile: string, name: string, opts: { reinstate?: boolean } = {}): Promise<TrustResult> {
  checkKeyName(name);
  const { pem, fingerprint } = await readPublicKeyFile(pubFile);
  const store = await loadTrustStore(dir);
  let reinstated = false;
  const revoked = store.revoked.find((r) => r.fingerprint === fingerprint);
  if (revoked) {
    if (!opts.reinstate) {
      throw new CairnError(
        'BAD_INPUT',
        `key ${formatFingerprint(fingerprint)} (${revoked.name || 'unnamed'}) was revoked on ${revoked.revokedAt}${revoked.reason ? ` (${revoked.reason})` : ''}; pass --reinstate if you really mean to trust it again`,
        { input: pubFile },
      );
    }
    await writeRevocations(dir, store.revoked.filter((r) => r.fingerprint !== fingerprint));
    reinstated = true;
  }
  const same = store.trusted.find((t) => t.fingerprint === fingerprint);
  if (same) return { key: { name: same.name, fingerprint, file: same.file }, already: true, reinstated };
  const taken = store.trusted.find((t) => t.name === name);
  if (taken) {
    throw new CairnError('BAD_INPUT', `the name ${name} is already used by key ${formatFingerprint(taken.fingerprint)}; choose another --name, or revoke that key first`, { input: name });
  }
  const trustedDir = path.join(dir, TRUSTED_DIR);
  await ensurePrivateDir(dir);
  await ensurePrivateDir(trustedDir);
  const file = path.join(trustedDir, `${name}.pub`);
  await writeKeyFile(file, pem);
  return { key: { name, fingerprint, file }, already: false, reinstated };
}

export interface RevokeResult {
  entry: RevokedKey;
  already: boolean;
  /** Trusted .pub files removed. */
  removed: string[];
}

/** Finds the key a NAME or (full, or unique prefix of at least 8 digits) FINGERPRINT means. */
function resolveSelector(store: TrustStore, selector: string): { fingerprint: string; name: string } {
  const byName = store.trusted.find((t) => t.name === selector);
  if (byName) return { fingerprint: byName.fingerprint, name: byName.name };
  const fp = normalizeFingerprint(selector);
  if (/^[0-9a-f]{64}$/.test(fp)) {
    const known = store.trusted.find((t) => t.fingerprint === fp) ?? store.revoked.find((r) => r.fingerprint === fp);
    return { fingerprint: fp, name: known?.name ?? '' };
  }
  if (/^[0-9a-f]{8,63}$/.test(fp)) {
    const matches = [...store.trusted, ...store.revoked].filter((k, i, all) => k.fingerprint.startsWith(fp) && all.findIndex((o) => o.fingerprint === k.fingerprint) === i);
    if (matches.length === 1) return { fingerprint: matches[0]!.fingerprint, name: matches[0]!.name };
    if (matches.length > 1) throw new CairnError('BAD_INPUT', `fingerprint prefix ${selector} matches ${matches.length} keys; give more digits`, { input: selector });
  }
  throw new CairnError(
    'NOT_FOUND',
    `no trusted key is named or has fingerprint ${JSON.stringify(selector)}; see \`cairn keys list\` (to revoke a key you never trusted, give its full 64-digit fingerprint)`,
    { input: selector },
  );
}

/**
 * `cairn keys revoke FINGERPRINT|NAME`: adds the key to revoked.json (kept
 * for good) and removes it from trusted/. A full fingerprint may be revoked
 * pre-emptively, before the key was ever trusted here.
 */
export async function revokeKey(dir: string, selector: string, opts: { reason?: string; now?: Date } = {}): Promise<RevokeResult> {
  const store = await loadTrustStore(dir);
  const { fingerprint, name } = resolveSelector(store, selector);
  const removed: string[] = [];
  let entry = store.revoked.find((r) => r.fingerprint === fingerprint);
  const already = entry !== undefined;
  if (!entry) {
    entry = { fingerprint, name, revokedAt: (opts.now ?? new Date()).toISOString(), ...(opts.reason ? { reason: opts.reason } : {}) };
    // Record the revocation before removing the trusted copy: a crash in between still refuses the key.
    await writeRevocations(dir, [...store.revoked, entry]);
  }
  for (const t of store.trusted.filter((k) => k.fingerprint === fingerprint)) {
    if (path.dirname(t.file) === path.join(path.resolve(dir), TRUSTED_DIR)) {
      await unlink(t.file).catch(() => undefined);
      removed.push(t.file);
    }
  }
  return { entry, already, removed };
}
