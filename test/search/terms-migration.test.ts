import * as lancedb from '@lancedb/lancedb';
import * as arrow from 'apache-arrow';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { ANALYSIS_VERSION, stemWith } from '../../main/search/analyse.js';
import { chunkToRow, sourceToRow } from '../../main/store/rows.js';
import { chunksSchema, sourcesSchema } from '../../main/store/schema.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

/** A store as the version before the `terms` column wrote it: no terms/lang columns, full-text index on raw text. */
const embedder = new HashedEmbedder(64);
const TEXTS = {
  cjk: '情报分析报告指出港口的集装箱吞吐量持续增长。',
  english: 'The vessel Aurora docked at Kessel harbour after the storm.',
  arabic: 'ارتفعت صادرات النفط الخام هذا الشهر.',
};

function source(title: string, text: string): Source {
  return {
    id: sha256Hex(text), kind: 'document', title, origin: `${title}.txt`, mime: 'text/plain', bytes: text.length,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {},
  };
}

async function chunkOf(s: Source, text: string): Promise<ChunkRow> {
  const [vector] = await embedder.embed([text]);
  return { id: sha256Hex(`${s.id}:0`), sourceId: s.id, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: s.marking, vector: vector! };
}

async function oldStore(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'store');
  await mkdir(dir, { recursive: true });
  const db = await lancedb.connect(dir);
  const full = chunksSchema(embedder.id, embedder.dimension);
  const schema = new arrow.Schema(full.fields.filter((f) => f.name !== 'terms' && f.name !== 'lang'), full.metadata);
  const chunks = await db.createEmptyTable('chunks', schema);
  const sources = await db.createEmptyTable('sources', sourcesSchema());
  for (const [title, text] of Object.entries(TEXTS)) {
    const s = source(title, text);
    const { terms: _t, lang: _l, ...row } = chunkToRow(await chunkOf(s, text));
    await chunks.add([row]);
    await sources.add([sourceToRow(s)]);
  }
  await chunks.createIndex('text', { config: lancedb.Index.fts() });
}

describe('a store made before the terms column', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-terms-migration-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is migrated on open: old rows are analysed, searchable by CJK part-words, and new writes work', async () => {
    await oldStore(dir);
    const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    expect((await store.fullText('分析', 3))[0]?.title).toBe('cjk');
    expect((await store.fullText('harbour storms', 3))[0]?.title).toBe('english');
    expect((await store.fullText('والنفط', 3))[0]?.title).toBe('arabic');

    const text = '防衛省は新しいレーダー施設の建設計画を発表した。';
    const s = source('radar', text);
    expect(await store.writeSource(s, [await chunkOf(s, text)])).toBe('written');
    expect((await store.fullText('レーダー', 3))[0]?.title).toBe('radar');

    // Opening again finds the migration done and everything still there.
    const again = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    expect(await again.countChunks()).toBe(4);
    expect((await again.fullText('集装箱', 3))[0]?.title).toBe('cjk');
  });
});

describe('a store analysed by an older analyser version', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-terms-reanalyse-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A current store holding one passage per [title, text]. */
  async function storeWith(entries: readonly (readonly [string, string])[]): Promise<Store> {
    const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    for (const [title, text] of entries) {
      const s = source(title, text);
      await store.writeSource(s, [await chunkOf(s, text)]);
    }
    return store;
  }

  /** Rewrites one passage's row as an older analyser left it and forgets which version analysed the store. */
  async function asAnalysedBefore(text: string, values: Record<string, string>): Promise<lancedb.Table> {
    const chunks = await (await lancedb.connect(path.join(dir, 'store'))).openTable('chunks');
    await chunks.update({ where: `sourceId = '${sha256Hex(text)}'`, values });
    await chunks.createIndex('terms', { config: lancedb.Index.fts(), replace: true });
    await rm(path.join(dir, 'store', 'terms-analysis.json'));
    return chunks;
  }

  it('is re-analysed once on open: CJK bigrams become ICU words, English rows stay as they were', async () => {
    const ja = '防衛省は新しいレーダー施設の建設計画を発表した。';
    const first = await storeWith([['radar', ja], ['english', TEXTS.english]]);
    expect((await first.fullText('レーダー', 3))[0]?.title).toBe('radar');
    // What version 1 stored for the Japanese passage: overlapping bigrams; and no version recorded.
    const storeDir = path.join(dir, 'store');
    const chars = [...ja.replace(/[。]/g, '')];
    const bigrams = chars.slice(0, -1).map((c, i) => c + chars[i + 1]!).join(' ');
    const chunks = await asAnalysedBefore(ja, { terms: bigrams });
    const englishBefore = (await chunks.query().where(`sourceId = '${sha256Hex(TEXTS.english)}'`).select(['terms']).toArray())[0]?.terms;

    const stale = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    expect((await stale.fullText('レーダー', 3))[0]?.title).toBe('radar');
    // A fresh handle: the one above still reads the table as it was.
    const rows = await (await (await lancedb.connect(storeDir)).openTable('chunks')).query().select(['sourceId', 'terms']).toArray();
    expect(rows.find((r) => r.sourceId === sha256Hex(ja))?.terms).not.toBe(bigrams);
    expect(rows.find((r) => r.sourceId === sha256Hex(TEXTS.english))?.terms).toBe(englishBefore);
    expect(JSON.parse(await readFile(path.join(storeDir, 'terms-analysis.json'), 'utf8'))).toEqual({ chunks: ANALYSIS_VERSION });
  });

  it('stems the parts of hyphenated words in passages stored before version 5', async () => {
    const de = 'Die Befehlszeilen-Werkzeuge des Pakets verwalten die Softwarequellen des Systems und laden neue Versionen automatisch herunter.';
    await storeWith([['werkzeuge', de], ['english', TEXTS.english]]);
    // What version 4 stored: each word stemmed whole, hyphen and all ("befehlszeilen-werkzeug").
    const v4 = (de.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}'’_-]*/gu) ?? []).map((w) => stemWith('de', w)).join(' ');
    expect(v4).toContain('befehlszeilen-');
    await asAnalysedBefore(de, { terms: v4, lang: 'de' });

    const reopened = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const rows = await (await (await lancedb.connect(path.join(dir, 'store'))).openTable('chunks')).query().select(['sourceId', 'terms']).toArray();
    expect(rows.find((r) => r.sourceId === sha256Hex(de))?.terms).not.toContain('befehlszeilen-');
    expect((await reopened.fullText('Befehlszeile', 3))[0]?.title).toBe('werkzeuge');
  });

  it('re-detects Czech passages stored with no language (stemmed since version 4), and finds their other forms', async () => {
    const cs = 'Knihovna poskytuje rozhraní pro práci se soubory a adresáři v operačním systému. Umožňuje číst a zapisovat data ve formátu XML.';
    await storeWith([['knihovna', cs], ['english', TEXTS.english]]);
    // What version 3 stored: no language detected, the text as written.
    const storeDir = path.join(dir, 'store');
    await asAnalysedBefore(cs, { terms: cs, lang: '' });

    const reopened = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const rows = await (await (await lancedb.connect(storeDir)).openTable('chunks')).query().select(['sourceId', 'terms', 'lang']).toArray();
    const row = rows.find((r) => r.sourceId === sha256Hex(cs));
    expect(row?.lang).toBe('cs');
    expect(row?.terms).not.toBe(cs);
    // "systém" and "soubor" as a query; the passage says "systému" and "soubory".
    expect((await reopened.fullText('operační systém soubor', 3))[0]?.title).toBe('knihovna');
    expect(rows.find((r) => r.sourceId === sha256Hex(TEXTS.english))?.lang).toBe('');
  });

  it('gives Vietnamese passages their syllable pairs (version 7), short ones too', async () => {
    // Under 60 letters: too short for language detection, so found by its Vietnamese letters alone.
    const vi = 'Trình duyệt web nhanh, an toàn và nhẹ cho mọi người.';
    await storeWith([['browser', vi], ['english', TEXTS.english]]);
    // What version 6 stored: the text as written.
    const chunks = await asAnalysedBefore(vi, { terms: vi, lang: '' });
    const englishBefore = (await chunks.query().where(`sourceId = '${sha256Hex(TEXTS.english)}'`).select(['terms']).toArray())[0]?.terms;

    await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const rows = await (await (await lancedb.connect(path.join(dir, 'store'))).openTable('chunks')).query().select(['sourceId', 'terms']).toArray();
    const terms = String(rows.find((r) => r.sourceId === sha256Hex(vi))?.terms);
    expect(terms.startsWith(vi)).toBe(true);
    expect(terms).toContain('trìnhduyệt');
    expect(terms).not.toContain('nhanhan'); // no pair across the comma
    expect(rows.find((r) => r.sourceId === sha256Hex(TEXTS.english))?.terms).toBe(englishBefore);
  });

  it('re-analyses only Vietnamese passages of a store analysed by version 6', async () => {
    const vi = 'Trình duyệt web nhanh, an toàn và nhẹ cho mọi người.';
    const et = 'Rakendus pakub lihtsat kasutajaliidest failide haldamiseks ning võimaldab kaustade sisu kiiresti sirvida.';
    await storeWith([['browser', vi], ['files', et]]);
    const chunks = await asAnalysedBefore(vi, { terms: vi, lang: '' });
    // A row version 6 would have truncated, left as written: from version 6 on it is not looked at again.
    await chunks.update({ where: `sourceId = '${sha256Hex(et)}'`, values: { terms: et, lang: '' } });
    await chunks.createIndex('terms', { config: lancedb.Index.fts(), replace: true });
    await writeFile(path.join(dir, 'store', 'terms-analysis.json'), JSON.stringify({ chunks: 6 }));

    await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const rows = await (await (await lancedb.connect(path.join(dir, 'store'))).openTable('chunks')).query().select(['sourceId', 'terms']).toArray();
    expect(String(rows.find((r) => r.sourceId === sha256Hex(vi))?.terms)).toContain('trìnhduyệt');
    expect(rows.find((r) => r.sourceId === sha256Hex(et))?.terms).toBe(et);
    expect(JSON.parse(await readFile(path.join(dir, 'store', 'terms-analysis.json'), 'utf8'))).toEqual({ chunks: ANALYSIS_VERSION });
  });

  it('re-detects Slovenian passages stored with no language (stemmed since version 6)', async () => {
    const sl = 'Vlada je napovedala nove ukrepe za podporo kmetijstvu in kmetom po vsej državi v tem letu, je sporočilo ministrstvo.';
    await storeWith([['ukrepi', sl], ['english', TEXTS.english]]);
    expect(await (await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension })).fullText('kmetijstvo', 3)).toHaveLength(1);
    // What version 5 stored: no language detected, the text as written.
    await asAnalysedBefore(sl, { terms: sl, lang: '' });
    const stale = await (await lancedb.connect(path.join(dir, 'store'))).openTable('chunks');
    expect((await stale.search('kmetijstvo', 'fts', 'terms').limit(3).toArray())).toHaveLength(0);

    const reopened = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const rows = await (await (await lancedb.connect(path.join(dir, 'store'))).openTable('chunks')).query().select(['sourceId', 'lang']).toArray();
    expect(rows.find((r) => r.sourceId === sha256Hex(sl))?.lang).toBe('sl');
    // The passage says "kmetijstvu" (dative).
    expect((await reopened.fullText('kmetijstvo', 3))[0]?.title).toBe('ukrepi');
    expect(rows.find((r) => r.sourceId === sha256Hex(TEXTS.english))?.lang).toBe('');
  });
});
