/**
 * The installation key that signs audit checkpoints, and the exact bytes a
 * checkpoint signature covers.
 *
 * Key store: the one `cairn keys` manages (main/packages/keys.ts, DATA/keys/,
 * folders 0700, files 0600, never overwritten). The installation key is the
 * pair `DATA/keys/private/installation.key` / `installation.pub`, made on
 * first need (the first checkpoint). An administrator may make it ahead of
 * time with `cairn keys generate --name installation`, and should hand
 * `installation.pub` (or its fingerprint) to reviewers: a key that lives in
 * the same folder as the log proves nothing to someone who can also replace
 * the key, so outside trust is what makes a signature worth checking.
 */
import type { KeyObject } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import { fingerprintOf, generateKeyFiles, readPrivateKeyFile, readPublicKeyFile, type SigningKey } from '../packages/keys.js';
import { signBytes, verifyBytes } from '../packages/keys.js';
import { canonicalJson } from './canonical.js';

export const INSTALLATION_KEY_NAME = 'installation';
/** Version of the signed statement; a verifier refuses formats it does not know. */
export const CHECKPOINT_FORMAT = 'cairn-audit-checkpoint/1';

export function installationKeyFiles(dataDir: string): { privateKeyFile: string; publicKeyFile: string } {
  const dir = path.join(path.resolve(dataDir), 'keys', 'private');
  return { privateKeyFile: path.join(dir, `${INSTALLATION_KEY_NAME}.key`), publicKeyFile: path.join(dir, `${INSTALLATION_KEY_NAME}.pub`) };
}

const exists = (f: string): Promise<boolean> => stat(f).then(() => true, () => false);

/**
 * The installation's signing key, created when there is none. Callers hold
 * the audit log lock, so two processes never both create one.
 */
export async function loadOrCreateInstallationKey(dataDir: string): Promise<SigningKey> {
  const { privateKeyFile, publicKeyFile } = installationKeyFiles(dataDir);
  if (!(await exists(privateKeyFile))) {
    if (await exists(publicKeyFile)) {
      throw new CairnError('BAD_INPUT', `${publicKeyFile} exists but its private key ${privateKeyFile} does not: audit checkpoints cannot be signed. Restore the private key, or move both away to start a new installation key (then give reviewers the new .pub).`, { input: privateKeyFile });
    }
    await generateKeyFiles(INSTALLATION_KEY_NAME, path.dirname(privateKeyFile));
  }
  const key = await readPrivateKeyFile(privateKeyFile);
  // A crash between writing the .key and the .pub leaves no .pub; it is derivable.
  if (!(await exists(publicKeyFile))) await writeFile(publicKeyFile, key.publicKey.export({ type: 'spki', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' }).catch(() => undefined);
  return key;
}

/** The installation's public key for verifying, or null when it has none yet. */
export async function readInstallationPublicKey(dataDir: string): Promise<{ key: KeyObject; fingerprint: string; file: string } | null> {
  const { privateKeyFile, publicKeyFile } = installationKeyFiles(dataDir);
  if (await exists(publicKeyFile)) {
    const { key, fingerprint } = await readPublicKeyFile(publicKeyFile);
    return { key, fingerprint, file: publicKeyFile };
  }
  if (await exists(privateKeyFile)) {
    const k = await readPrivateKeyFile(privateKeyFile);
    return { key: k.publicKey, fingerprint: k.fingerprint, file: privateKeyFile };
  }
  return null;
}

/** What a checkpoint asserts: "the record with this seq has this hash", by this key. */
export interface CheckpointStatement {
  seq: number;
  headHash: string;
  /** sha256 fingerprint of the signer's raw Ed25519 public key. */
  keyId: string;
}

/** Canonical JSON of the statement with its format: the bytes signed. */
export function statementBytes(s: CheckpointStatement): Buffer {
  return Buffer.from(canonicalJson({ format: CHECKPOINT_FORMAT, seq: s.seq, headHash: s.headHash, keyId: s.keyId }), 'utf8');
}

/** Base64 Ed25519 signature over statementBytes. */
export function signStatement(s: Omit<CheckpointStatement, 'keyId'>, key: SigningKey): { statement: CheckpointStatement; signature: string } {
  const statement = { seq: s.seq, headHash: s.headHash, keyId: key.fingerprint };
  return { statement, signature: signBytes(statementBytes(statement), key.privateKey).toString('base64') };
}

export function verifyStatement(s: CheckpointStatement, signature: string, publicKey: KeyObject): boolean {
  if (fingerprintOf(publicKey) !== s.keyId) return false;
  return verifyBytes(statementBytes(s), Buffer.from(signature, 'base64'), publicKey);
}

export type { SigningKey };
