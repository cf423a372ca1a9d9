/**
 * `cairn package verify`: reads the package as a stream, writing nothing to
 * disk, and lists every problem it finds: structure (archive.ts), layout,
 * manifest schema, signature and signer trust, each file's size and sha256
 * against the manifest, unlisted files, and (given a policy) markings.
 */
import { checkTarLayout } from './tar-layout.js';
import { parseMarking, type MarkingPolicy } from '../access/index.js';
import { scanArchive, type PackageLimits, resolveLimits } from './archive.js';
import { formatFingerprint, verifyBytes } from './keys.js';
import { FILES_DIR, type Manifest, MANIFEST_ENTRY, manifestSha256, parseManifest, parseSignature, SIGNATURE_ENTRY } from './manifest.js';
import { problem, type Problem } from './problems.js';
import { BufferSink, HashSink } from './sinks.js';
import { lookupSigner, type TrustStore } from './trust.js';

const MAX_SIGNATURE_BYTES = 64 * 1024;

export interface VerifyOptions {
  trustStore: TrustStore;
  limits?: Partial<PackageLimits>;
  /** When given, every file's marking must parse under it (MARKING_INVALID otherwise). */
  policy?: MarkingPolicy;
}

export interface VerifyReport {
  ok: boolean;
  packageId: string | null;
  publisher: { name: string; fingerprint: string; trustedAs: string | null } | null;
  files: { path: string; bytes: number; sha256: string; kind: string; marking: string }[];
  problems: Problem[];
  /** sha256 of manifest.json's bytes: names exactly what was verified and signed. */
  manifestSha256: string | null;
}

export interface Verification extends VerifyReport {
  /** The parsed manifest when the package is valid; import works from this. */
  manifest: Manifest | null;
}

/** Where a tar entry belongs in the package layout. */
export type EntryRole = { role: 'manifest' } | { role: 'signature' } | { role: 'file'; rel: string } | { role: 'folder' } | { role: 'unexpected' };

export function entryRole(path: string, type: 'file' | 'directory'): EntryRole {
  if (type === 'directory') return path === FILES_DIR || path.startsWith(`${FILES_DIR}/`) ? { role: 'folder' } : { role: 'unexpected' };
  if (path === MANIFEST_ENTRY) return { role: 'manifest' };
  if (path === SIGNATURE_ENTRY) return { role: 'signature' };
  if (path.startsWith(`${FILES_DIR}/`)) return { role: 'file', rel: path.slice(FILES_DIR.length + 1) };
  return { role: 'unexpected' };
}

export const UNEXPECTED_MESSAGE = `not part of the package layout (${MANIFEST_ENTRY}, ${SIGNATURE_ENTRY}, ${FILES_DIR}/...)`;

function checkSignature(manifest: Manifest | null, manifestBytes: Buffer, sigBytes: Buffer | null, trust: TrustStore): { problems: Problem[]; trustedAs: string | null } {
  if (!sigBytes) return { problems: [problem('SIGNATURE_MISSING', `no ${SIGNATURE_ENTRY} in the package: it is unsigned and cannot be trusted`, SIGNATURE_ENTRY)], trustedAs: null };
  const { signature, problems } = parseSignature(sigBytes);
  if (!signature) return { problems, trustedAs: null };
  const out: Problem[] = [];
  if (manifest && manifest.publisher.fingerprint !== signature.fingerprint) {
    out.push(problem('SIGNER_MISMATCH', `the manifest names publisher key ${formatFingerprint(manifest.publisher.fingerprint)} but it was signed by ${formatFingerprint(signature.fingerprint)}`, SIGNATURE_ENTRY));
  }
  const signer = lookupSigner(trust, signature.fingerprint);
  if (signer.status === 'revoked') {
    const r = signer.entry;
    out.push(problem('SIGNER_REVOKED', `signed by key ${formatFingerprint(r.fingerprint)}${r.name ? ` (${r.name})` : ''}, which was revoked on ${r.revokedAt}${r.reason ? `: ${r.reason}` : ''}; obtain a package signed with a current key`, SIGNATURE_ENTRY));
    return { problems: out, trustedAs: null };
  }
  if (signer.status === 'unknown') {
    out.push(
      problem(
        'SIGNER_UNTRUSTED',
        `signed by key ${formatFingerprint(signature.fingerprint)}${manifest ? ` (claims to be ${JSON.stringify(manifest.publisher.name)})` : ''}, which is not in the trust store ${trust.location}; if you trust this publisher, check the fingerprint with them and run \`cairn keys trust THEIR.pub --name NAME\``,
        SIGNATURE_ENTRY,
      ),
    );
    return { problems: out, trustedAs: null };
  }
  if (!verifyBytes(manifestBytes, Buffer.from(signature.signature, 'base64'), signer.key.publicKey)) {
    out.push(problem('SIGNATURE_INVALID', `the signature does not match ${MANIFEST_ENTRY}: the manifest was changed after it was signed, or the signature was damaged`, SIGNATURE_ENTRY));
  }
  return { problems: out, trustedAs: signer.key.name };
}

export async function verifyPackage(pkgPath: string, opts: VerifyOptions): Promise<Verification> {
  const limits = resolveLimits(opts.limits);
  const problems: Problem[] = [];
  const seen = new Map<string, HashSink>();
  let manifestSink: BufferSink | null = null;
  let sigSink: BufferSink | null = null;

  const scan = await scanArchive(pkgPath, limits, (entry) => {
    const role = entryRole(entry.path, entry.type);
    switch (role.role) {
      case 'manifest':
        return (manifestSink = new BufferSink(limits.maxManifestBytes, MANIFEST_ENTRY, 'MANIFEST_INVALID'));
      case 'signature':
        return (sigSink = new BufferSink(MAX_SIGNATURE_BYTES, SIGNATURE_ENTRY, 'SIGNATURE_INVALID'));
      case 'file': {
        const sink = new HashSink();
        seen.set(role.rel, sink);
        return sink;
      }
      case 'folder':
        return null;
      case 'unexpected':
        problems.push(problem('UNEXPECTED_ENTRY', UNEXPECTED_MESSAGE, entry.path));
        return null;
    }
  });
  problems.unshift(...scan.problems);
  // Bytes no reader looks at (padding, checksum terminators, the trailer) must be as written too.
  if (scan.problems.length === 0 && !scan.stopped) problems.push(...(await checkTarLayout(pkgPath)));

  const empty: Verification = { ok: false, packageId: null, publisher: null, files: [], problems, manifestSha256: null, manifest: null };
  // TS cannot see the assignments inside the callback.
  const mSink = manifestSink as BufferSink | null;
  const sSink = sigSink as BufferSink | null;
  if (!mSink || !mSink.writableFinished) {
    // A stopped scan may not have reached (or finished) the manifest: that is not a second problem.
    if (!scan.stopped) problems.push(problem('MANIFEST_MISSING', `no ${MANIFEST_ENTRY} in the package: this is not a Cairn package`, MANIFEST_ENTRY));
    return empty;
  }
  const manifestBytes = mSink.bytes;
  const parsed = parseManifest(manifestBytes);
  problems.push(...parsed.problems);
  const manifest = parsed.manifest;
  const sigBytes = sSink?.writableFinished ? sSink.bytes : null;
  const sig = sigBytes || !scan.stopped ? checkSignature(manifest, manifestBytes, sigBytes, opts.trustStore) : { problems: [], trustedAs: null };
  problems.push(...sig.problems);
  if (!manifest) return { ...empty, manifestSha256: manifestSha256(manifestBytes) };

  // After a stopped scan, files not reached yet would all look missing: report only what was seen.
  if (!scan.stopped) {
    for (const f of manifest.files) {
      const entry = `${FILES_DIR}/${f.path}`;
      const got = seen.get(f.path);
      if (!got) problems.push(problem('FILE_MISSING', 'listed in the manifest but not in the package', entry));
      else if (got.bytes !== f.bytes) problems.push(problem('FILE_SIZE_MISMATCH', `${got.bytes} bytes, the manifest lists ${f.bytes}: the file was changed or damaged`, entry));
      else if (got.sha256 !== f.sha256) problems.push(problem('FILE_HASH_MISMATCH', `sha256 ${got.sha256}, the manifest lists ${f.sha256}: the file was changed or damaged`, entry));
    }
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const rel of seen.keys()) if (!listed.has(rel)) problems.push(problem('FILE_UNLISTED', 'in the package but not in the signed manifest: it was added after signing', `${FILES_DIR}/${rel}`));

  if (opts.policy) {
    for (const f of manifest.files) {
      try {
        parseMarking(f.marking, opts.policy);
      } catch (e) {
        problems.push(problem('MARKING_INVALID', `${(e as Error).message}; this installation's marking policy does not accept it`, `${FILES_DIR}/${f.path}`));
      }
    }
  }

  return {
    ok: problems.length === 0,
    packageId: manifest.id,
    publisher: { name: manifest.publisher.name, fingerprint: manifest.publisher.fingerprint, trustedAs: sig.trustedAs },
    files: manifest.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256, kind: f.kind, marking: f.marking })),
    problems,
    manifestSha256: manifestSha256(manifestBytes),
    manifest: problems.length === 0 ? manifest : null,
  };
}
