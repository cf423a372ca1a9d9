/**
 * What the crash trials kill: a `cairn ingest` of a folder, and a
 * `cairn package import` of a signed package holding the same files. Each
 * scenario says how to start one run on a data folder and how to tell, from
 * its JSON output, that a run completed the whole batch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IngestSummary } from '../../ingest/pipeline.js';
import { CAIRN_BIN, REPO_ROOT, scriptPath } from './paths.js';

export interface Scenario {
  name: string;
  /** The command for one run against a data folder. */
  command(dataDir: string): [string, string[]];
  /** Null when the run's JSON output says every file is ingested or already present; else what is missing. */
  incomplete(stdout: string, files: number): string | null;
  /** Further checks once a run completed (journals, staging folders). */
  afterComplete?(dataDir: string): Promise<string[]>;
}

interface FileStatus {
  file?: string;
  path?: string;
  status: string;
  error?: { code: string };
}

function statuses(stdout: string): { files: FileStatus[]; failed: number } | null {
  try {
    const s = JSON.parse(stdout) as { files?: FileStatus[]; failed?: number };
    return Array.isArray(s.files) ? { files: s.files, failed: Number(s.failed ?? 0) } : null;
  } catch {
    return null;
  }
}

function incompleteFrom(stdout: string, files: number): string | null {
  const s = statuses(stdout);
  if (!s) return `no JSON result: ${stdout.trim().split('\n').pop()?.slice(0, 160) ?? ''}`;
  const bad = s.files.filter((f) => f.status !== 'ingested' && f.status !== 'exists');
  if (bad.length === 0 && s.files.length === files && s.failed === 0) return null;
  return `${s.files.length}/${files} files reported; not done: ${bad.map((f) => `${path.basename(f.file ?? f.path ?? '?')} ${f.status} ${f.error?.code ?? ''}`).join(', ') || '(count differs)'}`;
}

export function ingestScenario(folder: string): Scenario {
  return {
    name: 'ingest',
    command: (dataDir) => [process.execPath, [CAIRN_BIN, '--data', dataDir, 'ingest', folder, '--json']],
    incomplete: incompleteFrom,
  };
}

export function parseIngestSummary(stdout: string): IngestSummary | null {
  try {
    const s = JSON.parse(stdout) as IngestSummary;
    return Array.isArray(s.files) ? s : null;
  } catch {
    return null;
  }
}

/** `cairn package import` is wired into the CLI (else the trials call the same library code through a small driver). */
export function cliHasPackageImport(): boolean {
  const r = spawnSync(process.execPath, [CAIRN_BIN, 'package', 'import', '--help'], { encoding: 'utf8', cwd: REPO_ROOT, timeout: 60_000 });
  return r.status === 0 && /trust/.test(r.stdout);
}

/** main/packages is present with the API the trials need. */
export function packagesAvailable(): boolean {
  return existsSync(path.join(REPO_ROOT, 'main', 'packages', 'index.ts'));
}

/**
 * Package import runs. Through the CLI when it has `package import`; else
 * through scripts/security/package-import-child.ts, which makes the same
 * calls as the CLI command (loadTrustStore, openPackageIngest, importPackage).
 */
export function packageScenario(pkg: string, trustPub: string, viaCli: boolean): Scenario {
  return {
    name: viaCli ? 'package import (cli)' : 'package import (driver)',
    command: (dataDir) =>
      viaCli
        ? [process.execPath, [CAIRN_BIN, '--data', dataDir, 'package', 'import', pkg, '--trust', trustPub, '--json']]
        : [process.execPath, ['--import', 'tsx', scriptPath('package-import-child.ts'), dataDir, pkg, trustPub]],
    incomplete: incompleteFrom,
    afterComplete: async (dataDir) => {
      const problems: string[] = [];
      const staging = path.join(dataDir, 'packages', 'staging');
      const left = existsSync(staging) ? await readdir(staging) : [];
      if (left.length > 0) problems.push(`staging folders left after a completed import: ${left.join(', ')}`);
      const journals = path.join(dataDir, 'packages', 'imports');
      for (const f of existsSync(journals) ? await readdir(journals) : []) {
        if (!f.endsWith('.json')) continue;
        const j = JSON.parse(await readFile(path.join(journals, f), 'utf8')) as { state?: string };
        if (j.state !== 'complete') problems.push(`import journal ${f} says ${j.state ?? '?'} after a completed import`);
      }
      return problems;
    },
  };
}
