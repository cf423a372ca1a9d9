/**
 * `cairn package import PKG`: verify, extract to staging, ingest, audit.
 *
 * Order of work
 *   1. Verify the package as a stream (verify.ts). Nothing is written before
 *      this passes; a refused package is audited (`package.import.refused`)
 *      with its problems, and PackageInvalidError is thrown.
 *   2. Take a per-package lock (a second import of the same package waits
 *      or fails; it never interleaves) and record the import as running in
 *      DATA/packages/imports/<id>.json.
 *   3. Extract into DATA/packages/staging/<id>/files/, re-checking every
 *      entry and every hash as it is written (extract.ts). Never outside it.
 *   4. Ingest the staged files with packageId = the manifest id, each file's
 *      marking, and its provenance (originator, collection date, package
 *      path, publisher, manifest hash) in the source's `metadata.provenance`.
 *   5. Audit `package.import` with the package id, publisher fingerprint,
 *      manifest sha256 and every file's outcome; mark the journal complete;
 *      remove the staging folder (also on failure).
 *
 * Atomicity, idempotence and --resume (decided)
 *   The unit of atomicity is one source: the store writes all of a source's
 *   rows or none, and the same bytes again are a no-op ('exists'). So at any
 *   point, even after SIGKILL, the store holds the sources it held before
 *   plus some complete sources of the package, never a partial one. Running
 *   the same import again completes it: files already in the store are
 *   reported 'exists', the rest are ingested. Importing a complete package
 *   again adds nothing. An import is therefore never rolled back; it is
 *   resumed.
 *
 *   Plain `import` always does this, and reports `resumed: true` when it
 *   finishes an interrupted run. `--resume` is the explicit form for
 *   scripts and operators: it does the same work but first insists that an
 *   interrupted import of this very package (same manifest sha256) exists,
 *   and fails without touching anything otherwise (nothing to resume, the
 *   package already completed, or a different package under the same id).
 *   A staging folder left by a killed run is discarded and re-extracted
 *   from the (re-verified) package, never trusted as it is.
 *
 *   Files that fail to ingest (unsupported or damaged content) are reported
 *   per file and leave the import 'complete-with-failures'; a later re-run
 *   retries just those.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import type { IngestFileResult, IngestProgress, IngestSummary } from '../../ingest/pipeline.js';
import type { MarkingPolicy } from '../access/index.js';
import { CairnError } from '../core/errors.js';
import type { PackageLimits } from './archive.js';
import { extractVerified } from './extract.js';
import type { Manifest } from './manifest.js';
import { PackageInvalidError } from './problems.js';
import type { TrustStore } from './trust.js';
import { verifyPackage } from './verify.js';

export const PACKAGES_DIR = 'packages';

export interface PackageIngestOptions {
  /** The file's banner marking from the manifest, e.g. "SECRET//NOFORN". */
  marking: string;
  packageId: string;
  /** Merged into each source's metadata, keyed by the path exactly as passed in `paths`. */
  provenance: ReadonlyMap<string, Record<string, unknown>>;
  onProgress?: (e: IngestProgress) => void;
}

/** Ingests files into the store (see store-ingest.ts for the one backed by a data folder). */
export type PackageIngest = (paths: readonly string[], opts: PackageIngestOptions) => Promise<IngestSummary>;

export interface AuditSink {
  append(actor: string, action: string, payload: unknown): Promise<unknown>;
}

export interface ImportProgress {
  phase: 'extract' | 'ingest';
  done: number;
  total: number;
  file: string;
}

export interface ImportDeps {
  trustStore: TrustStore;
  ingest: PackageIngest;
  audit: AuditSink;
  actor: string;
  /** The data folder: staging and the import journal live under DATA/packages/. */
  dataDir: string;
  /** Markings must parse under this policy before anything is extracted. */
  policy?: MarkingPolicy;
  limits?: Partial<PackageLimits>;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportOptions {
  /** Insist on completing an interrupted import of this package (see the module comment). */
  resume?: boolean;
}

export interface ImportFileOutcome {
  path: string;
  sha256: string;
  marking: string;
  status: IngestFileResult['status'];
  sourceId?: string;
  error?: { code: string; message: string };
  /** E-mail attachments ingested as their own sources. */
  attachments?: number;
}

export interface ImportResult {
  packageId: string;
  publisher: { name: string; fingerprint: string; trustedAs: string | null };
  manifestSha256: string;
  files: ImportFileOutcome[];
  ingested: number;
  exists: number;
  failed: number;
  /** This run completed an earlier, interrupted import. */
  resumed: boolean;
  /** The `package.import` audit record's hash. */
  auditId: string | null;
}

const journalSchema = z.object({
  packageId: z.string(),
  manifestSha256: z.string(),
  publisher: z.string(),
  package: z.string(),
  state: z.enum(['running', 'complete', 'complete-with-failures']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  counts: z.object({ ingested: z.number(), exists: z.number(), failed: z.number() }).optional(),
});
type Journal = z.infer<typeof journalSchema>;

function packagesDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), PACKAGES_DIR);
}

async function readJournal(file: string): Promise<Journal | null> {
  try {
    const r = journalSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

async function writeJournal(file: string, j: Journal): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(j, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

function checkResume(journal: Journal | null, manifest: Manifest, sha: string): void {
  const id = manifest.id;
  if (!journal) throw new CairnError('BAD_INPUT', `there is no interrupted import of package ${id} to resume; run \`cairn package import\` without --resume to import it`, { input: id });
  if (journal.manifestSha256 !== sha) {
    throw new CairnError('BAD_INPUT', `the interrupted import of package ${id} was of a different manifest (sha256 ${journal.manifestSha256}, this one is ${sha}); this is not the same package: run without --resume`, { input: id });
  }
  if (journal.state !== 'running') {
    throw new CairnError('BAD_INPUT', `package ${id} was already imported completely (${journal.finishedAt ?? journal.startedAt}); nothing to resume. Importing it again without --resume adds nothing new`, { input: id });
  }
}

async function withImportLock<T>(dir: string, id: string, fn: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, { lockfilePath: path.join(dir, `${id}.lock`), stale: 10_000, retries: { retries: 10, minTimeout: 200, maxTimeout: 2_000 } });
  } catch (e) {
    throw new CairnError('BAD_INPUT', `another import of package ${id} is running (lock ${path.join(dir, `${id}.lock`)}); wait for it to finish`, { input: id, cause: e });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

function outcomes(manifest: Manifest, staged: ReadonlyMap<string, string>, results: readonly IngestFileResult[]): ImportFileOutcome[] {
  const byStaged = new Map(results.map((r) => [r.file, r]));
  return manifest.files.map((f) => {
    const r = byStaged.get(staged.get(f.path) ?? '');
    const base = { path: f.path, sha256: f.sha256, marking: f.marking };
    if (!r) return { ...base, status: 'failed' as const, error: { code: 'INTERNAL', message: 'the ingest step returned no result for this file' } };
    return {
      ...base,
      status: r.status,
      ...(r.sourceId ? { sourceId: r.sourceId } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.attachments?.length ? { attachments: r.attachments.length } : {}),
    };
  });
}

/** Groups files by marking, keeping manifest order within and between groups. */
function byMarking(manifest: Manifest): Map<string, Manifest['files']> {
  const groups = new Map<string, Manifest['files']>();
  for (const f of manifest.files) groups.set(f.marking, [...(groups.get(f.marking) ?? []), f]);
  return groups;
}

export async function importPackage(pkgPath: string, deps: ImportDeps, opts: ImportOptions = {}): Promise<ImportResult> {
  const pkg = path.resolve(pkgPath);
  const v = await verifyPackage(pkg, { trustStore: deps.trustStore, limits: deps.limits, policy: deps.policy });
  if (!v.ok || !v.manifest || !v.manifestSha256 || !v.publisher) {
    await deps.audit.append(deps.actor, 'package.import.refused', { packageId: v.packageId, package: pkg, manifestSha256: v.manifestSha256, problems: v.problems.slice(0, 100) });
    throw new PackageInvalidError(pkg, v.problems);
  }
  const manifest = v.manifest;
  const sha = v.manifestSha256;
  const publisher = v.publisher;
  const root = packagesDir(deps.dataDir);
  const importsDir = path.join(root, 'imports');
  const staging = path.join(root, 'staging', manifest.id);
  await mkdir(importsDir, { recursive: true, mode: 0o700 });

  return withImportLock(importsDir, manifest.id, async () => {
    const journalFile = path.join(importsDir, `${manifest.id}.json`);
    const journal = await readJournal(journalFile);
    if (opts.resume) checkResume(journal, manifest, sha);
    const resumed = journal?.state === 'running' && journal.manifestSha256 === sha;
    const startedAt = resumed ? journal.startedAt : new Date().toISOString();
    await writeJournal(journalFile, { packageId: manifest.id, manifestSha256: sha, publisher: publisher.fingerprint, package: pkg, state: 'running', startedAt });

    try {
      // A leftover from a killed run is never trusted: start the staging folder afresh.
      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true, mode: 0o700 });
      const staged = await extractVerified(pkg, { manifest, manifestSha256: sha }, staging, deps.limits ?? {}, (done, total, rel) => deps.onProgress?.({ phase: 'extract', done, total, file: rel }));

      const results: IngestFileResult[] = [];
      let offset = 0;
      const total = manifest.files.length;
      for (const [marking, files] of byMarking(manifest)) {
        const paths = files.map((f) => staged.get(f.path)!);
        const provenance = new Map(
          files.map((f) => [
            staged.get(f.path)!,
            {
              provenance: {
                originator: f.provenance.originator,
                collected: f.provenance.collected,
                ...(f.provenance.grade ? { grade: f.provenance.grade } : {}),
                packageId: manifest.id,
                packagePath: f.path,
                publisher: { name: publisher.name, fingerprint: publisher.fingerprint, trustedAs: publisher.trustedAs },
                manifestSha256: sha,
              },
            },
          ]),
        );
        const start = offset;
        const summary = await deps.ingest(paths, {
          marking,
          packageId: manifest.id,
          provenance,
          onProgress: (e) => deps.onProgress?.({ phase: 'ingest', done: start + e.done, total, file: e.file }),
        });
        results.push(...summary.files);
        offset += files.length;
      }

      const files = outcomes(manifest, staged, results);
      const count = (s: ImportFileOutcome['status']): number => files.filter((f) => f.status === s).length;
      const counts = { ingested: count('ingested'), exists: count('exists'), failed: count('failed') };
      const record = await deps.audit.append(deps.actor, 'package.import', {
        packageId: manifest.id,
        manifestSha256: sha,
        publisher: { name: publisher.name, fingerprint: publisher.fingerprint, trustedAs: publisher.trustedAs },
        package: pkg,
        resumed,
        ...counts,
        files,
      });
      await writeJournal(journalFile, {
        packageId: manifest.id,
        manifestSha256: sha,
        publisher: publisher.fingerprint,
        package: pkg,
        state: counts.failed > 0 ? 'complete-with-failures' : 'complete',
        startedAt,
        finishedAt: new Date().toISOString(),
        counts,
      });
      const hash = (record as { hash?: unknown } | null)?.hash;
      return { packageId: manifest.id, publisher, manifestSha256: sha, files, ...counts, resumed, auditId: typeof hash === 'string' ? hash : null };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}
