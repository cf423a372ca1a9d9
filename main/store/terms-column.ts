import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ANALYSIS_VERSION, analyseText, analysisMayHaveChanged, languageOnReanalysis, NO_LANGUAGES, STEMMED_LANGUAGES, type StoreLanguages } from '../search/analyse.js';

/**
 * The chunks table's full-text column: `terms` (analysed text, see
 * main/search/analyse.ts) with its index, or `text` for a table made before
 * `terms` existed and not migrated yet.
 */
export type FtsColumn = 'terms' | 'text';

const UPDATE_BATCH = 2_000;

/**
 * A language is used to stem queries only when at least this share of the
 * store's passages is in it: a few stray foreign passages in an English
 * corpus (msmarco-5k has two French ones) must not add foreign stems to
 * every English question.
 */
export const MIN_LANGUAGE_SHARE = 0.02;

async function hasFtsIndexOn(table: lancedb.Table, column: string): Promise<boolean> {
  return (await table.listIndices()).some((i) => i.indexType === 'FTS' && i.columns.length === 1 && i.columns[0] === column);
}

/**
 * Just the id and the new columns, as Arrow: handed plain objects, LanceDB
 * would insist on the vector column the update does not touch.
 */
function partialRows(rows: readonly { id: string; terms: string; lang: string }[]): arrow.Table {
  const column = (name: 'id' | 'terms' | 'lang'): arrow.Vector => arrow.vectorFromArray(rows.map((r) => r[name]), new arrow.Utf8());
  const schema = new arrow.Schema(['id', 'terms', 'lang'].map((n) => new arrow.Field(n, new arrow.Utf8(), false)));
  return new arrow.Table(schema, { id: column('id'), terms: column('terms'), lang: column('lang') });
}

/** Creates the full-text index a new chunks table searches. */
export async function createTermsIndex(table: lancedb.Table): Promise<void> {
  await table.createIndex('terms', { config: lancedb.Index.fts(), replace: true });
}

/**
 * Brings a chunks table made by an earlier version up to the `terms` column:
 * adds `terms` (a copy of `text`) and `lang`, rewrites the rows the analyser
 * changes (CJK, Arabic, stemmed languages: English rows are already right),
 * then builds the index. Idempotent and resumable: the index is built last,
 * and its presence is what marks the table done. Call under the write lock.
 */
export async function migrateToTerms(table: lancedb.Table): Promise<boolean> {
  if (await hasFtsIndexOn(table, 'terms')) return false;
  const fields = new Set((await table.schema()).fields.map((f) => f.name));
  const add = [
    ...(fields.has('terms') ? [] : [{ name: 'terms', valueSql: 'text' }]),
    ...(fields.has('lang') ? [] : [{ name: 'lang', valueSql: "''" }]),
  ];
  if (add.length > 0) await table.addColumns(add);
  const updates: { id: string; terms: string; lang: string }[] = [];
  // Streamed in batches: the texts of a large store are never all in memory at once.
  for await (const batch of table.query().select(['id', 'text', 'terms', 'lang'])) {
    for (const r of batch.toArray() as Record<string, unknown>[]) {
      const a = analyseText(String(r.text));
      if (a.terms !== String(r.terms) || a.lang !== String(r.lang)) updates.push({ id: String(r.id), ...a });
    }
  }
  for (let i = 0; i < updates.length; i += UPDATE_BATCH) {
    await table.mergeInsert('id').whenMatchedUpdateAll().execute(partialRows(updates.slice(i, i + UPDATE_BATCH)));
  }
  await createTermsIndex(table);
  return true;
}

/** Per chunks table, the analysis version its `terms` were made with (absent: 1, the first). */
const VERSIONS_FILE = 'terms-analysis.json';

async function readVersions(storeDir: string): Promise<Record<string, number>> {
  try {
    return JSON.parse(await readFile(path.join(storeDir, VERSIONS_FILE), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

async function writeVersion(storeDir: string, tableName: string, version: number): Promise<void> {
  const file = path.join(storeDir, VERSIONS_FILE);
  const next = { ...(await readVersions(storeDir)), [tableName]: version };
  await writeFile(`${file}.tmp`, `${JSON.stringify(next)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Whether a chunks table's terms predate the analyser's current version. */
export async function termsOutdated(storeDir: string, tableName: string): Promise<boolean> {
  return ((await readVersions(storeDir))[tableName] ?? 1) < ANALYSIS_VERSION;
}

/** Marks a new, empty chunks table as analysed by the current version. */
export async function markTermsCurrent(storeDir: string, tableName: string): Promise<void> {
  await writeVersion(storeDir, tableName, ANALYSIS_VERSION);
}

/**
 * Brings `terms` made by an older analyser up to ANALYSIS_VERSION: only rows
 * whose analysis can have changed are analysed again (English rows are
 * skipped unread beyond their text), changed ones rewritten in batches, the
 * index rebuilt, and the version recorded last, so an interrupted run simply
 * runs again. Call under the write lock. Returns the rows rewritten.
 */
export async function reanalyseTerms(table: lancedb.Table, storeDir: string, tableName: string): Promise<number> {
  if (!(await termsOutdated(storeDir, tableName))) return 0;
  const since = (await readVersions(storeDir))[tableName] ?? 1;
  const updates: { id: string; terms: string; lang: string }[] = [];
  for await (const batch of table.query().select(['id', 'sourceId', 'text', 'terms', 'lang'])) {
    for (const r of batch.toArray() as Record<string, unknown>[]) {
      const text = String(r.text);
      const lang = String(r.lang);
      if (!analysisMayHaveChanged(text, lang, since)) continue;
      // The passage keeps the language it was detected as at ingest ('' none), unless it may be one stemmed since.
      const a = analyseText(text, languageOnReanalysis(text, lang, String(r.sourceId)));
      if (a.terms !== String(r.terms)) updates.push({ id: String(r.id), ...a });
    }
  }
  for (let i = 0; i < updates.length; i += UPDATE_BATCH) {
    await table.mergeInsert('id').whenMatchedUpdateAll().execute(partialRows(updates.slice(i, i + UPDATE_BATCH)));
  }
  if (updates.length > 0) await createTermsIndex(table);
  await writeVersion(storeDir, tableName, ANALYSIS_VERSION);
  return updates.length;
}

/**
 * Which column a table's full-text search runs on, and which stemmed
 * languages its passages are in (what a query is stemmed with). Both are
 * cached per table version, so a search costs no extra scan unless the
 * table changed.
 */
export class FtsState {
  private cached: { version: number; column: FtsColumn; languages: StoreLanguages } | null = null;

  constructor(private readonly table: lancedb.Table) {}

  async get(): Promise<{ column: FtsColumn; languages: StoreLanguages }> {
    const version = await this.table.version();
    if (this.cached?.version === version) return this.cached;
    const column: FtsColumn = (await hasFtsIndexOn(this.table, 'terms')) ? 'terms' : 'text';
    const languages = column === 'terms' ? await this.languages() : NO_LANGUAGES;
    this.cached = { version, column, languages };
    return this.cached;
  }

  /**
   * The stemmed languages making up at least MIN_LANGUAGE_SHARE of the
   * passages. Finding them is one query per language present plus one (each
   * finds a row in a language not yet seen, or shows there is none); an
   * English store costs the one.
   */
  private async languages(): Promise<StoreLanguages> {
    const found: string[] = [];
    while (found.length < STEMMED_LANGUAGES.length) {
      // Values come from STEMMED_LANGUAGES (two letters), never from input: safe to quote.
      const seen = found.length > 0 ? ` AND lang NOT IN (${found.map((l) => `'${l}'`).join(', ')})` : '';
      const rows = await this.table.query().where(`lang != ''${seen}`).select(['lang']).limit(1).toArray();
      const lang = rows[0] ? String(rows[0].lang) : null;
      if (!lang || !STEMMED_LANGUAGES.includes(lang)) break;
      found.push(lang);
    }
    if (found.length === 0) return NO_LANGUAGES;
    const total = await this.table.countRows();
    const kept: string[] = [];
    let dominant: string | null = null;
    for (const lang of found) {
      const n = await this.table.countRows(`lang = '${lang}'`);
      if (n >= MIN_LANGUAGE_SHARE * total) kept.push(lang);
      if (n > total / 2) dominant = lang;
    }
    return { languages: kept.sort(), dominant };
  }
}
