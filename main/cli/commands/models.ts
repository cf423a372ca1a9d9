/**
 * `cairn models list|test`: the answer models this installation can use
 * (the extractive composer, GGUF files in DATA/models, endpoints in
 * DATA/config.json) and a quick end-to-end check of one.
 */
import { type Command, Option } from 'commander';
import { disposeProviders, getProvider, listProviders, smokeTest } from '../../agent/index.js';
import type { CliContext } from '../index.js';

export function register(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('the models that can answer questions (extractive, GGUF in DATA/models, endpoints in config.json)');

  models
    .command('list')
    .description('list the answer models and the default one')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await listProviders(ctx.dataDir());
      if (o.json) {
        ctx.json(r);
        return;
      }
      const width = Math.max(12, ...r.entries.map((e) => e.name.length));
      ctx.io.out(
        [
          ...r.entries.map((e) => `${e.isDefault ? '*' : ' '} ${e.name.padEnd(width)}  ${e.kind.padEnd(10)}  ${e.error ? `UNUSABLE: ${e.error}` : e.summary}`),
          ...r.problems.map((p) => `warning: ${p}`),
        ].join('\n'),
      );
    });

  models
    .command('test')
    .description('load a model and answer a canned question end to end (tools, structured reply, citation check); times it')
    .argument('[name]', 'model name from `cairn models list` (default: the default model)')
    .addOption(new Option('--max-tokens <n>', 'tokens per model call').default(256).argParser((v) => Number.parseInt(v, 10)))
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, o: { maxTokens: number; json?: boolean }) => {
      const started = performance.now();
      try {
        const provider = await getProvider(name, ctx.dataDir());
        const loadMs = Math.round(performance.now() - started);
        const r = await smokeTest(provider, { maxTokens: o.maxTokens });
        if (o.json) ctx.json({ ...r, loadMs });
        else {
          const a = r.answer;
          ctx.io.out(
            [
              `${r.ok ? 'ok' : 'FAILED'}  ${r.name}  (${r.id})`,
              `  load ${loadMs} ms, first token ${a.timings.firstTokenMs ?? '-'} ms, answer ${a.timings.totalMs} ms, ${a.steps.length} model step(s), status ${a.status}`,
              ...(r.failure ? [`  failure: ${r.failure}`] : []),
              ...(a.note ? [`  note: ${a.note}`] : []),
              ...a.sentences.map((s) => `  ${s.supported ? '✓' : '✗'} ${s.text}`),
            ].join('\n'),
          );
        }
        if (!r.ok) ctx.setExit(1);
      } finally {
        await disposeProviders();
      }
    });
}
