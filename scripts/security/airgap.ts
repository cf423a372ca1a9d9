/**
 * Air-gap proof. Every run below happens with the egress counter preloaded
 * into every Node process and worker thread (egress-preload.mjs through
 * NODE_OPTIONS), and, where `unshare -n` works (root on Linux), inside a
 * fresh network namespace whose only interface is loopback:
 *   1. control: a script that tries a remote socket and, from a worker
 *      thread, a DNS lookup. Both must be counted, or the counter is blind
 *      and every zero below means nothing.
 *   2. namespace probe: the interfaces Node sees inside the namespace, and a
 *      real connect() without the counter, which must fail.
 *   3. the whole demo: `node --import tsx scripts/demo.ts`.
 *   4. a CLI session: ingest the demo corpus, ask its three questions (the
 *      answers must cite), search, audit verify.
 *   5. optionally the whole test suite (`vitest run`).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AnswerOutput } from '../../main/api/contract.js';
import { makeDemoCorpus } from '../demo/make-corpus.js';
import { runLimited } from './child.js';
import { CAIRN_BIN, measuredEnv, REPO_ROOT } from './paths.js';

export interface AirGapRun {
  name: string;
  exitCode: number | null;
  egress: number;
  /** The attempts, one line each (what, from where). */
  attempts: string[];
  ms: number;
  ok: boolean;
  note: string;
}

export interface AirGapReport {
  /** `unshare -n` works here; when false the runs still count egress, outside a namespace. */
  namespace: boolean;
  namespaceNote: string;
  /** Interfaces Node sees inside the namespace (expected: only lo). */
  interfaces: string[];
  /** The control's two attempts were both counted. */
  controlDetected: number;
  controlExpected: number;
  runs: AirGapRun[];
  /** Egress attempts summed over the measured runs (the control excluded). */
  egress: number;
}

export interface AirGapOptions {
  /** Also run the whole test suite inside the namespace (slow). */
  suite?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * `cmd args` in a new network namespace. Its only interface is loopback, which
 * starts down; it is brought up (with `ip`, when present) so that code talking
 * to 127.0.0.1 (cairn serve, the test suite's loopback servers) works while
 * nothing else is reachable.
 */
export function inNamespace(cmd: string, args: readonly string[]): [string, string[]] {
  return ['unshare', ['-n', 'sh', '-c', 'ip link set lo up 2>/dev/null; exec "$@"', 'sh', cmd, ...args]];
}

/** The failing test files (and tests) vitest names in its output. */
export function failingTests(out: string): string {
  const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
  const names = [...new Set([...plain.matchAll(/FAIL\s+(\S+\.test\.ts)(?:\s*>\s*([^\n]+))?/g)].map((m) => `${m[1]}${m[2] ? ` > ${m[2].trim().slice(0, 100)}` : ''}`))];
  return names.length ? names.join('; ') : 'see the suite output';
}

export function unshareWorks(): { ok: boolean; note: string } {
  if (process.platform !== 'linux') return { ok: false, note: `unshare is Linux only (this is ${process.platform})` };
  const r = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
  if (r.error) return { ok: false, note: `unshare is not available: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, note: `unshare -n failed (needs root or user namespaces): ${r.stderr.trim()}` };
  return { ok: true, note: 'unshare -n: a new network namespace, loopback only' };
}

async function attempts(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        const a = JSON.parse(l) as { what: string; where: string; pid: number; thread: number };
        return `${a.what} (pid ${a.pid}${a.thread ? ` thread ${a.thread}` : ''}) at ${a.where}`;
      } catch {
        return l;
      }
    });
}

const CONTROL = `
import net from 'node:net';
import { Worker } from 'node:worker_threads';
try { net.connect({ host: '192.0.2.1', port: 9 }).on('error', () => {}); } catch {}
await new Promise((resolve) => {
  const w = new Worker("import dns from 'node:dns'; try { dns.lookup('example.org', () => {}); } catch {}", { eval: true });
  w.on('exit', resolve).on('error', resolve);
});
`;

const PROBE = `
import net from 'node:net';
import os from 'node:os';
const names = Object.entries(os.networkInterfaces()).map(([n, a]) => n + ':' + (a ?? []).map((x) => x.address).join('/'));
const err = await new Promise((resolve) => {
  const s = net.connect({ host: '192.0.2.1', port: 9 });
  s.setTimeout(3000, () => { s.destroy(); resolve('TIMEOUT'); });
  s.on('connect', () => { s.destroy(); resolve('CONNECTED'); });
  s.on('error', (e) => resolve(e.code ?? e.message));
});
process.stdout.write(JSON.stringify({ names, err }));
`;

export type MeasuredRun = (name: string, cmd: string, args: string[], check: (stdout: string, code: number | null) => string | null) => Promise<AirGapRun>;

/**
 * A runner of commands with the egress counter preloaded, inside the
 * namespace when `namespace` is set; each run's attempts are counted apart.
 */
export function measuredRunner(work: string, opts: { namespace: boolean; timeoutMs?: number; log?: (line: string) => void }): MeasuredRun {
  return async (name, cmd, args, check) => {
    const log = path.join(work, `egress-${randomUUID()}.jsonl`);
    const [c, a] = opts.namespace ? inNamespace(cmd, args) : [cmd, args];
    const r = await runLimited(c, a, { timeoutMs: opts.timeoutMs ?? 300_000, cwd: REPO_ROOT, env: measuredEnv(log) });
    const list = await attempts(log);
    const problem = r.timedOut ? 'timed out' : check(r.stdout, r.code);
    opts.log?.(`air-gap: ${name}: exit ${r.code}, ${list.length} egress attempt(s), ${(r.ms / 1000).toFixed(1)} s${problem ? ` (${problem})` : ''}`);
    return { name, exitCode: r.code, egress: list.length, attempts: list, ms: r.ms, ok: problem === null, note: problem ?? (r.stderr.trim().split('\n').pop() ?? '') };
  };
}

/** Runs the control script: it tries a remote socket (main thread) and a DNS lookup (worker thread); returns how many were counted (2 expected). */
export async function controlCount(measured: MeasuredRun, work: string): Promise<AirGapRun> {
  const controlFile = path.join(work, 'control.mjs');
  await writeFile(controlFile, CONTROL);
  return measured('control (must count 2)', process.execPath, [controlFile], () => null);
}

export async function measureAirGap(opts: AirGapOptions = {}): Promise<AirGapReport> {
  const ns = unshareWorks();
  const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-airgap-'));
  const runs: AirGapRun[] = [];
  const measured = measuredRunner(work, { namespace: ns.ok, timeoutMs: opts.timeoutMs, log: opts.log });
  try {
    const control = await controlCount(measured, work);

    let interfaces: string[] = [];
    let namespaceNote = ns.note;
    if (ns.ok) {
      const probeFile = path.join(work, 'probe.mjs');
      await writeFile(probeFile, PROBE);
      const [c, a] = inNamespace(process.execPath, [probeFile]);
      const p = spawnSync(c, a, { encoding: 'utf8', timeout: 30_000 });
      try {
        const got = JSON.parse(p.stdout) as { names: string[]; err: string };
        interfaces = got.names;
        namespaceNote += `; a real connect to 192.0.2.1 inside it fails with ${got.err}`;
        if (got.err === 'CONNECTED') namespaceNote += ' (THE NAMESPACE HAS A ROUTE OUT)';
      } catch {
        namespaceNote += `; the probe failed: ${p.stderr.slice(-200)}`;
      }
    }

    runs.push(await measured('demo (scripts/demo.ts)', process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'demo.ts')], (_o, code) => (code === 0 ? null : `exit ${code}`)));

    const corpus = await makeDemoCorpus(path.join(work, 'corpus'));
    const data = path.join(work, 'data');
    const cli = (...args: string[]): string[] => [CAIRN_BIN, '--data', data, ...args];
    runs.push(await measured('cli ingest', process.execPath, cli('ingest', path.join(work, 'corpus'), '--json'), (out, code) => (code === 0 && /"failed": 0/.test(out) ? null : `exit ${code}`)));
    for (const [i, q] of corpus.questions.entries()) {
      const must = corpus.expected[i]?.mustContain ?? '';
      runs.push(
        await measured(`cli ask #${i + 1}`, process.execPath, cli('ask', q, '--json'), (out, code) => {
          if (code !== 0) return `exit ${code}`;
          const a = JSON.parse(out) as AnswerOutput;
          return a.citations.length > 0 && a.answer.includes(must) ? null : `answer lacks "${must}" or citations`;
        }),
      );
    }
    runs.push(await measured('cli search', process.execPath, cli('search', 'Port Halcyra', '--json'), (out, code) => (code === 0 && /"hits": \[\s*\{/.test(out) ? null : `exit ${code} or no hits`)));
    runs.push(await measured('cli audit verify', process.execPath, cli('audit', 'verify', '--json'), (out, code) => (code === 0 && /"ok": true/.test(out) ? null : `exit ${code}`)));
    if (opts.suite) {
      runs.push(await measured('test suite (vitest run)', process.execPath, [path.join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], (out, code) => (code === 0 ? null : `exit ${code}; failing: ${failingTests(out)}`)));
    }
    return { namespace: ns.ok, namespaceNote, interfaces, controlDetected: control.egress, controlExpected: 2, runs, egress: runs.reduce((a, r) => a + r.egress, 0) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
