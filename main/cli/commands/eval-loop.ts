import path from 'node:path';
import type { Command } from 'commander';
import { listProviders } from '../../agent/index.js';
import { CairnError } from '../../core/errors.js';
import { runAnswerEval } from '../../eval/answers.js';
import { evalSquadAnswers } from '../../eval/squad-answers.js';
import { goldFromFeedback, type GoldFormat, importGoldSet, readGoldSet, writeGoldSet } from '../../eval/gold.js';
import { readJudgements, recordedPairs, saveRecordedPairs } from '../../eval/judge.js';
import { progressReporter } from '../progress.js';
import type { CliContext } from '../index.js';
import { registerRedteam } from './redteam.js';

function splitModels(text: string): string[] {
  const models = text.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (models.length === 0) throw new CairnError('BAD_INPUT', '--models needs at least one model name (see cairn models list)', { input: text });
  return [...new Set(models)];
}

/** Every name must be a model this installation offers; found before any question is asked. */
export async function checkModels(dataDir: string, models: readonly string[]): Promise<void> {
  const { entries } = await listProviders(dataDir);
  for (const m of models) {
    const e = entries.find((x) => x.name === m);
    if (!e) throw new CairnError('NOT_FOUND', `no model named ${JSON.stringify(m)}: choose from ${entries.map((x) => x.name).join(', ')} (see cairn models list)`, { input: m });
    if (e.error) throw new CairnError('BAD_INPUT', e.error, { input: m });
  }
}

/**
 * `cairn eval answers SQUAD.json`: the SQuAD answer-in-citation evaluation in
 * a scratch data folder (the installation's store is never touched). Only the
 * built-in default answers there: the scratch folder has no models.
 */
async function squadAnswers(ctx: CliContext, file: string, o: { models?: string; json?: boolean }): Promise<void> {
  const models = o.models === undefined ? ['extractive'] : splitModels(o.models);
  if (models.length !== 1 || models[0] !== 'extractive') {
    throw new CairnError('BAD_INPUT', 'a SQuAD file is scored with the built-in extractive default only; to compare models, convert it with `cairn eval set import FILE --format squad` and run `cairn eval answers` on the JSONL against a store holding its paragraphs', { input: file });
  }
  const progress = progressReporter(!o.json);
  try {
    const r = await evalSquadAnswers(file, { onProgress: (done, total, phase) => progress.update({ done, total, file: phase, status: 'ingested' }) });
    progress.stop();
    if (o.json) ctx.json(r);
    else {
      ctx.io.out(`${r.set}: ${r.questions} questions over ${r.paragraphs} paragraphs (${r.model})`);
      ctx.io.out(`  answer in a cited quote  ${(r.answerInCitation * 100).toFixed(1)}%`);
      ctx.io.out(`  "no evidence"            ${(r.noEvidence * 100).toFixed(1)}%`);
      ctx.io.out(`  first citation is gold   ${(r.citedGoldParagraph * 100).toFixed(1)}%`);
      ctx.io.out(`  shortest cited quote     EM ${r.shortestSpan.exactMatch.toFixed(3)}  F1 ${r.shortestSpan.f1.toFixed(3)} (over ${r.shortestSpan.answered} answered)`);
    }
  } finally {
    progress.stop();
  }
}

/** `cairn eval set|answers|judge|redteam`: the installation's own evaluation loop. */
export function registerEvalLoop(evalCmd: Command, ctx: CliContext): void {
  const set = evalCmd.command('set').description('gold question sets (JSONL: id, question, expectedSourceIds, expectedAnswer)');
  set
    .command('create')
    .description('a question set from rated and corrected answers')
    .requiredOption('--from-feedback', 'build it from the feedback table (the only source for now)')
    .requiredOption('--out <file>', 'where to write the JSONL set')
    .option('--json', 'print JSON')
    .action(async (o: { out: string; json?: boolean }) => {
      const items = goldFromFeedback(await (await ctx.open()).feedbackList({}));
      await writeGoldSet(o.out, items);
      if (o.json) ctx.json({ out: o.out, questions: items.length });
      else ctx.io.out(`wrote ${items.length} question(s) to ${o.out}`);
    });
  set
    .command('import')
    .description('convert a SQuAD v1.1 JSON file, a BEIR folder or a gold JSONL file into a question set')
    .argument('<source>')
    .requiredOption('--format <format>', 'squad, beir or jsonl')
    .option('--out <file>', 'where to write the JSONL set (default: beside the source, .gold.jsonl)')
    .option('--json', 'print JSON')
    .action(async (source: string, o: { format: string; out?: string; json?: boolean }) => {
      if (!['squad', 'beir', 'jsonl'].includes(o.format)) throw new CairnError('BAD_INPUT', `--format must be squad, beir or jsonl, not ${JSON.stringify(o.format)}`, { input: o.format });
      const items = await importGoldSet(source, o.format as GoldFormat);
      const out = o.out ?? `${source.replace(/[\\/]+$/, '').replace(/\.(json|jsonl)$/i, '')}.gold.jsonl`;
      await writeGoldSet(out, items);
      if (o.json) ctx.json({ out, questions: items.length });
      else ctx.io.out(`wrote ${items.length} question(s) to ${out}`);
    });

  evalCmd
    .command('answers')
    .description('a SQuAD v1.1 JSON file: ingest its paragraphs into a scratch store, ask every question, score the cited quotes; a gold JSONL set: every model answers every question, ranked report, chart and blind side-by-side file beside the run (resumable)')
    .argument('<set>', 'a SQuAD v1.1 JSON file or a gold JSONL question set')
    .option('--models <names>', 'comma-separated model names (see cairn models list), e.g. extractive,lan-vllm; required for a JSONL set')
    .option('--out <dir>', 'JSONL set: run folder (default: SET.run beside the set); re-running with it resumes')
    .option('--json', 'print the report as JSON')
    .action(async (setFile: string, o: { models?: string; out?: string; json?: boolean }) => {
      if (/\.json$/i.test(setFile)) {
        await squadAnswers(ctx, setFile, o);
        return;
      }
      if (o.models === undefined) throw new CairnError('BAD_INPUT', 'a gold JSONL set needs --models (e.g. --models extractive); a SQuAD file must end in .json', { input: setFile });
      const models = splitModels(o.models);
      const items = await readGoldSet(setFile);
      await checkModels(ctx.dataDir(), models);
      const cairn = await ctx.open();
      const outDir = o.out ?? `${setFile.replace(/\.jsonl$/i, '')}.run`;
      const progress = progressReporter(!o.json);
      try {
        const r = await runAnswerEval({
          setName: path.basename(setFile),
          items,
          models,
          outDir,
          ask: (question, model, onToken) => cairn.ask({ question, model }, { onEvent: (e) => (e.type === 'token' ? onToken() : undefined) }),
          onProgress: (done, total, label) => progress.update({ done, total, file: label, status: 'ingested' }),
        });
        progress.stop();
        if (o.json) ctx.json({ ...r.report, files: r.files, asked: r.asked, skipped: r.skipped });
        else {
          ctx.io.out(`${r.report.questions} questions x ${models.length} models (${r.asked} asked now, ${r.skipped} carried over)`);
          r.report.ranking.forEach((m, i) =>
            ctx.io.out(`  ${i + 1}. ${m.model.padEnd(28)} score ${m.score.toFixed(3)}  precision ${m.citationPrecision?.toFixed(3) ?? 'n/a'}  fallbacks ${(m.fallbackRate * 100).toFixed(0)}%  p50 ${m.latencyP50Ms.toFixed(0)} ms`),
          );
          ctx.io.out(`report ${r.files.markdown}\nchart ${r.files.chart}\nfor a blind review: ${r.files.judge}`);
        }
      } finally {
        progress.stop();
      }
    });

  evalCmd
    .command('judge')
    .description("record a reviewer's blind choices (judge.jsonl of a run) as preference pairs in the feedback table")
    .argument('<runDir>', 'the run folder of `cairn eval answers`')
    .option('--file <judged>', 'the judged file (default: RUN/judge.jsonl)')
    .option('--json', 'print JSON')
    .action(async (runDir: string, o: { file?: string; json?: boolean }) => {
      const judgements = await readJudgements(runDir, o.file);
      const done = await recordedPairs(runDir);
      const cairn = await ctx.open();
      let recorded = 0;
      for (const j of judgements) {
        if (done.has(j.pairId)) continue;
        await cairn.feedback({ answerId: j.a, preference: { otherAnswerId: j.b, preferred: j.preferred === 'A' ? 'this' : j.preferred === 'B' ? 'other' : 'tie' }, comment: `blind judgement ${j.pairId}` });
        done.add(j.pairId);
        recorded++;
        await saveRecordedPairs(runDir, done);
      }
      if (o.json) ctx.json({ judged: judgements.length, recorded });
      else ctx.io.out(`recorded ${recorded} preference(s) (${judgements.length - recorded} already recorded)`);
    });

  registerRedteam(evalCmd, ctx);
}
