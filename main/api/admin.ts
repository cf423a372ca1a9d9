/**
 * The administrative operations of the contract (packageVerify,
 * packageImport, keysList, usersList) as plain functions over a data folder,
 * reusing what `cairn package` / `cairn keys` / `cairn users` do. Cairn calls
 * them after its role check; they check no roles themselves.
 */
import { readUsersFile } from '../access/users.js';
import type { MarkingPolicy } from '../access/index.js';
import { importPackage, type ImportDeps, keysDir, loadTrustStore, type TrustStore, trustStoreJson, verifyPackage } from '../packages/index.js';
import type { KeysListOutput, PackageImportOutput, PackageVerifyOutput, UsersListOutput } from './contract.js';
import { listTokens } from './user-tokens.js';

/** DATA/keys, or the given trust file or folder (which must exist: a typo must not read as "untrusted"). */
export async function trustStoreFor(dataDir: string, trust?: string): Promise<TrustStore> {
  return trust ? loadTrustStore(trust, { mustExist: true }) : loadTrustStore(keysDir(dataDir));
}

/** The verdict on a package file on this machine's disk, as `cairn package verify --json` prints it. */
export async function verifyPackageFile(dataDir: string, file: string, trust: string | undefined, policy: MarkingPolicy): Promise<PackageVerifyOutput> {
  const v = await verifyPackage(file, { trustStore: await trustStoreFor(dataDir, trust), policy });
  return { ok: v.ok, packageId: v.packageId, publisher: v.publisher, files: v.files, problems: v.problems, manifestSha256: v.manifestSha256 };
}

/** Verifies, then ingests, with DATA/keys as the trust store (a refused package throws PackageInvalidError). */
export async function importPackageFile(file: string, deps: Omit<ImportDeps, 'trustStore'>, resume?: boolean): Promise<PackageImportOutput> {
  const r = await importPackage(file, { ...deps, trustStore: await trustStoreFor(deps.dataDir) }, { resume });
  return { ...r, files: r.files.map((f) => ({ ...f })) };
}

/** The trust store without key material beyond names, fingerprints and files. */
export async function listKeys(dataDir: string): Promise<KeysListOutput> {
  const j = trustStoreJson(await trustStoreFor(dataDir));
  return { location: j.location, trusted: j.trusted.map((k) => ({ name: k.name, fingerprint: k.fingerprint, file: k.file })), revoked: j.revoked };
}

/** Users with their roles and clearance and whether a token is issued; token hashes never leave users-tokens.json. */
export async function listUsers(dataDir: string): Promise<UsersListOutput> {
  const [users, tokens] = await Promise.all([readUsersFile(dataDir), listTokens(dataDir)]);
  const issued = new Map(tokens.map((t) => [t.user, t.issuedAt]));
  if (!users) return { configured: false, users: [] };
  return {
    configured: true,
    users: Object.entries(users)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, u]) => ({
        name,
        roles: [...u.roles],
        clearance: u.clearance,
        compartments: [...u.compartments],
        ...(u.nationality !== undefined ? { nationality: u.nationality } : {}),
        token: issued.has(name) ? { issuedAt: issued.get(name) as string } : null,
      })),
  };
}
