/**
 * `npm run demo`: builds a small, plainly fictional scenario corpus with real
 * generators, ingests it into a fresh data folder, asks three questions and
 * verifies the audit log, all through the real `cairn` CLI. Offline.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../main/cli/index.js';
import { makeDemoCorpus } from './demo/make-corpus.js';

async function step(title: string, args: string[]): Promise<number> {
  process.stdout.write(`\n$ cairn ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const code = await runCli(['node', 'cairn', ...args]);
  if (code !== 0) process.stderr.write(`(${title} exited with ${code})\n`);
  return code;
}

async function main(): Promise<number> {
  const started = performance.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'cairn-demo-'));
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  const corpus = await makeDemoCorpus(corpusDir);
  process.stdout.write(`Cairn demo (fictional exercise data)\n  corpus: ${corpusDir} (${corpus.files.length} files)\n  data:   ${dataDir}\n`);
  const codes: number[] = [];
  codes.push(await step('ingest', ['--data', dataDir, 'ingest', corpusDir, '--marking', 'UNCLASSIFIED']));
  codes.push(await step('sources', ['--data', dataDir, 'sources']));
  for (const q of corpus.questions) codes.push(await step('ask', ['--data', dataDir, 'ask', q]));
  codes.push(await step('audit verify', ['--data', dataDir, 'audit', 'verify']));
  process.stdout.write(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s. Explore it: npx cairn --data ${dataDir} ask "..."\n`);
  return Math.max(...codes);
}

process.exitCode = await main();
