import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/log.js';
import { tempDataDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(here, 'fixtures', 'append-worker.ts');
const repoRoot = path.resolve(here, '..', '..');

function run(dataDir: string, id: number, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, dataDir, String(id), String(count)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${id} exited ${code}: ${stderr}`))));
  });
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDataDir()));
afterEach(async () => cleanup());

describe('appends from several processes', () => {
  it('yield one valid chain with no lost or duplicated records', async () => {
    const WORKERS = 5;
    const EACH = 30;
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => run(dir, w, EACH)));

    const log = await AuditLog.open(dir);
    // 150 records pass the default interval of 100 once: whichever worker wrote seq 100 signed it, exactly once.
    expect(await log.verifySigned()).toMatchObject({ ok: true, records: WORKERS * EACH + 1, checkpoints: 1, lastCheckpoint: { recordSeq: 101, seq: 100 } });
    const all = await log.read();
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: WORKERS * EACH + 1 }, (_, i) => i + 1));
    const records = all.filter((r) => r.action !== 'audit.checkpoint');
    const tags = new Set(records.map((r) => { const p = r.payload as { worker: number; i: number }; return `${p.worker}:${p.i}`; }));
    expect(tags.size).toBe(WORKERS * EACH);
    // Each worker's own records stay in the order it appended them.
    for (let w = 0; w < WORKERS; w++) {
      const mine = records.filter((r) => r.actor === `worker-${w}`).map((r) => (r.payload as { i: number }).i);
      expect(mine).toEqual(Array.from({ length: EACH }, (_, i) => i));
    }
  }, 60_000);
});
