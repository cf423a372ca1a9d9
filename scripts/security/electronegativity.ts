/**
 * `npm run lint:electron`: Doyensec's Electronegativity over the Electron
 * main process (main/electron), the renderer (renderer/index.html and
 * renderer/src) and, when it has been built, renderer/dist. Exits 1 on any
 * HIGH or MEDIUM finding not suppressed in the code (an `// eng-disable ID`
 * comment on the flagged line, with a reason beside it), and on any file the
 * checker could not parse (a file it cannot read is a file it did not check).
 *
 * Offline by construction, so it runs in CI and in the air-gap namespace:
 *   - the tool fetches translations from a web bucket at start; that module
 *     (`got`) is replaced by one that fails at once, so no socket is opened
 *     and the bundled en-US strings are used;
 *   - AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list
 *     and is excluded; the Electron version comes from node_modules instead
 *     (keeping Electron current is the dependency updates' job).
 *
 * The inputs are copied to one temporary folder so the global checks
 * (permission handler, navigation limits, CSP) see the whole app at once;
 * `preload.cts` is copied as `.ts` because the tool reads only js/ts/html.
 */
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Severity = 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

export interface EnegFinding {
  id: string;
  /** Repository-relative path of the file in the working tree. */
  file: string;
  line: number;
  column: number;
  severity: Severity;
  confidence: string;
  manualReview: boolean;
  description: string;
}

export interface EnegResult {
  tool: string;
  electronVersion: string;
  /** Repository-relative paths of the files scanned. */
  files: string[];
  checks: number;
  findings: EnegFinding[];
  /** Files the tool failed to parse (not checked). */
  parseErrors: { file: string; message: string }[];
}

/** Needs the network: downloads the Electron release list. */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
/** What fails the lint. */
export const BLOCKING: ReadonlySet<Severity> = new Set(['HIGH', 'MEDIUM']);

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');

export interface Input {
  /** Relative to the root scanned. */
  from: string;
  optional?: boolean;
}

/** The inputs, repository-relative; missing optional ones are skipped. */
export const INPUTS: readonly Input[] = [
  { from: 'main/electron' },
  { from: 'renderer/index.html' },
  { from: 'renderer/src' },
  { from: 'renderer/dist', optional: true },
  { from: 'package.json' },
];

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: Severity };
  confidence: { name: string };
  manualReview?: boolean;
  description: string;
}

type Runner = (options: Record<string, unknown>, forCli: boolean) => Promise<{ globalChecks: number; atomicChecks: number; errors: { file: string; message: string; tolerable: boolean }[]; issues: RawIssue[] }>;

/** Loads the tool with its translation download stubbed out (see the header). */
function loadRunner(root: string): { run: Runner; version: string } {
  const require = createRequire(path.join(root, 'package.json'));
  const pkgFile = require.resolve('@doyensec/electronegativity/package.json');
  const base = path.dirname(pkgFile);
  const gotPath = createRequire(path.join(base, 'dist', 'locales', 'i18n.js')).resolve('got');
  const offline = (): Promise<never> => Promise.reject(new Error('offline: translations are not downloaded'));
  // A CommonJS module cache entry: the tool's `require('got')` gets the stub.
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline } as unknown as NodeJS.Module;
  const version = (require(pkgFile) as { version: string }).version;
  return { run: require(path.join(base, 'dist', 'runner.js')) as Runner, version };
}

function electronVersionOf(root: string): string {
  const require = createRequire(path.join(root, 'package.json'));
  return (require('electron/package.json') as { version: string }).version;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Copies the inputs into `stage`; returns staged path -> repository path. */
async function stageInputs(root: string, inputs: readonly Input[], stage: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const input of inputs) {
    const src = path.join(root, input.from);
    if (!(await exists(src))) {
      if (input.optional) continue;
      throw new Error(`lint:electron: ${input.from} is missing`);
    }
    await cp(src, path.join(stage, input.from), { recursive: true });
  }
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      const rel = path.relative(stage, p).split(path.sep).join('/');
      if (/\.[cm]ts$/.test(e.name)) {
        const renamed = p.replace(/\.[cm]ts$/, '.ts');
        await cp(p, renamed);
        await rm(p);
        map.set(path.relative(stage, renamed).split(path.sep).join('/'), rel);
      } else map.set(rel, rel);
    }
  };
  await walk(stage);
  return map;
}

/** Scans `inputs` under `root` (the app by default) with the tool and Electron installed in this repository. */
export async function runElectronegativity(o: { root?: string; inputs?: readonly Input[] } = {}): Promise<EnegResult> {
  const { run, version } = loadRunner(REPO_ROOT);
  const electronVersion = electronVersionOf(REPO_ROOT);
  const stage = await mkdtemp(path.join(os.tmpdir(), 'cairn-electronegativity-'));
  try {
    const map = await stageInputs(o.root ?? REPO_ROOT, o.inputs ?? INPUTS, stage);
    const back = (file: string): string => {
      const rel = (path.isAbsolute(file) ? path.relative(stage, file) : file).split(path.sep).join('/');
      return map.get(rel) ?? rel;
    };
    // The tool logs a line when the translation download fails; keep stdout for our report.
    const log = console.log;
    console.log = (...args: unknown[]) => console.error(...args);
    let r: Awaited<ReturnType<Runner>>;
    try {
      r = await run(
        {
          input: stage,
          output: undefined,
          isSarif: false,
          customScan: [],
          excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
          severitySet: undefined,
          confidenceSet: undefined,
          isRelative: false,
          isVerbose: false,
          electronUpgrade: undefined,
          electronVersionOverride: electronVersion,
          parserPlugins: [],
        },
        false,
      );
    } finally {
      console.log = log;
    }
    const findings = r.issues.map(
      (i): EnegFinding => ({
        id: i.id,
        file: back(i.file),
        line: i.location.line,
        column: i.location.column,
        severity: i.severity.name,
        confidence: i.confidence.name,
        manualReview: i.manualReview === true,
        description: i.description,
      }),
    );
    return {
      tool: `@doyensec/electronegativity ${version}`,
      electronVersion,
      files: [...map.values()].sort(),
      checks: r.globalChecks + r.atomicChecks,
      findings: findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.id.localeCompare(b.id)),
      parseErrors: r.errors.filter((e) => !e.tolerable).map((e) => ({ file: back(e.file), message: e.message })),
    };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

export function blockingFindings(r: EnegResult): EnegFinding[] {
  return r.findings.filter((f) => BLOCKING.has(f.severity));
}

export function formatReport(r: EnegResult): string {
  const lines = [
    `${r.tool}: ${r.checks} checks over ${r.files.length} files (Electron ${r.electronVersion}); excluded: ${EXCLUDED_CHECKS.join(', ')} (needs the network)`,
    ...r.findings.map((f) => `  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}  ${f.file}:${f.line}:${f.column}${f.manualReview ? '  (review)' : ''}  ${f.description}`),
    ...r.parseErrors.map((e) => `  NOT CHECKED   ${e.file}: ${e.message}`),
  ];
  const blocking = blockingFindings(r).length;
  lines.push(`${r.findings.length} findings, ${blocking} high or medium; ${r.parseErrors.length} files not parsed`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const r = await runElectronegativity();
  process.stdout.write(`${formatReport(r)}\n`);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  return blockingFindings(r).length > 0 || r.parseErrors.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(2);
    },
  );
}

