/**
 * Runs some hostile cases only (names or `prefix*`), for working on one
 * reader without the whole `verify:security` run:
 *   node --import tsx scripts/security/hostile-subset.ts 'v:*' [--quick] [--parallel N] [--file-timeout S] [--json FILE]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GENERATED_CASES, makeHostileCorpus } from '../../test/fixtures/hostile/make-hostile.js';
import { runHostileCases, totals } from './hostile.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { quick: { type: 'boolean', default: false }, parallel: { type: 'string' }, 'file-timeout': { type: 'string' }, json: { type: 'string' } } });
const patterns = positionals.length ? positionals : ['*'];
const match = (name: string): boolean => patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
const only = GENERATED_CASES.filter(match);
const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-hostile-subset-'));
try {
  await mkdir(path.join(dir, 'corpus'));
  const cases = await makeHostileCorpus(path.join(dir, 'corpus'), { quick: values.quick, only });
  process.stderr.write(`${cases.length} cases\n`);
  const rows = await runHostileCases(cases, { timeoutMs: Number(values['file-timeout'] ?? 180) * 1000, parallel: Number(values.parallel ?? 2), log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(totals(rows))}\n`);
  for (const r of rows) if (r.leaked || r.escaped.length || r.egress) process.stdout.write(`LEAK ${r.name}: leaked=${r.leaked} escaped=${r.escaped.join(',')} egress=${r.egress}\n`);
  if (values.json) await writeFile(values.json, JSON.stringify(rows, null, 1));
} finally {
  await rm(dir, { recursive: true, force: true });
}
