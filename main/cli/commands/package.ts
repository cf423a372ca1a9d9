/**
 * `cairn package create|verify|import`: signed data packages (formats and
 * semantics in main/packages/; import's resume behaviour in import.ts).
 *
 * `verify --json` prints {ok, packageId, publisher, files, problems:[{code, path?, message}], manifestSha256}
 * and exits 1 when the package is not valid. `import --json` prints the
 * ImportResult, or {ok:false, error:{code, message, input, problems}} when
 * the package is refused (exit 1).
 */
import { type Command, Option } from 'commander';
import { loadPolicy } from '../../access/index.js';
import { CairnError } from '../../core/errors.js';
import {
  createPackage,
  formatFingerprint,
  formatProblem,
  importPackage,
  keysDir,
  loadTrustStore,
  openPackageIngest,
  PackageInvalidError,
  type PackageLimits,
  type TrustStore,
  verifyPackage,
} from '../../packages/index.js';
import type { CliContext } from '../index.js';
import { requireLocalRole } from './authorize.js';
import { progressReporter } from '../progress.js';

const USER_ERROR = 1;

/** Accepts 1000, 512K, 200M, 4G, 1T (binary multiples). */
export function parseSize(text: string): number {
  const m = /^(\d+)\s*([KMGT]i?B?)?$/i.exec(text.trim());
  if (!m) throw new CairnError('BAD_INPUT', `not a size: ${JSON.stringify(text)} (use a number of bytes, or 512K, 200M, 4G)`, { input: text });
  const mult = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[(m[2] ?? '').charAt(0).toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  const n = Number(m[1]) * mult;
  if (!Number.isSafeInteger(n) || n <= 0) throw new CairnError('BAD_INPUT', `size out of range: ${JSON.stringify(text)}`, { input: text });
  return n;
}

function parseCount(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new CairnError('BAD_INPUT', `not a positive whole number: ${JSON.stringify(text)}`, { input: text });
  return n;
}

interface LimitFlags {
  maxEntries?: number;
  maxEntryBytes?: number;
  maxTotalBytes?: number;
}

function withLimitOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--max-entries <n>', 'refuse archives with more entries (default 100000)').argParser(parseCount))
    .addOption(new Option('--max-entry-bytes <size>', 'refuse any entry larger than this, e.g. 4G (default 4G)').argParser(parseSize))
    .addOption(new Option('--max-total-bytes <size>', 'refuse archives larger than this uncompressed, e.g. 64G (default 64G)').argParser(parseSize));
}

function limitsOf(o: LimitFlags): Partial<PackageLimits> {
  return {
    ...(o.maxEntries !== undefined ? { maxEntries: o.maxEntries } : {}),
    ...(o.maxEntryBytes !== undefined ? { maxEntryBytes: o.maxEntryBytes } : {}),
    ...(o.maxTotalBytes !== undefined ? { maxTotalBytes: o.maxTotalBytes } : {}),
  };
}

async function trustStoreFor(ctx: CliContext, trust: string | undefined): Promise<TrustStore> {
  return trust ? loadTrustStore(trust, { mustExist: true }) : loadTrustStore(keysDir(ctx.dataDir()));
}

export function register(program: Command, ctx: CliContext): void {
  const pkg = program.command('package').description('signed data packages: create, verify, import');

  pkg
    .command('create')
    .description('pack the files under DIR into one signed package file (optional per-file metadata: DIR/cairn-package.json)')
    .argument('<dir>', 'folder whose files go into the package (hidden files are skipped)')
    .requiredOption('--out <pkg>', 'package file to write')
    .requiredOption('--key <keyfile>', 'Ed25519 private key (NAME.key from `cairn keys generate`)')
    .option('--marking <marking>', 'marking for every file, e.g. "SECRET//NOFORN" (default: the lowest level)')
    .option('--originator <name>', 'who produced or collected the files (default: the publisher name)')
    .option('--collected <date>', 'collection date, e.g. 2024-05-01 or 2024-05-01T06:00:00Z')
    .option('--publisher <name>', 'publisher name in the manifest (default: the key file name)')
    .option('--force', 'replace an existing package file')
    .option('--json', 'print JSON')
    .action(async (dir: string, o: { out: string; key: string; marking?: string; originator?: string; collected?: string; publisher?: string; force?: boolean; json?: boolean }) => {
      const progress = progressReporter(!o.json);
      try {
        const r = await createPackage({
          dir,
          out: o.out,
          keyFile: o.key,
          marking: o.marking,
          originator: o.originator,
          collected: o.collected,
          publisher: o.publisher,
          force: o.force,
          onProgress: (p) => progress.update({ done: p.done, total: p.total, file: `${p.phase} ${p.file}`, status: 'ingested' }),
        });
        progress.stop();
        for (const w of r.warnings) ctx.io.err(`warning: ${w}`);
        if (o.json) ctx.json(r);
        else {
          ctx.io.out(
            [
              `wrote ${r.out}: package ${r.packageId}, ${r.files} file${r.files === 1 ? '' : 's'}, ${r.bytes} bytes`,
              `signed by ${r.publisher.name}  ${formatFingerprint(r.publisher.fingerprint)}`,
              `manifest sha256 ${r.manifestSha256}`,
            ].join('\n'),
          );
        }
      } finally {
        progress.stop();
      }
    });

  withLimitOptions(
    pkg
      .command('verify')
      .description('check a package before import: structure, signature, trusted signer, every file hash; writes nothing')
      .argument('<pkg>', 'package file')
      .option('--trust <dirOrFile>', 'trust store: keys folder, folder of .pub files, a .pub file or a trust JSON file (default: DATA/keys)')
      .option('--json', 'print {ok, packageId, publisher, files, problems, manifestSha256}'),
  ).action(async (file: string, o: LimitFlags & { trust?: string; json?: boolean }) => {
    const trustStore = await trustStoreFor(ctx, o.trust);
    const v = await verifyPackage(file, { trustStore, limits: limitsOf(o), policy: await loadPolicy() });
    if (!v.ok) ctx.setExit(USER_ERROR);
    if (o.json) {
      ctx.json({ ok: v.ok, packageId: v.packageId, publisher: v.publisher, files: v.files, problems: v.problems, manifestSha256: v.manifestSha256 });
      return;
    }
    if (v.ok && v.publisher) {
      const bytes = v.files.reduce((s, f) => s + f.bytes, 0);
      ctx.io.out(
        [
          `package OK: ${v.packageId}`,
          `  publisher ${v.publisher.name} (trusted as ${v.publisher.trustedAs}), key ${formatFingerprint(v.publisher.fingerprint)}`,
          `  ${v.files.length} file${v.files.length === 1 ? '' : 's'}, ${bytes} bytes; manifest sha256 ${v.manifestSha256}`,
        ].join('\n'),
      );
    } else {
      ctx.io.err([`package ${file} is NOT valid (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}); do not import it:`, ...v.problems.map((p) => `  - ${formatProblem(p)}`)].join('\n'));
    }
  });

  withLimitOptions(
    pkg
      .command('import')
      .description('verify, then ingest a package; re-running completes an interrupted import and adds nothing twice')
      .argument('<pkg>', 'package file')
      .option('--trust <dirOrFile>', 'trust store (default: DATA/keys)')
      .option('--resume', 'complete an interrupted import of this package; fails if there is none')
      .option('--json', 'print JSON'),
  ).action(async (file: string, o: LimitFlags & { trust?: string; resume?: boolean; json?: boolean }) => {
    await requireLocalRole(ctx, 'packageImport'); // before anything is read or written
    const trustStore = await trustStoreFor(ctx, o.trust);
    const deps = await openPackageIngest(ctx.dataDir());
    const progress = progressReporter(!o.json);
    try {
      const r = await importPackage(
        file,
        {
          trustStore,
          ingest: deps.ingest,
          audit: deps.audit,
          actor: deps.actor,
          dataDir: ctx.dataDir(),
          policy: deps.policy,
          limits: limitsOf(o),
          onProgress: (p) => progress.update({ done: p.done, total: p.total, file: `${p.phase} ${p.file}`, status: 'ingested' }),
        },
        { resume: o.resume },
      );
      progress.stop();
      if (r.failed > 0) ctx.setExit(USER_ERROR);
      if (o.json) {
        ctx.json(r);
        return;
      }
      const lines = [
        `${r.resumed ? 'completed interrupted import of' : 'imported'} package ${r.packageId} from ${r.publisher.trustedAs ?? r.publisher.name} (${formatFingerprint(r.publisher.fingerprint)}): ${r.ingested} ingested, ${r.exists} already present, ${r.failed} failed`,
        ...r.files.map((f) => `  ${f.status.padEnd(8)} ${f.path}  [${f.marking}]${f.error ? `  ${f.error.code}: ${f.error.message}` : ''}`),
      ];
      if (r.auditId) lines.push(`audit ${r.auditId}`);
      ctx.io.out(lines.join('\n'));
    } catch (e) {
      if (o.json && e instanceof PackageInvalidError) {
        ctx.setExit(USER_ERROR);
        ctx.json({ ok: false, error: e.toJSON() });
        return;
      }
      throw e;
    } finally {
      progress.stop();
    }
  });
}
