import type { Command } from 'commander';
import path from 'node:path';
import { CairnError } from '../../core/errors.js';
import { addAnswer, addNote, createReport, depsFor, listReportSummaries, listTemplates, loadReport, REPORT_FORMATS, type ReportFormat, renderReport } from '../../reports/index.js';
import type { CliContext } from '../index.js';

/**
 * `cairn report new|add|note|list|show|render|templates`: analyst products
 * built from audited answers and marked notes.
 */

function formatFor(format: string | undefined, out: string): ReportFormat {
  const f = (format ?? path.extname(out).slice(1)).toLowerCase();
  const named = f === 'markdown' ? 'md' : f;
  if ((REPORT_FORMATS as readonly string[]).includes(named)) return named as ReportFormat;
  throw new CairnError('BAD_INPUT', `--format must be one of ${REPORT_FORMATS.join(', ')}${format ? `, got ${JSON.stringify(format)}` : ` (or give --out a .pdf, .docx or .md name)`}`, { input: format ?? out });
}

export function register(program: Command, ctx: CliContext): void {
  const deps = async (): Promise<Awaited<ReturnType<typeof depsFor>>> => depsFor(await ctx.open());
  const report = program.command('report').description('marked, cited reports built from answers and analyst notes');

  report
    .command('new')
    .description('start a report')
    .requiredOption('--title <title>', 'the report title')
    .option('--template <id>', 'template: intsum, briefing, or one in DATA/templates', 'intsum')
    .option('--title-marking <marking>', 'portion marking of the title (default: the lowest level)')
    .option('--json', 'print JSON')
    .action(async (o: { title: string; template: string; titleMarking?: string; json?: boolean }) => {
      const r = await createReport(await deps(), { title: o.title, template: o.template, titleMarking: o.titleMarking });
      if (o.json) ctx.json(r);
      else ctx.io.out(`report ${r.id} created (template ${r.template})`);
    });

  report
    .command('add')
    .description('add an answer to a report, by the audit id `cairn ask` printed')
    .argument('<report>', 'report id')
    .argument('<answerId>', 'audit id of the answer (at least 8 hex digits)')
    .option('--section <id>', "template section (default: the template's choice)")
    .option('--json', 'print JSON')
    .action(async (id: string, answerId: string, o: { section?: string; json?: boolean }) => {
      const r = await addAnswer(await deps(), id, answerId, o.section);
      if (o.json) ctx.json(r);
      else ctx.io.out(`added answer ${answerId.slice(0, 12)} to ${r.id} (${r.items.length} items)`);
    });

  report
    .command('note')
    .description('add an analyst note with its own portion marking')
    .argument('<report>', 'report id')
    .argument('<text>', 'the note')
    .requiredOption('--marking <marking>', 'portion marking of the note, e.g. "(U)" or "S//NF"')
    .option('--section <id>', "template section (default: the template's choice)")
    .option('--json', 'print JSON')
    .action(async (id: string, text: string, o: { marking: string; section?: string; json?: boolean }) => {
      const r = await addNote(await deps(), id, text, o.marking, o.section);
      if (o.json) ctx.json(r);
      else ctx.io.out(`added note to ${r.id} (${r.items.length} items)`);
    });

  report
    .command('list')
    .description('list reports')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await listReportSummaries({ dataDir: ctx.dataDir() });
      if (o.json) ctx.json(list);
      else ctx.io.out(list.length === 0 ? 'no reports yet; start one with `cairn report new --title ...`' : list.map((r) => `${r.id.padEnd(48)} ${r.template.padEnd(10)} ${String(r.answers).padStart(3)} answers ${String(r.notes).padStart(3)} notes  ${r.title}`).join('\n'));
    });

  report
    .command('show')
    .description("a report's items")
    .argument('<report>', 'report id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const r = await loadReport(ctx.dataDir(), id);
      if (o.json) ctx.json(r);
      else ctx.io.out([`${r.titleMarking} ${r.title}  [${r.id}, template ${r.template}]`, ...r.items.map((i, n) => `  ${String(n + 1).padStart(3)}. ${i.kind === 'answer' ? `answer ${i.auditId}` : `note ${i.marking} ${i.text}`}${i.section ? `  (section ${i.section})` : ''}`)].join('\n'));
    });

  report
    .command('render')
    .description('write the report as PDF, Word or Markdown, banner on every page, footnoted citations and annexes')
    .argument('<report>', 'report id')
    .option('--format <format>', `${REPORT_FORMATS.join(' | ')} (default: from the --out extension)`)
    .requiredOption('--out <file>', 'output file')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { format?: string; out: string; json?: boolean }) => {
      const r = await renderReport(await deps(), id, { format: formatFor(o.format, o.out), out: o.out });
      if (o.json) ctx.json(r);
      else ctx.io.out([`${r.banner}`, `wrote ${r.file} (${r.format}${r.pages ? `, ${r.pages} pages` : ''}, ${r.bytes} bytes)`, `sha256 ${r.sha256}`, `audit ${r.auditId}`].join('\n'));
    });

  report
    .command('templates')
    .description('report templates: built-in and DATA/templates/*.json (validated)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await listTemplates(ctx.dataDir());
      if (o.json) ctx.json(list);
      else ctx.io.out(list.map((t) => `${t.id.padEnd(16)} ${t.error ? `INVALID: ${t.error}` : `${t.name}  (${t.origin})`}`).join('\n'));
      if (list.some((t) => t.error)) ctx.setExit(1);
    });
}
