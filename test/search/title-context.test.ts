import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import type { Source } from '../../main/core/types.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { evalRetrievalVariants } from '../../main/eval/retrieval-variants.js';
import { titleContextOf } from '../../main/eval/retrieval.js';
import { writeBeirSet } from '../eval/beir-fixture.js';
import { analyseText } from '../../main/search/analyse.js';
import { termsOf } from '../../main/store/rows.js';
import { type ChunkRow, Store } from '../../main/store/store.js';

/**
 * A chunk row's optional `context` (its source title) is indexed for full
 * text with the passage and never shown: the evaluation's title settings
 * (npm run eval -- variants all title) rest on it, and rows without it must
 * index exactly as before.
 */
const embedder = new HashedEmbedder(64);

function source(title: string, text: string): Source {
  return {
    id: sha256Hex(title + text), kind: 'document', title, origin: `${title}.txt`, mime: 'text/plain', bytes: text.length,
    ingestedAt: new Date().toISOString(), marking: 'UNCLASSIFIED', packageId: '', parentId: '', metadata: {},
  };
}

async function rows(s: Source, texts: string[], context?: string): Promise<ChunkRow[]> {
  const vectors = await embedder.embed(texts);
  return texts.map((text, i) => ({
    id: sha256Hex(`${s.id}:${i}`), sourceId: s.id, ordinal: i, text, page: 1, start: 0, end: text.length, marking: s.marking, vector: vectors[i]!,
    ...(context ? { context } : {}),
  }));
}

describe('title context in full-text terms', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-title-context-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lets a passage be found by its title, without showing the title in its text', async () => {
    const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const withTitle = source('Zephyrine cargo audit', 'x');
    const without = source('Quillon port log', 'y');
    const body = ['Containers were weighed at the north gate.', 'Two manifests listed the same seal numbers.'];
    await store.writeSource(withTitle, await rows(withTitle, body, withTitle.title));
    await store.writeSource(without, await rows(without, body));

    expect((await store.fullText('zephyrine', 5)).map((h) => h.sourceId)).toEqual([withTitle.id, withTitle.id]);
    const hits = await store.fullText('zephyrine manifests', 5);
    expect(hits[0]?.sourceId).toBe(withTitle.id);
    expect(hits[0]?.text).toBe(body[1]);
    expect(hits.every((h) => !h.text.includes('Zephyrine'))).toBe(true);
    // Rows without context index as before: the title alone does not find them.
    expect((await store.fullText('quillon', 5)).map((h) => h.sourceId)).not.toContain(without.id);
  });

  it("stems by the passage's language, not the title's", () => {
    const german = 'Die Regierungen der Nachbarländer haben neue Vereinbarungen über den Grenzverkehr und die Zollkontrollen getroffen.';
    const de = termsOf({ text: german, sourceId: 'a', context: 'Border report' });
    expect(de).toEqual(analyseText(`Border report\n\n${german}`, 'de'));
    expect(de.terms).toContain('regier');
    const english = 'The vessel Aurora docked at Kessel harbour after the storm and unloaded its cargo.';
    expect(termsOf({ text: english, sourceId: 'c', context: 'Die Regierungen' })).toEqual({ terms: `Die Regierungen\n\n${english}`, lang: '' });
    expect(termsOf({ text: english, sourceId: 'd', context: '  ' })).toEqual({ terms: english, lang: '' });
  });

  it('the variants harness builds a second index for a title setting and scores it in the same run', async () => {
    // A's second passage (past 1,000 characters) says what B, C and D say, in passages of about its length; only A's title names it.
    const filler = Array.from({ length: 20 }, (_, i) => `Inspectors recorded routine weather observation number ${i} at the quay.`).join(' ');
    const docs: [string, string, string][] = [
      ['A', 'Zephyrine cargo audit', `${filler} The manifests listed duplicate seal numbers.`],
      ['B', 'Port log', `${filler.slice(0, 500)} The manifests listed duplicate seal numbers.`],
      ['C', 'Customs note', `${filler.slice(0, 500)} Clerks found manifests with duplicate seal numbers.`],
      ['D', 'Harbour brief', `${filler.slice(0, 500)} Duplicate seal numbers appeared in the manifests.`],
      // The title word is in other documents too, so A's first passage (title, no findings) does not win on it alone.
      ...['E', 'F'].map((id): [string, string, string] => [id, `Zephyrine ${id}`, `The Zephyrine fleet report ${id} covers crew rotations.`]),
    ];
    await writeBeirSet(path.join(dir, 'tiny'), docs, [['q1', 'zephyrine manifests duplicate seal numbers', 'A']]);
    const r = await evalRetrievalVariants(path.join(dir, 'tiny'), embedder, [
      { name: 'no title context', search: { prf: false, semanticWeight: 0 } },
      { name: 'title on later passages', search: { prf: false, semanticWeight: 0 }, titleContext: { chunks: 'rest' } },
    ]);
    const [plain, titled] = r.variants;
    expect(titled?.ndcg10).toBeCloseTo(1, 5);
    expect(plain?.ndcg10).toBeLessThan(1);
  });

  it('evaluation settings put the title where asked', () => {
    expect(titleContextOf({ chunks: 'none' }, 'T', 1)).toBeUndefined();
    expect(titleContextOf({ chunks: 'rest' }, 'T', 0)).toBeUndefined();
    expect(titleContextOf({ chunks: 'rest' }, 'T', 1)).toBe('T');
    expect(titleContextOf({ chunks: 'all', repeat: 2 }, 'T', 0)).toBe('T\nT');
    expect(titleContextOf({ chunks: 'all' }, '', 3)).toBeUndefined();
  });
});
