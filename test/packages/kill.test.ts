/**
 * An import killed with SIGKILL part-way (a real child process) leaves the
 * store consistent: every visible source is complete, with all its chunks,
 * and belongs to the package. Re-running with --resume completes it, and
 * the package's files end up in the store exactly once.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { AuditLog } from '../../main/audit/index.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { Store } from '../../main/store/store.js';
import { filesUnder, importInto, makePackage, type Sandbox, sandbox, trustedPublisher, writeCorpus } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'fixtures', 'import-child.ts');
const repoRoot = path.resolve(here, '..', '..');
const FILES = 12;

let sb: Sandbox;
let pkg: { out: string; packageId: string };
beforeAll(async () => {
  sb = await sandbox('cairn-kill-');
  const corpus: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) {
    corpus[`reports/r${String(i).padStart(2, '0')}.txt`] = `Report ${i}. Patrol boat ${i * 7} sighted near buoy ${i * 13} at ${10 + i}:00.\n\n${'Observation detail. '.repeat(40 + i)}\n`;
  }
  await writeCorpus(sb.src, corpus);
  pkg = await makePackage(sb, await trustedPublisher(sb));
});
afterAll(async () => sb.cleanup());

/** Runs the child import and SIGKILLs it once it has reported `after` ingested files (plus a random few ms). */
function importAndKill(after: number): Promise<{ killed: boolean; seen: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, pkg.out, sb.data], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let stderr = '';
    let buffered = '';
    p.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('ingest ')) seen++;
        if (seen === after && !p.killed) setTimeout(() => p.kill('SIGKILL'), Math.floor(Math.random() * 40));
      }
    });
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, seen });
      else if (code === 0) resolve({ killed: false, seen });
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

describe('SIGKILL during import', () => {
  it('leaves only complete sources, and --resume completes the import', async () => {
    const after = 1 + Math.floor(Math.random() * (FILES - 3));
    const run = await importAndKill(after);
    expect(run.killed).toBe(true);

    // Consistent: every visible source is from the package and has its chunks.
    const embedder = new HashedEmbedder();
    const store = await Store.open(sb.data, { embedderId: embedder.id, dimension: embedder.dimension });
    const partial = await store.listSources();
    expect(partial.length).toBeGreaterThanOrEqual(after);
    expect(partial.length).toBeLessThanOrEqual(FILES);
    for (const s of partial) {
      expect(s.packageId).toBe(pkg.packageId);
      expect((await store.chunksOfSource(s.id)).length).toBeGreaterThan(0);
    }
    expect(await (await AuditLog.open(sb.data)).verify()).toMatchObject({ ok: true });

    // Resume: verifies again, re-extracts, ingests the rest.
    const r = await importInto(sb, pkg.out, { resume: true });
    expect(r).toMatchObject({ resumed: true, failed: 0, ingested: FILES - partial.length, exists: partial.length });
    const all = await (await Cairn.open(sb.data)).sources();
    expect(all).toHaveLength(FILES);
    expect(new Set(all.map((s) => s.id)).size).toBe(FILES);
    for (const s of all) expect(s.packageId).toBe(pkg.packageId);
    expect(await filesUnder(path.join(sb.data, 'packages', 'staging'))).toEqual([]);
    expect((await importInto(sb, pkg.out)).ingested).toBe(0);
  }, 240_000);
});
