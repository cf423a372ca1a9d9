/**
 * Builds a known-item BEIR folder from Debian's AppStream catalogue (DEP-11
 * `Components-<arch>.yml.gz`): application descriptions translated by their
 * upstream projects into some 80 languages, including scripts Debian's
 * package descriptions lack (Hindi, Tamil, Malayalam, Nepali, Punjabi,
 * Telugu, Thai, Hebrew, Persian, Georgian...).
 *   documents = an application's description in LANG (its markup reduced to text),
 *   queries   = its summary in LANG, judged relevant to its own application only.
 * A translation identical to the English one (C) is skipped, as are short
 * descriptions, duplicates and summaries found verbatim in their description
 * (the same sampling as debian-descriptions-set.ts).
 *
 *   curl -o /tmp/Components-amd64.yml.gz http://deb.debian.org/debian/dists/bookworm/main/dep11/Components-amd64.yml.gz
 *   node --import tsx scripts/eval/appstream-set.ts --file /tmp/Components-amd64.yml.gz --lang hi --out /tmp/appstream-hi
 *   npm run eval -- retrieval /tmp/appstream-hi
 *
 * (apt fetches the same file into /var/lib/apt/lists when the `appstream`
 * package is installed; it is read from there when --file is not given.)
 * No catalogue text is copied into the repository.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'htmlparser2';
import yaml from 'js-yaml';
import { type Description, sampleSet, SET_OPTIONS, writeBeirSet } from './debian-descriptions-set.js';

const LISTS = '/var/lib/apt/lists';

/** Locale keys name one language several ways (pt_BR, pt-BR; zh_CN, zh-CN). */
const sameLocale = (key: string, lang: string): boolean => key.replace('-', '_').toLowerCase() === lang.replace('-', '_').toLowerCase();

/** AppStream description markup (<p>, <ul>/<ol> of <li>, <em>, <code>) as plain text, a paragraph or item per line. */
export function descriptionText(markup: string): string {
  const out: string[] = [];
  let line = '';
  const flush = (): void => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
    line = '';
  };
  const parser = new Parser({
    onopentag: (name) => (name === 'p' || name === 'li' ? flush() : undefined),
    onclosetag: (name) => (name === 'p' || name === 'li' ? flush() : undefined),
    ontext: (text) => (line += text),
  }, { decodeEntities: true });
  parser.write(markup);
  parser.end();
  flush();
  return out.join('\n');
}

type Localised = Record<string, unknown> | undefined;

function pick(field: Localised, lang: string): string | undefined {
  if (!field) return undefined;
  for (const [key, value] of Object.entries(field)) if (sameLocale(key, lang) && typeof value === 'string') return value;
  return undefined;
}

/** Every component with a summary and a description translated into `lang` (not the English text again). */
export function translatedDescriptions(catalogue: string, lang: string): Description[] {
  const out: Description[] = [];
  yaml.loadAll(catalogue, (doc) => {
    const c = doc as { ID?: string; Summary?: Localised; Description?: Localised } | null;
    if (!c?.ID || !c.Summary || !c.Description) return;
    const summary = pick(c.Summary, lang);
    const description = pick(c.Description, lang);
    if (!summary || !description || description === c.Description.C || summary === c.Summary.C) return;
    out.push({ pkg: c.ID, short: summary.trim(), long: descriptionText(description) });
  }, { json: true });
  return out;
}

async function catalogueFile(): Promise<string> {
  const files = (await readdir(LISTS)).filter((f) => /_dep11_Components-[a-z0-9]+\.yml\.(gz|xz|lz4)$/.test(f) && !/-(security|updates)_/.test(f));
  const gz = files.find((f) => f.endsWith('.gz'));
  if (!gz) throw new Error(`no dep11 Components-*.yml.gz in ${LISTS}: pass --file (see the comment at the top of this script)`);
  return path.join(LISTS, gz);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: SET_OPTIONS });
  if (!values.out || !values.lang) {
    console.error('usage: appstream-set.ts --lang hi --out DIR [--file Components-amd64.yml.gz --docs 5000 --queries 300 --seed 1]');
    process.exit(2);
  }
  const file = values.file ?? (await catalogueFile());
  const raw = await readFile(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const set = sampleSet(translatedDescriptions(text, values.lang), Number(values.docs), Number(values.queries), Number(values.seed));
  if (set.queries.length === 0) throw new Error(`no translated ${values.lang} descriptions with summaries in ${file}`);
  const out = await writeBeirSet(values.out, set);
  console.log(`${out}: ${set.docs.length} documents, ${set.queries.length} queries (${values.lang}) from ${path.basename(file)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
