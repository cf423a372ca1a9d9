/**
 * Which keys a checkpoint may be signed with. By default the installation's
 * own public key (DATA/keys/private/installation.pub). A reviewer who does
 * not trust the data folder passes `--trust` with their own copy: a .pub
 * file, a folder of .pub files (optionally with revoked.json), or a trust
 * JSON file as `cairn keys list --json` prints (main/packages/trust.ts reads
 * all three). `--trust` replaces the installation key rather than adding to
 * it: a key read from the folder under review cannot vouch for that folder.
 */
import type { KeyObject } from 'node:crypto';
import { loadTrustStore } from '../packages/trust.js';
import { readInstallationPublicKey } from './sign.js';

export interface AuditTrust {
  /** Where the keys came from, for the report. */
  source: string;
  keys: Map<string, { name: string; key: KeyObject }>;
  revoked: Map<string, { name: string; revokedAt: string; reason?: string }>;
}

export async function loadAuditTrust(dataDir: string, trustLocation?: string): Promise<AuditTrust> {
  if (trustLocation !== undefined) {
    const store = await loadTrustStore(trustLocation, { mustExist: true });
    return {
      source: store.location,
      keys: new Map(store.trusted.map((t) => [t.fingerprint, { name: t.name, key: t.publicKey }])),
      revoked: new Map(store.revoked.map((r) => [r.fingerprint, { name: r.name, revokedAt: r.revokedAt, ...(r.reason ? { reason: r.reason } : {}) }])),
    };
  }
  const own = await readInstallationPublicKey(dataDir);
  return {
    source: own ? own.file : 'no installation key yet (DATA/keys/private/installation.key is made with the first checkpoint)',
    keys: own ? new Map([[own.fingerprint, { name: 'installation', key: own.key }]]) : new Map(),
    revoked: new Map(),
  };
}
