/**
 * Ed25519 publisher keys (node:crypto): generate, load, fingerprint, sign,
 * verify. A key's fingerprint is the sha256 of its raw 32-byte public key,
 * in hex; people compare it in groups of four (`formatFingerprint`).
 *
 * Files: `NAME.key` is the private key (PKCS#8 PEM), `NAME.pub` the public
 * key (SPKI PEM). Both are written with mode 0600 in folders created 0700;
 * an existing file is never overwritten.
 */
import { createPrivateKey, createPublicKey, generateKeyPair as generateKeyPairCb, type KeyObject, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CairnError } from '../core/errors.js';
import { sha256Hex } from '../core/hash.js';

const generateKeyPairAsync = promisify(generateKeyPairCb);

export const PRIVATE_KEY_MODE = 0o600;
export const KEY_DIR_MODE = 0o700;

/** Key names become file names: letters, digits, dot, dash, underscore. */
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkKeyName(name: string): string {
  if (!KEY_NAME.test(name) || name.endsWith('.')) {
    throw new CairnError('BAD_INPUT', `invalid key name ${JSON.stringify(name)}: use 1-64 letters, digits, ".", "-" or "_", starting with a letter or digit`, { input: name });
  }
  return name;
}

/** sha256 of the raw 32-byte Ed25519 public key, lowercase hex. */
export function fingerprintOf(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new CairnError('BAD_INPUT', 'not an Ed25519 key');
  return sha256Hex(Buffer.from(jwk.x, 'base64url'));
}

/** `ab12 cd34 ...`: how a fingerprint is shown to and compared by people. */
export function formatFingerprint(fp: string): string {
  return fp.match(/.{1,4}/g)?.join(' ') ?? fp;
}

/** Accepts a fingerprint as typed: any case, with spaces or colons. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toLowerCase();
}

function assertEd25519(key: KeyObject, file: string, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new CairnError('BAD_INPUT', `${file} holds a ${key.asymmetricKeyType ?? 'unknown'} ${what}; Cairn packages are signed with Ed25519 keys (make one with \`cairn keys generate\`)`, { input: file });
  }
  return key;
}

/** Parses a PEM public key (or the public half of a private key) and insists on Ed25519. */
export function parsePublicKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${source} is not a PEM public key (${(e as Error).message}); expected the NAME.pub file \`cairn keys generate\` writes`, { input: source, cause: e });
  }
  return assertEd25519(key, source, 'public key');
}

export async function readPublicKeyFile(file: string): Promise<{ key: KeyObject; pem: string; fingerprint: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CairnError('NOT_FOUND', `cannot read public key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { input: file, cause: e });
  }
  const key = parsePublicKey(text, file);
  return { key, pem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: fingerprintOf(key) };
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
  /** Things the holder should fix, e.g. a private key others can read. */
  warnings: string[];
}

export async function readPrivateKeyFile(file: string): Promise<SigningKey> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mode)]);
  } catch (e) {
    throw new CairnError('NOT_FOUND', `cannot read private key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { input: file, cause: e });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(text);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `${file} is not a PEM private key (${(e as Error).message}); --key takes the NAME.key file \`cairn keys generate\` writes, not the .pub`, { input: file, cause: e });
  }
  assertEd25519(privateKey, file, 'private key');
  const warnings: string[] = [];
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    warnings.push(`private key ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: fingerprintOf(publicKey), warnings };
}

export function signBytes(bytes: Uint8Array, key: KeyObject): Buffer {
  return cryptoSign(null, bytes, key);
}

export function verifyBytes(bytes: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  try {
    return cryptoVerify(null, bytes, key, signature);
  } catch {
    return false;
  }
}

/** Creates a folder (and parents) 0700; an existing folder is left as it is. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: KEY_DIR_MODE });
  // mkdir's mode is filtered by the umask; set it exactly on the folder we made.
  if (created !== undefined) await chmod(dir, KEY_DIR_MODE);
}

/** Writes a key file 0600, refusing to replace an existing one. */
export async function writeKeyFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, { mode: PRIVATE_KEY_MODE, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CairnError('BAD_INPUT', `${file} already exists; choose another name or move the old key away first (keys are never overwritten)`, { input: file });
    }
    throw e;
  }
  await chmod(file, PRIVATE_KEY_MODE);
}

export interface GeneratedKey {
  name: string;
  privateKeyFile: string;
  publicKeyFile: string;
  fingerprint: string;
}

/** `cairn keys generate`: a new Ed25519 key pair as NAME.key and NAME.pub in outDir. */
export async function generateKeyFiles(name: string, outDir: string): Promise<GeneratedKey> {
  checkKeyName(name);
  const dir = path.resolve(outDir);
  const privateKeyFile = path.join(dir, `${name}.key`);
  const publicKeyFile = path.join(dir, `${name}.pub`);
  for (const f of [privateKeyFile, publicKeyFile]) {
    if (await stat(f).then(() => true, () => false)) {
      throw new CairnError('BAD_INPUT', `${f} already exists; choose another --name or move the old key away first (keys are never overwritten)`, { input: f });
    }
  }
  await ensurePrivateDir(dir);
  const { privateKey, publicKey } = await generateKeyPairAsync('ed25519');
  await writeKeyFile(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  await writeKeyFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { name, privateKeyFile, publicKeyFile, fingerprint: fingerprintOf(publicKey) };
}
