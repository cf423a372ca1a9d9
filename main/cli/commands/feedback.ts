import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CairnError } from '../../core/errors.js';
import { preferenceLines, toJsonl } from '../../feedback/export.js';
import type { FeedbackInput } from '../../feedback/service.js';
import type { FeedbackRow } from '../../store/feedback.js';
import type { CliContext } from '../index.js';

function parseRating(v: string): 'up' | 'down' | number {
  if (v === 'up' || v === 'down') return v;
  const n = Number(v);
  if (Number.isInteger(n) && n >= 1 && n <= 5) return n;
  throw new CairnError('BAD_INPUT', `--rating takes up, down or 1-5, got ${JSON.stringify(v)}`, { input: v });
}

function describe(r: FeedbackRow): string {
  const d = r.data;
  const what =
    r.kind === 'rating'
      ? `rating ${String(d.rating)}`
      : r.kind === 'citation'
        ? `citation ${String(d.verdict)} ${String(d.chunkId ?? d.sourceId ?? '')}`.trim()
        : r.kind === 'correction'
          ? `correction: ${String(d.correction).replace(/\s+/g, ' ').slice(0, 100)}`
          : `preference ${String(d.preferred)} vs ${String(d.otherAnswerId).slice(0, 12)}`;
  return `${r.ts}  ${r.marking.padEnd(14)} ${r.user.padEnd(12)} answer ${r.answerId.slice(0, 12)}  ${what}`;
}

/** `cairn feedback add|list|export`: analysts' judgements on answers. */
export function register(program: Command, ctx: CliContext): void {
  const fb = program.command('feedback').description('ratings, citation flags, corrections and preferences on answers');
  fb.command('add')
    .description('give feedback on an answer, by the audit id `ask` printed')
    .argument('<answerId>')
    .option('--rating <r>', 'up, down, or 1-5')
    .option('--citation-wrong <chunkId>', 'a cited passage that does not support the answer')
    .option('--citation-missing <sourceId>', 'a source the answer should have cited')
    .option('--note <text>', 'why the citation is wrong or missing')
    .option('--correction <text>', 'the answer as it should have been')
    .option('--versus <otherAnswerId>', 'another answer to the same question, to state a preference')
    .option('--preferred <which>', 'with --versus: this, other or tie')
    .option('--comment <text>', 'free text kept with the feedback')
    .option('--json', 'print JSON')
    .action(async (answerId: string, o: { rating?: string; citationWrong?: string; citationMissing?: string; note?: string; correction?: string; versus?: string; preferred?: string; comment?: string; json?: boolean }) => {
      if (o.citationWrong && o.citationMissing) throw new CairnError('BAD_INPUT', 'give --citation-wrong or --citation-missing, one per feedback');
      if ((o.versus === undefined) !== (o.preferred === undefined)) throw new CairnError('BAD_INPUT', '--versus and --preferred go together');
      const input: FeedbackInput = {
        answerId,
        ...(o.rating !== undefined ? { rating: parseRating(o.rating) } : {}),
        ...(o.citationWrong ? { citation: { verdict: 'wrong' as const, chunkId: o.citationWrong, ...(o.note ? { note: o.note } : {}) } } : {}),
        ...(o.citationMissing ? { citation: { verdict: 'missing' as const, sourceId: o.citationMissing, ...(o.note ? { note: o.note } : {}) } } : {}),
        ...(o.correction !== undefined ? { correction: o.correction } : {}),
        ...(o.versus ? { preference: { otherAnswerId: o.versus, preferred: o.preferred as 'this' | 'other' | 'tie' } } : {}),
        ...(o.comment ? { comment: o.comment } : {}),
      };
      const r = await (await ctx.open()).feedback(input);
      if (o.json) ctx.json(r);
      else ctx.io.out(`recorded ${r.ids.length} feedback item(s) [${r.marking}], audit ${r.auditId}`);
    });
  fb.command('list')
    .description('feedback you are cleared to read')
    .option('--answer <answerId>', 'only feedback on this answer')
    .option('--kind <kind>', 'rating, citation, correction or preference')
    .option('--json', 'print JSON')
    .action(async (o: { answer?: string; kind?: string; json?: boolean }) => {
      const rows = await (await ctx.open()).feedbackList({ answerId: o.answer, kind: o.kind as FeedbackRow['kind'] | undefined });
      if (o.json) ctx.json(rows);
      else ctx.io.out(rows.length === 0 ? 'no feedback yet' : rows.map(describe).join('\n'));
    });
  fb.command('export')
    .description('preference pairs and corrected answers as chosen/rejected JSON Lines, with markings and provenance')
    .option('--format <format>', 'jsonl (the only format)', 'jsonl')
    .option('--out <file>', 'write here instead of standard output')
    .action(async (o: { format: string; out?: string }) => {
      if (o.format !== 'jsonl') throw new CairnError('BAD_INPUT', `--format ${o.format}: only jsonl is supported`, { input: o.format });
      const lines = preferenceLines(await (await ctx.open()).feedbackList({}));
      const text = toJsonl(lines);
      if (o.out) {
        await writeFile(o.out, text);
        ctx.io.err(`wrote ${lines.length} pair(s) to ${o.out}`);
      } else if (text !== '') ctx.io.out(text.trimEnd());
    });
}
