import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { ScoredChunk, Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { withDocumentEvidence } from '../../main/search/document-evidence.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { DOCUMENTS_TABLE } from '../../main/store/documents.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

const embedder = new HashedEmbedder(64);
const QUESTION = 'Larkspur Aster tanker delay';

function source(title: string, marking = 'UNCLASSIFIED'): Source {
  return {
    id: sha256Hex(title), kind: 'document', title, origin: `${title}.txt`, mime: 'text/plain', bytes: 0,
    ingestedAt: new Date().toISOString(), marking, packageId: '', parentId: '', metadata: {},
  };
}

async function rows(s: Source, texts: string[]): Promise<ChunkRow[]> {
  const vectors = await embedder.embed(texts);
  return texts.map((text, i) => ({ id: sha256Hex(`${s.id}:${i}`), sourceId: s.id, ordinal: i, text, page: 1, start: 0, end: text.length, marking: s.marking, vector: vectors[i]! }));
}

const hit = (id: string, sourceId: string, score: number): ScoredChunk => ({
  id, sourceId, score, title: id, ordinal: 0, text: id, page: 1, start: 0, end: 1, marking: '', locator: null, t0: null, t1: null, geo: null,
});

describe('withDocumentEvidence', () => {
  it('lifts the passage whose document matches best, and keeps passage order when the document scores are the passage scores', () => {
    const hits = [hit('lone', 'b', 10), hit('part', 'a', 7), hit('other', 'c', 5)];
    const lifted = withDocumentEvidence(hits, new Map([['a', 20], ['b', 10], ['c', 5]]), 1);
    expect(lifted.map((h) => h.id)).toEqual(['part', 'lone', 'other']);
    const same = withDocumentEvidence(hits, new Map([['a', 7], ['b', 10], ['c', 5]]), 1);
    expect(same.map((h) => h.id)).toEqual(['lone', 'part', 'other']);
    // Weight 0, or no document rows at all (a store from before them): passage order.
    expect(withDocumentEvidence(hits, new Map([['a', 20]]), 0).map((h) => h.id)).toEqual(['lone', 'part', 'other']);
    expect(withDocumentEvidence(hits, new Map(), 1).map((h) => h.id)).toEqual(['lone', 'part', 'other']);
  });
});

describe('document terms in the store (real LanceDB in a temp folder)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-docterms-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * "Larkspur" and "Aster" are only in the report's first passage and
   * "tanker delay" in its second; the shorter memo has "tanker delay" alone.
   * Passage by passage, the memo beats the report's second passage; as
   * documents, the report holds every word of the question.
   */
  async function seeded(): Promise<{ store: Store; report: Source; memo: Source }> {
    const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const report = source('Larkspur report');
    await store.writeSource(report, await rows(report, [
      'Larkspur report. Operation Larkspur began on 3 May when the frigate Aster sailed from Port Venn.',
      'On the second day the tanker reported a delay of six hours at the strait.',
    ]));
    const memo = source('Harbour memo');
    await store.writeSource(memo, await rows(memo, ['The tanker delay at Kessel was reported by the pilots.']));
    const fillers = [
      'The harbour master logged the weather at noon.', 'Grain was unloaded overnight at pier four.', 'The escort returned to port for repairs.', 'A fishing boat reported nets lost near the reef.',
      'The pilots changed shift at dawn.', 'Fuel prices rose again in the port district.', 'Two cranes were out of service on the east quay.', 'The ferry schedule was cut for the winter.',
    ];
    for (const [i, text] of fillers.entries()) {
      const s = source(`Filler ${i}`);
      await store.writeSource(s, await rows(s, [text]));
    }
    return { store, report, memo };
  }

  it('scores whole documents, one row per source, for the reader\'s markings only', async () => {
    const { store, report, memo } = await seeded();
    const secret = source('Secret annex', 'SECRET');
    await store.writeSource(secret, await rows(secret, ['Larkspur tanker delay annex, first part.', 'Second part of the annex.']));
    const all = (await store.documentScores(QUESTION, 10))!;
    expect([...all.keys()].sort()).toEqual([report.id, memo.id, secret.id].sort());
    expect(all.get(report.id)!).toBeGreaterThan(all.get(memo.id)!);
    // The best first, at most `limit`, and none the reader may not see.
    expect([...(await store.documentScores(QUESTION, 1))!.keys()]).toHaveLength(1);
    const visible = (await store.documentScores(QUESTION, 10, new Set(['UNCLASSIFIED'])))!;
    expect([...visible.keys()].sort()).toEqual([report.id, memo.id].sort());
  });

  it('ranks the passage of the document holding every word of the question first, and passages alone would not', async () => {
    const { store, report, memo } = await seeded();
    const alone = await hybridSearch(store, embedder, QUESTION, { k: 5, documentWeight: 0, semanticWeight: 0 });
    const second = (hits: typeof alone): number => hits.findIndex((h) => h.sourceId === report.id && h.ordinal === 1);
    const memoAt = (hits: typeof alone): number => hits.findIndex((h) => h.sourceId === memo.id);
    expect(memoAt(alone)).toBeLessThan(second(alone));
    const withDocs = await hybridSearch(store, embedder, QUESTION, { k: 5, semanticWeight: 0 });
    expect(second(withDocs)).toBeLessThan(memoAt(withDocs));
  });

  it('drops the document row of a write that never committed', async () => {
    const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const s = source('Crashed write');
    // Rows written as writeSource would before its source row, then the process "dies".
    await store.writeBulk([], await rows(s, ['Larkspur first half.', 'Larkspur second half.']));
    expect((await store.documentScores('Larkspur', 10))!.has(s.id)).toBe(true);
    await store.discardUncommitted(s.id);
    expect((await store.documentScores('Larkspur', 10))!.has(s.id)).toBe(false);
  });

  it('ranks by passages alone in a store from before document rows, and by documents once backfilled', async () => {
    const { store, report, memo } = await seeded();
    const fresh = [...(await store.documentScores(QUESTION, 10))!.entries()].sort();
    // What a store written by an earlier version looks like: sources and passages, no documents table.
    const db = await lancedb.connect(path.join(dir, 'store'));
    await db.dropTable(DOCUMENTS_TABLE);
    await rm(path.join(dir, 'store', 'documents-complete'));
    const old = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    expect(await old.documentScores(QUESTION, 10)).toBeNull();
    const order = async (s: Store): Promise<string[]> => (await hybridSearch(s, embedder, QUESTION, { k: 5, semanticWeight: 0 })).map((h) => `${h.sourceId === report.id ? 'report' : h.sourceId === memo.id ? 'memo' : 'other'}:${h.ordinal}`);
    const alone = await hybridSearch(old, embedder, QUESTION, { k: 5, documentWeight: 0, semanticWeight: 0 });
    expect(await order(old)).toEqual(alone.map((h) => `${h.sourceId === report.id ? 'report' : h.sourceId === memo.id ? 'memo' : 'other'}:${h.ordinal}`));
    expect(await old.backfillDocuments()).toBe(10);
    const after = await order(old);
    expect(after.indexOf('report:1')).toBeLessThan(after.indexOf('memo:0'));
    // Complete now: a second call finds nothing to do, and the backfilled scores are those a fresh write gives.
    expect(await old.backfillDocuments()).toBe(0);
    expect([...(await old.documentScores(QUESTION, 10))!.entries()].sort()).toEqual(fresh);
    // The marker is on disk: another process opening the store now uses the rows too.
    expect(await (await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension })).documentScores('Larkspur', 10)).not.toBeNull();
  });
});
