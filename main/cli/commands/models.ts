/**
 * `cairn models list|test`: the answer models this installation can use
 * (the extractive composer, GGUF files in DATA/models, endpoints in
 * DATA/config.json) and a quick end-to-end check of one.
 */
import { type Command, Option } from 'commander';
import { disposeProviders, getProvider, listProviders, smokeTest } from '../../agent/index.js';
import { listEmbedders, listOnnxModels } from '../../embed/registry.js';
import { loadSearchConfig } from '../../search/config.js';
import { Store } from '../../store/store.js';
import type { CliContext } from '../index.js';

export function register(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('the models that can answer questions (extractive, GGUF in DATA/models, endpoints in config.json)');

  models
    .command('list')
    .description('list the answer models and the default one, the embedders and rerankers in DATA/models, and what the store uses')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const dataDir = ctx.dataDir();
      const [r, embedders, onnx, pinned, search] = await Promise.all([listProviders(dataDir), listEmbedders(dataDir), listOnnxModels(dataDir), Store.pinnedEmbedder(dataDir), loadSearchConfig(dataDir)]);
      const rerankers = onnx.filter((m) => m.role === 'reranker').map((m) => ({ name: m.name, file: m.file, active: m.name === search.reranker }));
      const store = { embedder: pinned?.id ?? null, dimension: pinned?.dimension ?? null, reranker: search.reranker ?? null };
      if (o.json) {
        ctx.json({ ...r, embedders, rerankers, store });
        return;
      }
      const width = Math.max(12, ...r.entries.map((e) => e.name.length));
      ctx.io.out(
        [
          ...r.entries.map((e) => `${e.isDefault ? '*' : ' '} ${e.name.padEnd(width)}  ${e.kind.padEnd(10)}  ${e.error ? `UNUSABLE: ${e.error}` : e.summary}`),
          ...r.problems.map((p) => `warning: ${p}`),
          '',
          `embedders (the store uses ${store.embedder ?? 'none yet: the built-in hashed embedder on first ingest'}):`,
          ...embedders.map((e) => `  ${e.name.padEnd(width)}  ${e.kind}`),
          `rerankers (config.json search.reranker: ${store.reranker ?? 'none'}):`,
          ...(rerankers.length ? rerankers.map((x) => `${x.active ? '*' : ' '} ${x.name.padEnd(width)}  onnx cross-encoder`) : ['  none installed']),
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
