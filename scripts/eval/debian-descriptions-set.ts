/**
 * Builds a known-item BEIR folder from Debian's translated package
 * descriptions (apt's i18n Translation-LANG files), the one real retrieval
 * text in many languages this air-gapped machine has:
 *   documents = long descriptions (title left empty so the short one cannot leak in),
 *   queries   = short descriptions, each judged relevant to its own package only.
 * Long descriptions under MIN_LONG characters are skipped, identical long
 * descriptions (package families such as foo / foo-data) are kept once so a
 * query has one right answer, and a query whose short description appears
 * verbatim in its long one is skipped (it would test substring lookup, not
 * retrieval). The sample is deterministic for a seed.
 *
 *   node --import tsx scripts/eval/debian-descriptions-set.ts --lang de --out /tmp/debian-de [--docs 5000 --queries 300 --seed 1]
 *   npm run eval -- retrieval /tmp/debian-de
 *
 * The files come from `apt-get update -o Acquire::Languages=en,de,...`; no
 * Debian text is copied into the repository.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { mulberry32 } from '../lib/stats.js';

const LISTS = '/var/lib/apt/lists';
const APT_HELPER = '/usr/lib/apt/apt-helper';
const MIN_LONG = 80;

export interface Description {
  pkg: string;
  short: string;
  long: string;
}

/** deb822 paragraphs of a Translation file -> package, short and long description (` .` is a blank line). */
export function parseTranslation(text: string): Description[] {
  const out: Description[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const lines = para.split('\n');
    let pkg = '';
    let short = '';
    const long: string[] = [];
    let inDesc = false;
    for (const line of lines) {
      if (line.startsWith('Package:')) {
        pkg = line.slice(8).trim();
        inDesc = false;
      } else if (/^Description-[A-Za-z_]+:/.test(line)) {
        short = line.slice(line.indexOf(':') + 1).trim();
        inDesc = true;
      } else if (inDesc && line.startsWith(' ')) {
        long.push(line === ' .' ? '' : line.slice(1));
      } else {
        inDesc = false;
      }
    }
    if (pkg && short) out.push({ pkg, short, long: long.join('\n').trim() });
  }
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const a = [...items];
  const next = mulberry32(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

const squash = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

export interface DebianSet {
  docs: Description[];
  queries: Description[];
}

export function sampleSet(all: readonly Description[], docs: number, queries: number, seed: number): DebianSet {
  const seen = new Set<string>();
  const eligible: Description[] = [];
  for (const d of all) {
    const key = squash(d.long);
    if (d.long.length < MIN_LONG || seen.has(key)) continue;
    seen.add(key);
    eligible.push(d);
  }
  const chosen = shuffled(eligible, seed).slice(0, docs);
  const asked = chosen.filter((d) => !squash(d.long).includes(squash(d.short))).slice(0, queries);
  return { docs: chosen, queries: asked };
}

async function translationFile(lang: string): Promise<string> {
  const suffix = `_i18n_Translation-${lang.replace('_', '%5f')}.lz4`;
  const files = (await readdir(LISTS)).filter((f) => f.endsWith(suffix) && f.includes('_dists_') && !/-(security|updates)_/.test(f));
  const file = files[0];
  if (!file) throw new Error(`no ${suffix} in ${LISTS}: run apt-get update -o Acquire::Languages=en,${lang}`);
  return path.join(LISTS, file);
}

/** The command line of this script and of appstream-set.ts. */
export const SET_OPTIONS = {
  lang: { type: 'string' },
  file: { type: 'string' },
  out: { type: 'string' },
  docs: { type: 'string', default: '5000' },
  queries: { type: 'string', default: '300' },
  seed: { type: 'string', default: '1' },
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: SET_OPTIONS });
  if (!values.out || (!values.lang && !values.file)) {
    console.error('usage: debian-descriptions-set.ts --lang de --out DIR [--docs 5000 --queries 300 --seed 1] (or --file Translation-xx.lz4)');
    process.exit(2);
  }
  const file = values.file ?? (await translationFile(values.lang as string));
  const { stdout } = await promisify(execFile)(APT_HELPER, ['cat-file', file], { maxBuffer: 1 << 30 });
  const set = sampleSet(parseTranslation(stdout), Number(values.docs), Number(values.queries), Number(values.seed));
  const out = await writeBeirSet(values.out, set);
  console.log(`${out}: ${set.docs.length} documents, ${set.queries.length} queries from ${path.basename(file)}`);
}

/** The set as a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv); returns its absolute path. */
export async function writeBeirSet(dir: string, set: DebianSet): Promise<string> {
  const out = path.resolve(dir);
  await mkdir(path.join(out, 'qrels'), { recursive: true });
  await writeFile(path.join(out, 'corpus.jsonl'), set.docs.map((d) => JSON.stringify({ _id: d.pkg, title: '', text: d.long })).join('\n') + '\n');
  await writeFile(path.join(out, 'queries.jsonl'), set.queries.map((q) => JSON.stringify({ _id: `q:${q.pkg}`, text: q.short })).join('\n') + '\n');
  await writeFile(path.join(out, 'qrels', 'test.tsv'), ['query-id\tcorpus-id\tscore', ...set.queries.map((q) => `q:${q.pkg}\t${q.pkg}\t1`)].join('\n') + '\n');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
