import type { Command } from 'commander';
import { depsFor, describeGrade, GradeBook, setSourceGrade } from '../../reports/index.js';
import type { CliContext } from '../index.js';

/**
 * `cairn grade SOURCE_ID B2`: set a source's Admiralty grade (reliability
 * A-F, credibility 1-6), audited as `source.grade`; `--clear` removes it;
 * with no arguments, lists the graded sources.
 */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('grade')
    .description('grade a source: reliability A-F and credibility 1-6 (e.g. B2); no arguments lists grades')
    .argument('[source]', 'source id (at least 8 hex digits; see `cairn sources`)')
    .argument('[grade]', 'e.g. B2 (A completely reliable .. F cannot be judged; 1 confirmed .. 6 cannot be judged)')
    .option('--note <text>', 'why (recorded with the grade)')
    .option('--clear', "remove the source's grade")
    .option('--json', 'print JSON')
    .action(async (source: string | undefined, grade: string | undefined, o: { note?: string; clear?: boolean; json?: boolean }) => {
      const cairn = await ctx.open();
      if (source === undefined) {
        const [book, sources] = await Promise.all([GradeBook.load(cairn.dataDir), cairn.sources()]);
        const rows = sources.map((s) => ({ sourceId: s.id, title: s.title, grade: book.of(s.id, s) })).filter((r) => r.grade);
        if (o.json) ctx.json(rows);
        else ctx.io.out(rows.length === 0 ? 'no graded sources' : rows.map((r) => `${r.sourceId.slice(0, 12)}  ${describeGrade(r.grade!).padEnd(48)} ${r.title}`).join('\n'));
        return;
      }
      if (grade === undefined && !o.clear) {
        const book = await GradeBook.load(cairn.dataDir);
        const s = (await cairn.sources()).find((x) => x.id.startsWith(source.toLowerCase()));
        const g = s ? book.of(s.id, s) : null;
        if (o.json) ctx.json({ sourceId: s?.id ?? source, grade: g });
        else ctx.io.out(g ? describeGrade(g) : 'ungraded');
        return;
      }
      const r = await setSourceGrade(await depsFor(cairn), source, o.clear ? null : (grade ?? ''), o.note);
      if (o.json) ctx.json(r);
      else ctx.io.out(`${r.source.title}: ${r.grade ? describeGrade(r.grade) : 'grade cleared'}${r.previous ? ` (was ${r.previous.code})` : ''}\naudit ${r.auditId}`);
    });
}
