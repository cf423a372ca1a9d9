/**
 * Turns the parts' reports into one table of figures, each with its target
 * (when it has one) and whether this run met it, plus the detail tables.
 */
import type { AirGapReport } from './airgap.js';
import type { ConcurrencyReport } from './concurrency.js';
import type { CrashReport } from './crash.js';
import type { HostileRow, HostileTotals } from './hostile.js';

export interface Figure {
  part: string;
  figure: string;
  value: string;
  target: string;
  /** null: informational, no target. */
  ok: boolean | null;
}

const zero = (part: string, figure: string, n: number): Figure => ({ part, figure, value: String(n), target: '0', ok: n === 0 });
const info = (part: string, figure: string, value: string): Figure => ({ part, figure, value, target: '', ok: null });
const ms = (x: number): string => (Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`) : '-');

export function airGapFigures(r: AirGapReport): Figure[] {
  const p = 'air-gap';
  const failed = r.runs.filter((x) => !x.ok);
  return [
    { part: p, figure: 'network namespace (unshare -n)', value: r.namespace ? `yes; interfaces inside: ${r.interfaces.length === 0 ? 'none' : r.interfaces.join(' ')}; ${r.namespaceNote.split('; ').slice(1).join('; ')}` : `NOT MEASURED: ${r.namespaceNote}`, target: 'yes, loopback only', ok: r.namespace && r.interfaces.every((i) => /^lo:/.test(i)) },
    { part: p, figure: 'egress counter control (attempts caught)', value: `${r.controlDetected}/${r.controlExpected}`, target: `${r.controlExpected}/${r.controlExpected}`, ok: r.controlDetected === r.controlExpected },
    info(p, 'runs (demo, CLI ingest/ask/search/verify' + (r.runs.some((x) => x.name.startsWith('test suite')) ? ', test suite' : '') + ')', `${r.runs.length - failed.length}/${r.runs.length} ok${failed.length ? ` (failed: ${failed.map((x) => `${x.name}: ${x.note}`).join('; ')})` : ''}`),
    { part: p, figure: 'runs that failed inside the namespace', value: String(failed.length), target: '0', ok: failed.length === 0 },
    zero(p, 'egress attempts (all runs)', r.egress),
  ];
}

export function hostileFigures(t: HostileTotals): Figure[] {
  const p = 'hostile';
  return [
    info(p, 'files tried', String(t.tried)),
    info(p, 'ingested', String(t.ingested)),
    info(p, 'refused with reason', String(t.refused)),
    zero(p, 'crashed', t.crashed),
    zero(p, 'hung (killed at the time limit)', t.hung),
    zero(p, 'over the memory cap', t.overMemory),
    zero(p, 'XXE target content in the store', t.leaked),
    zero(p, 'zip-slip files written outside', t.escaped),
    zero(p, 'egress attempts', t.egress),
    info(p, 'refusals with code INTERNAL', String(t.internalErrors)),
    info(p, 'outcome differs from expectation', String(t.mismatches)),
    info(p, `peak RSS of one ingest (${t.peakRssSource})`, t.peakRssMb === null ? 'not measured' : `${Math.round(t.peakRssMb)} MB`),
  ];
}

export function crashFigures(r: CrashReport): Figure[] {
  const p = 'crash';
  const out: Figure[] = [];
  for (const s of r.scenarios) {
    const phases = new Map<string, number>();
    for (const t of s.trials) phases.set(t.phase, (phases.get(t.phase) ?? 0) + 1);
    const cuts = s.trials.filter((t) => t.syntheticCut.tried);
    out.push(
      info(p, `${s.scenario}: SIGKILL trials`, `${s.trials.length} (${[...phases].map(([k, v]) => `${v} ${k}`).join(', ')})`),
      info(p, `${s.scenario}: orphan chunks found / removed by repair()`, `${s.trials.reduce((a, t) => a + t.orphanChunks, 0)} in ${s.trials.filter((t) => t.orphanChunks > 0).length} trials`),
      info(p, `${s.scenario}: cut-off audit tail after a kill`, String(s.trials.filter((t) => t.truncatedTail).length)),
      { part: p, figure: `${s.scenario}: cut-off last audit line detected+repaired`, value: `${cuts.filter((t) => t.syntheticCut.detected && t.syntheticCut.repaired).length}/${cuts.length}`, target: '100%', ok: cuts.every((t) => t.syntheticCut.detected && t.syntheticCut.repaired) },
      { part: p, figure: `${s.scenario}: re-run completed the batch`, value: `${s.trials.filter((t) => t.rerunComplete).length}/${s.trials.length}`, target: '100%', ok: s.trials.every((t) => t.rerunComplete) },
      info(p, `${s.scenario}: re-run time p50 / max`, `${ms(median(s.trials.map((t) => t.rerunMs)))} / ${ms(Math.max(...s.trials.map((t) => t.rerunMs)))}`),
      zero(p, `${s.scenario}: trials with inconsistencies`, s.inconsistencies),
    );
  }
  if (r.packageSkipped) out.push(info(p, 'package import trials', `not measured: ${r.packageSkipped}`));
  const total = r.scenarios.reduce((a, s) => a + s.trials.length, 0);
  out.push({ part: p, figure: 'SIGKILL trials in all', value: String(total), target: '>= 20', ok: total >= 20 });
  if (r.probe) out.push(zero(p, 'ingest onto a cut-off audit log: sources left without audit record', r.probe.unaudited ? 1 : 0));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
}

export function concurrencyFigures(r: ConcurrencyReport): Figure[] {
  const p = 'concurrency';
  const out: Figure[] = [
    info(p, 'set-up', `${r.transport}, ${r.clients} clients + 1 CLI writer process, ${ms(r.durationMs)}, ${r.ops} operations, ${r.writes} writes acknowledged`),
    zero(p, 'lost writes', r.lostWrites),
    zero(p, 'failed reads', r.failedReads),
    { part: p, figure: 'ingests of good files that returned an error', value: `${r.failedWrites} (${r.phantomFailures} of them were in fact stored)`, target: '0', ok: r.failedWrites === 0 },
    zero(p, 'consistency problems afterwards', r.problems.length),
    info(p, 'CLI-written sources the running server finds', `${r.cliVisible.seenByServer}/${r.cliVisible.written}`),
  ];
  for (const s of r.stats) out.push(info(p, `${s.op} latency p50 / p95 (n=${s.count}${s.errors ? `, ${s.errors} errors` : ''})`, `${ms(s.p50)} / ${ms(s.p95)}`));
  return out;
}

/** Fixed-width text table. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], maxWidth = 80): string {
  const cut = (s: string): string => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cells = rows.map((r) => r.map((c) => cut(c.replace(/\s+/g, ' '))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function figuresTable(figures: readonly Figure[]): string {
  return table(['part', 'figure', 'measured', 'target', 'ok'], figures.map((f) => [f.part, f.figure, f.value, f.target, f.ok === null ? '' : f.ok ? 'yes' : 'MISSED']), 110);
}

export function hostileTable(rows: readonly HostileRow[]): string {
  return table(
    ['file', 'outcome', 'reason', 'time', 'peak RSS', 'notes'],
    rows.map((r) => [
      r.name.replace(/[\u0000-\u001f\u202e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      r.outcome,
      r.reason,
      ms(r.ms),
      r.peakRssMb === null ? '-' : `${Math.round(r.peakRssMb)} MB`,
      [r.mismatch, r.leaked ? 'LEAKED' : '', r.escaped.length ? `ESCAPED ${r.escaped.join(' ')}` : '', r.egress ? `${r.egress} egress` : ''].filter(Boolean).join('; '),
    ]),
    70,
  );
}
