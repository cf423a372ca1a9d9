/**
 * `npm run verify:security`: measures, in this run, the figures the people
 * who deploy Cairn ask about, and exits 1 when any target is missed.
 *
 *   1. air-gap      demo + CLI session inside `unshare -n`, egress counted (airgap.ts)
 *   2. hostile      the hostile corpus through `cairn ingest` with limits (hostile.ts)
 *   3. crash        SIGKILL of ingest / package import, then checks (crash.ts)
 *   4. concurrency  clients over the loopback HTTP server (concurrency.ts)
 *   5. tamper       every single-byte change, deletion, reorder, truncation of a log and a package (tamper.ts)
 *
 * Progress goes to stderr, the tables to stdout. Options:
 *   --only airgap,hostile,crash,concurrency,tamper   run some parts
 *   --quick            smaller corpus and fewer trials (a smoke run, not the report)
 *   --trials N         ingest SIGKILL trials (default 24)
 *   --package-trials N package-import SIGKILL trials (default 10)
 *   --seed N           kill timings (default: random, printed)
 *   --clients N  --duration S                 concurrency (default 4 clients, 30 s)
 *   --file-timeout S  --mem-cap MB  --parallel N   hostile limits (default 180 s, 6144 MB, 2)
 *   --all-pdfs         every PDF of ../shared/eval/pdfs, not only malformed/encrypted/large
 *   --suite            also run the whole test suite inside the namespace
 *   --report FILE      write every measurement as JSON
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureAirGap } from './airgap.js';
import { runConcurrency } from './concurrency.js';
import { runCrashTrials } from './crash.js';
import { runHostile } from './hostile.js';
import { auditTamper, packageTamper } from './tamper.js';
import { sandbox } from '../../test/packages/helpers.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { sharedDir } from './paths.js';
import { airGapFigures, concurrencyFigures, crashFigures, type Figure, figuresTable, hostileFigures, hostileTable, table } from './report.js';

const PARTS = ['airgap', 'hostile', 'crash', 'concurrency', 'tamper'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    'package-trials': { type: 'string' },
    seed: { type: 'string' },
    clients: { type: 'string' },
    duration: { type: 'string' },
    'file-timeout': { type: 'string' },
    'mem-cap': { type: 'string' },
    parallel: { type: 'string' },
    'all-pdfs': { type: 'boolean', default: false },
    suite: { type: 'boolean', default: false },
    report: { type: 'string' },
  },
});

const num = (v: string | undefined, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}`);
  return n;
};
const quick = values.quick === true;
const only = new Set<Part>(values.only ? (values.only.split(',').map((s) => s.trim()) as Part[]) : PARTS);
for (const p of only) if (!PARTS.includes(p)) throw new Error(`unknown part ${p}; parts: ${PARTS.join(', ')}`);
const seed = num(values.seed, Math.floor(Math.random() * 2 ** 31));
const log = (line: string): void => void process.stderr.write(`${line}\n`);
/** One line per kind of message: numbers (versions, ports) folded, long tails cut. */
const distinct = (lines: readonly string[]): string[] => [...new Map(lines.map((l) => [l.replace(/\d+/g, 'N').slice(0, 140), l.slice(0, 220)])).values()];

async function main(): Promise<number> {
  const started = performance.now();
  const shared = sharedDir();
  const figures: Figure[] = [];
  const details: string[] = [];
  const json: Record<string, unknown> = { started: new Date().toISOString(), node: process.version, host: os.hostname(), seed, quick };
  const attempt = async (part: Part, run: () => Promise<void>): Promise<void> => {
    if (!only.has(part)) return;
    log(`\n== ${part} ==`);
    try {
      await run();
    } catch (e) {
      const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`${part} could not run: ${msg}`);
      figures.push({ part, figure: 'part ran to the end', value: `NO: ${msg.split('\n')[0]}`, target: 'yes', ok: false });
      json[part] = { error: msg };
    }
  };

  await attempt('airgap', async () => {
    const r = await measureAirGap({ suite: values.suite === true, log });
    figures.push(...airGapFigures(r));
    json.airgap = r;
  });
  await attempt('hostile', async () => {
    if (!shared) log('hostile: ../shared is absent: only the generated cases run');
    const r = await runHostile({
      quick,
      sharedDir: shared,
      allSharedPdfs: values['all-pdfs'] === true,
      timeoutMs: num(values['file-timeout'], 180) * 1000,
      memCapMb: num(values['mem-cap'], 6144),
      parallel: num(values.parallel, 2),
      log,
    });
    figures.push(...hostileFigures(r.totals));
    details.push(`Hostile inputs, one child process each (limit ${num(values['file-timeout'], 180)} s, ${num(values['mem-cap'], 6144)} MB; corpus generated in ${(r.generateMs / 1000).toFixed(1)} s${shared ? '' : '; ../shared absent'}):\n${hostileTable(r.rows)}`);
    json.hostile = r;
  });
  await attempt('crash', async () => {
    const r = await runCrashTrials({ trials: num(values.trials, quick ? 4 : 24), packageTrials: num(values['package-trials'], quick ? 2 : 10), seed, log });
    figures.push(...crashFigures(r));
    const bad = r.scenarios.flatMap((s) => s.trials.filter((t) => t.problems.length > 0));
    details.push(
      `Crash trials (seed ${r.seed}, ${r.docs} documents; clean runs: ${r.scenarios.map((s) => `${s.scenario} ${(s.cleanMs / 1000).toFixed(1)} s, first commit at ${(s.firstCommitMs / 1000).toFixed(1)} s`).join('; ')}):\n` +
        (bad.length === 0 ? '  every trial consistent' : bad.map((t) => `  ${t.scenario} #${t.trial} (kill at ${t.delayMs} ms, ${t.phase}): ${t.problems.join(' | ')}`).join('\n')) +
        (r.probe ? `\n  probe, ingest onto a cut-off audit log: ${r.probe.summary}` : ''),
    );
    json.crash = r;
  });
  await attempt('concurrency', async () => {
    const r = await runConcurrency({ clients: num(values.clients, quick ? 2 : 4), durationMs: num(values.duration, quick ? 10 : 30) * 1000, seed, log });
    figures.push(...concurrencyFigures(r));
    details.push(
      `Concurrency (${r.transport}):\n${table(['operation', 'n', 'errors', 'p50', 'p95', 'max'], r.stats.map((s) => [s.op, String(s.count), String(s.errors), `${Math.round(s.p50)} ms`, `${Math.round(s.p95)} ms`, `${Math.round(s.max)} ms`]))}` +
        (r.errors.length ? `\n  client-side errors (distinct): ${distinct(r.errors).join(' | ')}` : '') +
        (r.serverErrors.length ? `\n  server log (distinct): ${distinct(r.serverErrors).join(' | ')}` : '') +
        (r.problems.length ? `\n  consistency: ${r.problems.slice(0, 10).join(' | ')}` : ''),
    );
    json.concurrency = r;
  });

  await attempt('tamper', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-tamper-'));
    const sb = await sandbox('cairn-tamper-pkg-');
    try {
      // Quick: one position in 13 (the test suite's sample); otherwise every byte and offset.
      const sample = quick ? 13 : 1;
      const rows = [...(await auditTamper(work, { sample })), ...(await packageTamper(sb, { sample }))];
      for (const r of rows) figures.push({ part: 'tamper', figure: `${r.target}: ${r.mutation} detected`, value: `${r.detected} / ${r.tried}`, target: '100 %', ok: r.detected === r.tried });
      const missedRows = rows.filter((r) => r.missed.length > 0);
      if (missedRows.length) details.push(`Tamper mutations verified as intact:\n${missedRows.map((r) => `  ${r.target} ${r.mutation}: ${r.missed.join('; ')}`).join('\n')}`);
      json.tamper = rows;
    } finally {
      await sb.cleanup();
      await rm(work, { recursive: true, force: true });
    }
  });

  const missed = figures.filter((f) => f.ok === false);
  const out = [
    `Cairn security verification: ${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GB${quick ? ' (QUICK: not the full report)' : ''}`,
    '',
    figuresTable(figures),
    '',
    ...details.flatMap((d) => [d, '']),
    missed.length === 0 ? `All targets met (${((performance.now() - started) / 1000).toFixed(0)} s).` : `${missed.length} target(s) MISSED: ${missed.map((f) => `${f.part}: ${f.figure} = ${f.value}`).join('; ')}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (values.report) await writeFile(values.report, JSON.stringify({ ...json, figures }, null, 2));
  return missed.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`verify:security failed to run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
