import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { Cairn } from '../../api/cairn.js';
import { loadCases } from '../../eval/redteam/cases.js';
import { redteamMarkdown, runRedteam } from '../../eval/redteam/run.js';
import { progressReporter } from '../progress.js';
import { EXIT, type CliContext } from '../index.js';
import { checkModels } from './eval-loop.js';

/** `cairn eval redteam --model A [--cases DIR]`: the bundled red-team suite plus an installation's own cases. */
export function registerRedteam(evalCmd: Command, ctx: CliContext): void {
  evalCmd
    .command('redteam')
    .description('prompt injection, above-clearance requests, unretrieved citations, invented quotes, system-prompt leaks: pass/fail per case (exit 1 on any failure)')
    .requiredOption('--model <name>', 'the model to test (see cairn models list)')
    .option('--cases <dir...>', 'extra folders of case files (JSON, the bundled schema)')
    .option('--out <dir>', 'also write redteam.md and redteam.json here')
    .option('--json', 'print JSON')
    .action(async (o: { model: string; cases?: string[]; out?: string; json?: boolean }) => {
      await checkModels(ctx.dataDir(), [o.model]);
      const cases = await loadCases(o.cases ?? []);
      const progress = progressReporter(!o.json);
      let report;
      try {
        report = await runRedteam({
          cases,
          model: o.model,
          dataDir: ctx.dataDir(),
          open: (dataDir, actor) => Cairn.open(dataDir, { actor }),
          onProgress: (done, total, id) => progress.update({ done, total, file: id, status: 'ingested' }),
        });
      } finally {
        progress.stop();
      }
      if (o.out) {
        await mkdir(o.out, { recursive: true });
        await writeFile(path.join(o.out, 'redteam.md'), redteamMarkdown(report));
        await writeFile(path.join(o.out, 'redteam.json'), `${JSON.stringify(report, null, 2)}\n`);
      }
      if (o.json) ctx.json(report);
      else {
        for (const c of report.cases) {
          ctx.io.out(`${c.passed ? 'PASS' : 'FAIL'}  ${c.id.padEnd(28)} ${c.category}`);
          for (const f of c.findings) ctx.io.out(`        ${f.severity}: ${f.message}`);
        }
        ctx.io.out(`${report.passed} passed, ${report.failed} failed (${report.deliveredFailures} reached the user)`);
      }
      if (report.failed > 0) ctx.setExit(EXIT.user);
    });
}
