/**
 * Runs one command in a child process under a wall-clock limit and a memory
 * cap, and says how it ended. The child gets its own process group so a kill
 * takes every descendant with it.
 *
 * Memory: `prlimit --as` cannot be used on Node here (V8 and WebAssembly
 * reserve tens of GB of address space up front, so even 16 GB refuses to
 * start), so the cap is enforced by sampling the resident memory of the whole
 * process tree every `sampleMs` and killing it above `memCapMb`. The V8 heap
 * of the main thread is capped with --max-old-space-size as well. Peak RSS
 * comes from `/usr/bin/time -v` (measured by the kernel) when present, else
 * from the samples.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const TIME_BIN = '/usr/bin/time';

export interface LimitedRun {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** Signal that ended the child (from /usr/bin/time when it wraps the child). */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Killed at the wall-clock limit. */
  timedOut: boolean;
  /** Killed because the process tree's RSS passed memCapMb. */
  overMemory: boolean;
  /** Peak resident memory of the child in MB: kernel figure when /usr/bin/time is present, else sampled. */
  peakRssMb: number | null;
  peakRssSource: 'time -v' | 'sampled' | 'none';
  ms: number;
}

export interface LimitOptions {
  timeoutMs: number;
  /** Kill the tree when its summed RSS passes this; 0 = no cap. */
  memCapMb?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  sampleMs?: number;
  /** Keep at most this many characters of stderr (the tail). */
  maxStderr?: number;
}

/** Pids of a process and all its descendants, from /proc (Linux); just the root elsewhere. */
export async function processTree(root: number): Promise<number[]> {
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    out.push(pid);
    let tids: string[] = [];
    try {
      tids = await readdir(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const kids = (await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8')).trim();
        if (kids) queue.push(...kids.split(/\s+/).map(Number));
      } catch {
        // the thread or process ended meanwhile
      }
    }
  }
  return out;
}

async function rssKb(pid: number): Promise<number> {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export async function treeRssMb(root: number): Promise<number> {
  let kb = 0;
  for (const pid of await processTree(root)) kb += await rssKb(pid);
  return kb / 1024;
}

function parseTimeReport(text: string): { maxRssKb?: number; signal?: number; exit?: number } {
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  const sig = /Command terminated by signal (\d+)/.exec(text);
  const exit = /Exit status: (\d+)/.exec(text);
  return { maxRssKb: rss ? Number(rss[1]) : undefined, signal: sig ? Number(sig[1]) : undefined, exit: exit ? Number(exit[1]) : undefined };
}

function signalName(n: number): string {
  const hit = Object.entries(os.constants.signals).find(([, v]) => v === n);
  return hit ? hit[0] : `signal ${n}`;
}

/** Runs `cmd args` with the limits; never throws for how the child ended. */
export async function runLimited(cmd: string, args: readonly string[], opts: LimitOptions): Promise<LimitedRun> {
  const useTime = process.platform === 'linux' && existsSync(TIME_BIN);
  const scratch = useTime ? await mkdtemp(path.join(os.tmpdir(), 'cairn-limit-')) : '';
  const report = path.join(scratch, 'time.txt');
  const [file, argv] = useTime ? [TIME_BIN, ['-v', '-o', report, cmd, ...args]] : [cmd, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const maxStderr = opts.maxStderr ?? 16_000;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (stderr.length > maxStderr * 2) stderr = stderr.slice(-maxStderr);
  });
  let timedOut = false;
  let overMemory = false;
  let sampledPeak = 0;
  const killTree = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killTree();
  }, opts.timeoutMs);
  let sampling = false;
  const sampler = setInterval(() => {
    if (sampling || child.pid === undefined) return;
    sampling = true;
    void treeRssMb(child.pid)
      .then((mb) => {
        sampledPeak = Math.max(sampledPeak, mb);
        if (opts.memCapMb && mb > opts.memCapMb && !overMemory) {
          overMemory = true;
          killTree();
        }
      })
      .finally(() => (sampling = false));
  }, opts.sampleMs ?? 200);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (e) => {
      stderr += `\nspawn failed: ${e.message}`;
      resolve({ code: 127, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  clearInterval(sampler);
  // A descendant that outlived its parent (it should not) must not outlive the run.
  killTree();
  const ms = performance.now() - started;
  let code = exit.code;
  let signal: string | null = exit.signal;
  let peakRssMb: number | null = sampledPeak > 0 ? sampledPeak : null;
  let peakRssSource: LimitedRun['peakRssSource'] = peakRssMb === null ? 'none' : 'sampled';
  if (useTime) {
    const t = parseTimeReport(await readFile(report, 'utf8').catch(() => ''));
    if (t.maxRssKb !== undefined) {
      peakRssMb = t.maxRssKb / 1024;
      peakRssSource = 'time -v';
    }
    if (t.signal !== undefined) {
      signal = signalName(t.signal);
      code = null;
    } else if (t.exit !== undefined) code = t.exit;
    await rm(scratch, { recursive: true, force: true });
  }
  if (stderr.length > maxStderr) stderr = stderr.slice(-maxStderr);
  return { code, signal, stdout, stderr, timedOut, overMemory, peakRssMb, peakRssSource, ms };
}
