/**
 * main/packages: signed data packages (create, verify, import) and the
 * publisher keys and trust store behind them. Module map:
 *   manifest.ts (format)   keys.ts (Ed25519)      trust.ts (trusted / revoked keys)
 *   paths.ts (name rules)  archive.ts (streaming tar checks, limits)
 *   sinks.ts (entry bodies) tar-write.ts (deterministic tar)  sidecar.ts (per-file metadata)
 *   create.ts  verify.ts  extract.ts  import.ts  store-ingest.ts (deps for a data folder)
 */
export { DEFAULT_LIMITS, type PackageLimits, resolveLimits } from './archive.js';
export { createPackage, type CreateOptions, type CreateResult } from './create.js';
export { importPackage, type AuditSink, type ImportDeps, type ImportFileOutcome, type ImportOptions, type ImportProgress, type ImportResult, PACKAGES_DIR, type PackageIngest, type PackageIngestOptions } from './import.js';
export { checkKeyName, fingerprintOf, formatFingerprint, generateKeyFiles, type GeneratedKey, normalizeFingerprint, readPrivateKeyFile, readPublicKeyFile } from './keys.js';
export { type Manifest, type ManifestFile, PACKAGE_FORMAT, type PackageSignature, type Provenance } from './manifest.js';
export { formatProblem, PackageInvalidError, type Problem, type ProblemCode } from './problems.js';
export { SIDECAR_FILE } from './sidecar.js';
export { defaultActor, openPackageIngest, type PackageIngestDeps } from './store-ingest.js';
export { keysDir, loadTrustStore, lookupSigner, type RevokedKey, revokeKey, type RevokeResult, type TrustedKey, trustKey, type TrustResult, type TrustStore, trustStoreJson } from './trust.js';
export { type Verification, verifyPackage, type VerifyOptions, type VerifyReport } from './verify.js';
