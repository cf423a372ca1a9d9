/**
 * Crash consistency: a real `cairn ingest` of a folder (and, when
 * main/packages is present, a real `cairn package import` of the same files)
 * runs in a child process and is SIGKILLed after a random delay; the data
 * folder is then opened in process and checked (consistency.ts), repaired
 * where Cairn promises it can be, and the same command is run again to
 * completion and checked strictly. The seed is printed so a run can be
 * repeated.
 *
 * Kill timing: a clean run of the scenario is timed first, in the same run:
 * the whole run (T) and the moment its first audit record appears, just
 * after the first source is committed (F). A process start takes most of T
 * (tsx, LanceDB, the reader worker), so a delay uniform over 0..T would waste
 * most trials before anything is written: 80% of delays are uniform over
 * [F - 0.3 s, 1.05 T] (the write window) and 20% over [0, F]. T is updated
 * (median) whenever a trial's run ends before its kill, and F scaled with it.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../main/audit/index.js';
import { sha256Hex } from '../../main/core/hash.js';
import { runLimited } from './child.js';
import { type ExpectedDoc, inspectDataDir } from './consistency.js';
import { writeDocCorpus } from './corpus.js';
import { type CutTailProbe, ingestProbeOnCutTail } from './cut-tail.js';
import { measuredEnv } from './paths.js';
import { makeTestPackage } from './package-fixture.js';
import { cliHasPackageImport, ingestScenario, packagesAvailable, packageScenario, parseIngestSummary, type Scenario } from './scenarios.js';
import { mulberry32 } from '../lib/stats.js';

export interface CrashOptions {
  /** SIGKILL trials of `cairn ingest` (at least 20 for the report). */
  trials: number;
  /** SIGKILL trials of package import, when main/packages is present (default 10; 0 to skip). */
  packageTrials?: number;
  seed: number;
  /** Documents in the folder each trial ingests (default 12). */
  docs?: number;
  /** Run the one-off probe: ingest onto an audit log with a cut-off tail (default true). */
  probe?: boolean;
  log?: (line: string) => void;
}

export type KillPhase = 'before any commit' | 'mid-batch' | 'after the last commit' | 'exited before the kill';

export interface TrialResult {
  scenario: string;
  trial: number;
  delayMs: number;
  phase: KillPhase;
  committedAtKill: number;
  orphanChunks: number;
  truncatedTail: boolean;
  /** The synthetic cut of the last audit line (on a copy) was detected and repaired. */
  syntheticCut: { tried: boolean; detected: boolean; repaired: boolean };
  rerunMs: number;
  rerunComplete: boolean;
  problems: string[];
}

export interface ScenarioReport {
  scenario: string;
  cleanMs: number;
  firstCommitMs: number;
  trials: TrialResult[];
  inconsistencies: number;
}

export interface CrashReport {
  seed: number;
  docs: number;
  scenarios: ScenarioReport[];
  /** Why package-import trials did not run, when they did not. */
  packageSkipped: string | null;
  probe: CutTailProbe | null;
  egressAttempts: number;
}

interface Ctx {
  root: string;
  env: NodeJS.ProcessEnv;
  rng: () => number;
  expected: ReadonlyMap<string, ExpectedDoc>;
  docs: number;
  say: (line: string) => void;
}

/** A clean run, timed: total ms and ms until its first audit record (just after the first commit). */
async function timedRun(s: Scenario, dataDir: string, env: NodeJS.ProcessEnv): Promise<{ totalMs: number; firstCommitMs: number; stdout: string }> {
  const logFile = path.join(dataDir, 'audit', 'log.jsonl');
  const [cmd, args] = s.command(dataDir);
  const started = performance.now();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  let firstCommitMs = Number.NaN;
  const poll = setInterval(() => {
    if (Number.isNaN(firstCommitMs) && existsSync(logFile) && statSync(logFile).size > 0) firstCommitMs = performance.now() - started;
  }, 10);
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  clearInterval(poll);
  const totalMs = performance.now() - started;
  return { totalMs, firstCommitMs: Number.isNaN(firstCommitMs) ? totalMs / 2 : firstCommitMs, stdout };
}

/** Starts a run and SIGKILLs it (whole process group) after delayMs; resolves when it is gone. */
async function runAndKill(s: Scenario, dataDir: string, delayMs: number, env: NodeJS.ProcessEnv): Promise<{ killed: boolean; ms: number }> {
  const [cmd, args] = s.command(dataDir);
  const started = performance.now();
  const child = spawn(cmd, args, { detached: true, env, stdio: 'ignore' });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      killed = false; // it had already exited
    }
  }, delayMs);
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  clearTimeout(timer);
  return { killed, ms: performance.now() - started };
}

/** Cuts the last audit line of a copy of the log at a random byte; checks verify says `truncated` and repair fixes it. */
async function syntheticCut(dataDir: string, scratch: string, rng: () => number): Promise<TrialResult['syntheticCut']> {
  const bytes = await readFile(path.join(dataDir, 'audit', 'log.jsonl')).catch(() => null);
  if (!bytes || bytes.byteLength < 2 || bytes[bytes.byteLength - 1] !== 0x0a) return { tried: false, detected: false, repaired: false };
  const lastStart = bytes.lastIndexOf(0x0a, bytes.byteLength - 2) + 1;
  const lineLength = bytes.byteLength - 1 - lastStart;
  const keep = lastStart + 1 + Math.floor(rng() * (lineLength - 1)); // at least 1 byte of the line, never its newline
  const dir = path.join(scratch, 'cut');
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'audit'), { recursive: true });
  await writeFile(path.join(dir, 'audit', 'log.jsonl'), bytes.subarray(0, keep));
  const log = await AuditLog.open(dir);
  const before = await log.verify();
  const detected = !before.ok && before.firstBroken.reason === 'truncated';
  let repaired = false;
  if (detected) {
    await log.repair();
    const after = await log.verify();
    const complete = bytes.subarray(0, lastStart).toString('utf8').split('\n').filter((l) => l !== '').length;
    repaired = after.ok && after.records === complete;
  }
  return { tried: true, detected, repaired };
}

async function runTrials(s: Scenario, trials: number, c: Ctx): Promise<ScenarioReport> {
  const timing = await timedRun(s, path.join(c.root, `timing-${s.name.replace(/\W+/g, '-')}`), c.env);
  const bad = s.incomplete(timing.stdout, c.docs);
  if (bad) throw new Error(`a clean ${s.name} of the crash corpus did not complete: ${bad}`);
  // The machine's speed drifts (other load, warm caches): every run that ends before its kill is a new sample of T,
  // and F moves with it (a calibration run slowed by other load would otherwise put the whole window past the end).
  const observed = [timing.totalMs];
  const medianT = (): number => [...observed].sort((a, b) => a - b)[Math.floor((observed.length - 1) / 2)]!;
  const firstCommit = (): number => timing.firstCommitMs * (medianT() / timing.totalMs);
  const windowStart = (): number => Math.max(0, firstCommit() - 300);
  const windowEnd = (): number => Math.max(windowStart() + 500, 1.05 * medianT());
  c.say(`crash: clean ${s.name} of ${c.docs} documents: ${(timing.totalMs / 1000).toFixed(1)} s, first commit at ${(timing.firstCommitMs / 1000).toFixed(1)} s`);
  const results: TrialResult[] = [];
  for (let t = 1; t <= trials; t++) {
    const dataDir = path.join(c.root, `trial-${t}`);
    const inWindow = c.rng() < 0.8;
    const u = c.rng();
    const delayMs = Math.round(inWindow ? windowStart() + u * (windowEnd() - windowStart()) : u * firstCommit());
    const { killed, ms } = await runAndKill(s, dataDir, delayMs, c.env);
    if (!killed) observed.push(ms);
    const first = await inspectDataDir(dataDir, { expected: c.expected, repair: true });
    const phase: KillPhase = !killed ? 'exited before the kill' : first.sources === 0 ? 'before any commit' : first.sources < c.docs ? 'mid-batch' : 'after the last commit';
    const cut = await syntheticCut(dataDir, c.root, c.rng);
    const [cmd, args] = s.command(dataDir);
    const rerun = await runLimited(cmd, args, { timeoutMs: 300_000, env: c.env });
    const notDone = rerun.timedOut ? 'timed out' : s.incomplete(rerun.stdout, c.docs);
    const second = await inspectDataDir(dataDir, { expected: c.expected, repair: false, strict: true });
    const problems = [...first.problems.map((p) => `after kill: ${p}`), ...second.problems.map((p) => `after re-run: ${p}`)];
    if (notDone) problems.push(`re-run did not complete the batch (exit ${rerun.code}): ${notDone}`);
    else if (s.afterComplete) problems.push(...(await s.afterComplete(dataDir)).map((p) => `after re-run: ${p}`));
    if (cut.tried && !(cut.detected && cut.repaired)) problems.push(`a cut-off last audit line was ${cut.detected ? 'detected but not repaired' : 'not detected'}`);
    results.push({ scenario: s.name, trial: t, delayMs, phase, committedAtKill: first.sources, orphanChunks: first.orphanChunks, truncatedTail: first.truncatedTail, syntheticCut: cut, rerunMs: rerun.ms, rerunComplete: !notDone, problems });
    c.say(
      `crash: ${s.name} trial ${t}/${trials} kill at ${delayMs} ms (${phase}, ${first.sources} committed, ${first.orphanChunks} orphan chunks${first.truncatedTail ? ', cut-off audit tail' : ''}); ` +
        `re-run ${(rerun.ms / 1000).toFixed(1)} s; ${problems.length === 0 ? 'consistent' : `${problems.length} problem(s): ${problems.join(' | ')}`}`,
    );
    await rm(dataDir, { recursive: true, force: true });
  }
  return { scenario: s.name, cleanMs: timing.totalMs, firstCommitMs: timing.firstCommitMs, trials: results, inconsistencies: results.filter((r) => r.problems.length > 0).length };
}

/** Runs the trials; never throws for what it finds (that is the report). */
export async function runCrashTrials(opts: CrashOptions): Promise<CrashReport> {
  const say = opts.log ?? (() => undefined);
  const root = await mkdtemp(path.join(os.tmpdir(), 'cairn-crash-'));
  const egressLog = path.join(root, 'egress.jsonl');
  const env = measuredEnv(egressLog);
  try {
    const folder = path.join(root, 'corpus');
    const docs = await writeDocCorpus(folder, { count: opts.docs ?? 12, tag: 'crashsec' });
    const ingest = ingestScenario(folder);
    // A clean ingest: what a complete one makes for each file, checked before any trial.
    const cleanDir = path.join(root, 'clean');
    const [cmd, args] = ingest.command(cleanDir);
    const clean = await runLimited(cmd, args, { timeoutMs: 300_000, env });
    const summary = parseIngestSummary(clean.stdout);
    if (!summary || summary.ingested !== docs.length) throw new Error(`the clean ingest of the crash corpus failed (exit ${clean.code}): ${clean.stderr.slice(-500)}`);
    const expected = new Map<string, ExpectedDoc>();
    for (const d of docs) {
      const id = sha256Hex(await readFile(d.file));
      expected.set(id, { token: d.token, sentence: d.sentence, chunks: summary.files.find((f) => f.sourceId === id)?.chunks });
    }
    const cleanCheck = await inspectDataDir(cleanDir, { expected, repair: false, strict: true });
    if (cleanCheck.problems.length > 0) throw new Error(`a clean ingest is already inconsistent: ${cleanCheck.problems.join('; ')}`);
    say(`crash: seed ${opts.seed}`);
    const c: Ctx = { root, env, rng: mulberry32(opts.seed), expected, docs: docs.length, say };

    const scenarios = [await runTrials(ingest, opts.trials, c)];
    let packageSkipped: string | null = null;
    const packageTrials = opts.packageTrials ?? 10;
    if (packageTrials <= 0) packageSkipped = 'not asked for (--package-trials 0)';
    else if (!packagesAvailable()) packageSkipped = 'main/packages is absent';
    else {
      try {
        const pkg = await makeTestPackage(folder, path.join(root, 'package'));
        scenarios.push(await runTrials(packageScenario(pkg.file, pkg.trustPub, cliHasPackageImport()), packageTrials, c));
      } catch (e) {
        packageSkipped = `package set-up failed: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    const probe = opts.probe === false ? null : await ingestProbeOnCutTail(cleanDir, root, env);
    if (probe) say(`crash: ingest onto a cut-off audit tail: ${probe.summary}`);
    const egressAttempts = (await readFile(egressLog, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim() !== '').length;
    return { seed: opts.seed, docs: docs.length, scenarios, packageSkipped, probe, egressAttempts };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
