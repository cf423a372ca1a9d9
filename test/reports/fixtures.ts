/**
 * A small, real corpus for the product tests: marked text and HTML files
 * written to a temp folder, ingested into a real data folder, and questions
 * asked so the audit log holds real `ask` records to build reports from.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { Cairn } from '../../main/api/cairn.js';
import { toCairnError } from '../../main/core/errors.js';
import type { CliContext } from '../../main/cli/index.js';

export const FILES: Record<string, string> = {
  'harbour.txt': [
    '(U) Port Vela harbour report, March 2031.',
    '',
    '(U) The harbour at Port Vela has three berths and a fuel pier on the eastern mole.',
    '',
    '(U) Harbour traffic rose in March as the fishing fleets returned for the season.',
  ].join('\n'),
  'convoy.txt': [
    '(S//NF) The convoy of six trucks left the northern depot at 0400 on 12 March heading to Port Vela.',
    'The trucks carried crates marked as agricultural equipment.',
  ].join('\n'),
  'aurora.html': `<!doctype html><html><head><title>Aurora sighting</title></head><body>
<p>(C//REL TO USA, GBR) Fishing vessel Aurora was sighted loitering near the fuel pier on 13 March.</p>
<p>(C//REL TO USA, GBR) Aurora had switched off its transponder two days before the sighting.</p>
</body></html>`,
};

/** Facts in their own files, to give a report many pages. */
export const TOWNS = ['Aldmere', 'Brackwater', 'Corvel', 'Dunmarsh', 'Eastholm', 'Fenwick', 'Galloway', 'Harrowgate', 'Ironbridge', 'Jarrow', 'Kelso', 'Lindisfarne'];
export function townFile(town: string, i: number): string {
  return `(U) The radar station at ${town} was rebuilt in ${2010 + i} and now covers the ${['northern', 'southern', 'eastern', 'western'][i % 4]} approaches with a range of ${40 + i * 5} kilometres. Its crew of ${12 + i} rotates every ${i % 3 === 0 ? 'week' : 'fortnight'} and reports to the coastal command at Port Vela.`;
}

export interface Corpus {
  root: string;
  dataDir: string;
  cairn: Cairn;
  ask: (q: string) => Promise<string>;
  cleanup: () => Promise<void>;
}

export async function makeCorpus(prefix: string, opts: { towns?: boolean } = {}): Promise<Corpus> {
  const root = await mkdtemp(path.join(os.tmpdir(), `cairn-${prefix}-`));
  const files = { ...FILES };
  if (opts.towns) TOWNS.forEach((t, i) => (files[`${t.toLowerCase()}.txt`] = townFile(t, i)));
  const paths: string[] = [];
  await mkdir(path.join(root, 'in'));
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(root, 'in', name);
    await writeFile(p, text);
    paths.push(p);
  }
  const dataDir = path.join(root, 'data');
  const cairn = await Cairn.open(dataDir, { actor: 'analyst1' });
  const r = await cairn.ingest({ paths });
  if (r.failed > 0) throw new Error(`fixture ingest failed: ${JSON.stringify(r.files)}`);
  return {
    root,
    dataDir,
    cairn,
    ask: async (q) => (await cairn.ask({ question: q })).auditId,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * Runs one command module the way `cairn` does (commander, --data, the exit
 * code mapping), without touching main/cli/index.ts.
 */
export async function runCommand(register: (p: Command, ctx: CliContext) => void, dataDir: string, argv: string[], actor = 'analyst1'): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let code = 0;
  const io = { out: (s: string) => void (out += `${s}\n`), err: (s: string) => void (err += `${s}\n`) };
  const program = new Command('cairn').option('--data <dir>').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const ctx: CliContext = {
    io,
    open: () => Cairn.open(dataDir, { actor }),
    dataDir: () => dataDir,
    setExit: (c) => (code = Math.max(code, c)),
    json: (v) => io.out(JSON.stringify(v, null, 2)),
  };
  register(program, ctx);
  try {
    await program.parseAsync(['node', 'cairn', ...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 1, out, err };
    const ce = toCairnError(e);
    io.err(`cairn: ${ce.message}`);
    return { code: ce.isUserError ? 1 : 2, out, err };
  }
  return { code, out, err };
}
