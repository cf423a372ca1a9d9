/**
 * Extracts a verified package into a staging folder, re-applying every
 * check while it writes: the archive on removable media may change between
 * verification and extraction, so each entry is checked again (structure by
 * scanArchive, layout here), each file is written new (never replacing,
 * never through a link) strictly inside the staging folder, and its bytes
 * must hash to what the verified manifest says. Any difference throws
 * PackageInvalidError; the caller removes the staging folder.
 */
import path from 'node:path';
import { type PackageLimits, resolveLimits, scanArchive } from './archive.js';
import { FILES_DIR, type Manifest, MANIFEST_ENTRY, manifestSha256 } from './manifest.js';
import { PackageInvalidError, problem, type Problem } from './problems.js';
import { BufferSink, StagedFileSink } from './sinks.js';
import { entryRole, UNEXPECTED_MESSAGE } from './verify.js';

export interface Verified {
  manifest: Manifest;
  manifestSha256: string;
}

/** Returns the staged absolute path of every manifest file, by its manifest path. */
export async function extractVerified(pkgPath: string, verified: Verified, stagingRoot: string, limits: Partial<PackageLimits>, onFile?: (done: number, total: number, rel: string) => void): Promise<Map<string, string>> {
  const filesRoot = path.join(stagingRoot, FILES_DIR);
  const expected = new Map(verified.manifest.files.map((f) => [f.path, f]));
  const staged = new Map<string, string>();
  const problems: Problem[] = [];
  let manifestSink: BufferSink | null = null;
  const total = verified.manifest.files.length;
  let written = 0;

  const scan = await scanArchive(pkgPath, limits, (entry) => {
    const role = entryRole(entry.path, entry.type);
    switch (role.role) {
      case 'manifest':
        return (manifestSink = new BufferSink(resolveLimits(limits).maxManifestBytes, MANIFEST_ENTRY, 'PACKAGE_CHANGED'));
      case 'signature':
      case 'folder':
        return null;
      case 'unexpected':
        problems.push(problem('PACKAGE_CHANGED', `${UNEXPECTED_MESSAGE}; it was not there when the package was verified`, entry.path));
        return null;
      case 'file': {
        const f = expected.get(role.rel);
        if (!f) {
          problems.push(problem('PACKAGE_CHANGED', 'not in the verified manifest; the archive changed after it was verified', entry.path));
          return null;
        }
        try {
          const sink = new StagedFileSink(filesRoot, entry.path, role.rel, f);
          staged.set(role.rel, sink.dest);
          sink.once('finish', () => onFile?.(++written, total, role.rel));
          return sink;
        } catch (e) {
          problems.push(problem('BAD_PATH', (e as Error).message, entry.path));
          return null;
        }
      }
    }
  });
  problems.unshift(...scan.problems);
  const mSink = manifestSink as BufferSink | null;
  if (!scan.stopped) {
    if (!mSink?.writableFinished || manifestSha256(mSink.bytes) !== verified.manifestSha256) {
      problems.push(problem('PACKAGE_CHANGED', 'manifest.json is not the one that was verified', MANIFEST_ENTRY));
    }
    for (const f of verified.manifest.files) if (!staged.has(f.path)) problems.push(problem('PACKAGE_CHANGED', 'listed in the manifest but no longer in the package', `${FILES_DIR}/${f.path}`));
  }
  if (problems.length > 0) throw new PackageInvalidError(pkgPath, problems, 'changed or could not be extracted after it was verified');
  return staged;
}
