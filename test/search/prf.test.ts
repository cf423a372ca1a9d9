import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../main/core/hash.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { expansionTerms, PRF_DEFAULTS, rm3Query } from '../../main/search/prf.js';
import { Store } from '../../main/store/store.js';

const passages = [
  'The tanker Blue Heron docked at Port Sarn after a storm; its hull was damaged.',
  'Crew of the Blue Heron said the tanker hull took on water near Port Sarn.',
  'Hull inspections of the tanker at the Sarn shipyard found corrosion below the waterline.',
  'Wheat and barley exports rose sharply in the third quarter across the region.',
  'Maritime patrol aircraft flew daily sorties over the northern shipping lanes.',
];

describe('RM3 expansion terms', () => {
  it('picks the words the feedback passages share, in their own surface form, weighted by passage score', () => {
    const terms = expansionTerms(
      [
        { text: passages[0]!, score: 3 },
        { text: passages[1]!, score: 2 },
        { text: passages[3]!, score: 0.1 },
      ],
      6,
    );
    const words = terms.map((t) => t.term);
    expect(words).toEqual(expect.arrayContaining(['tanker', 'hull', 'sarn', 'heron']));
    // The weak third passage's words do not make the cut.
    expect(words).not.toContain('barley');
    expect(terms.reduce((a, t) => a + t.weight, 0)).toBeCloseTo(1, 6);
    expect(terms[0]!.weight).toBeGreaterThanOrEqual(terms[terms.length - 1]!.weight);
  });

  it('groups word forms by stem and reports the commonest form', () => {
    const [top] = expansionTerms([{ text: 'vessels vessels vessel harbour', score: 1 }], 1);
    expect(top?.term).toBe('vessels');
  });

  it('keeps the original query at originalWeight spread over its terms', () => {
    const q = rm3Query('Blue Heron', [{ text: passages[0]!, score: 1 }], { ...PRF_DEFAULTS, originalWeight: 0.6 });
    expect(q?.[0]).toEqual({ text: 'Blue Heron', boost: 0.3 });
    const expansion = (q ?? []).slice(1);
    expect(expansion.reduce((a, p) => a + p.boost, 0)).toBeCloseTo(0.4, 6);
    expect(rm3Query('the of', [{ text: passages[0]!, score: 1 }])).toBeNull();
  });
});

describe('RM3 in hybrid search (real LanceDB)', () => {
  let dir: string;
  let store: Store;
  const embedder = new HashedEmbedder(64);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-prf-'));
    store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
    const vectors = await embedder.embed(passages);
    const sources = passages.map((text, i) => ({
      id: sha256Hex(`src${i}`), kind: 'document' as const, title: `doc ${i}`, origin: `test:${i}`, mime: 'text/plain', bytes: text.length,
      ingestedAt: new Date(0).toISOString(), marking: 'U', packageId: '', parentId: '', metadata: {},
    }));
    await store.writeBulk(sources, passages.map((text, i) => ({ id: sha256Hex(`chunk${i}`), sourceId: sources[i]!.id, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: 'U', vector: vectors[i]! })));
    await store.optimize();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds a passage that shares no word with the question through the words of the first hits', async () => {
    const plain = await hybridSearch(store, embedder, 'Blue Heron', { k: 3, prf: false, fusion: 'fallback', vectorWeight: 0 });
    const fullTextOnly = plain.filter((h) => h.textRank !== null).map((h) => h.text);
    expect(fullTextOnly).not.toContain(passages[2]);
    const expanded = await hybridSearch(store, embedder, 'Blue Heron', { k: 3, prf: { docs: 2, terms: 6, originalWeight: 0.5 } });
    expect(expanded.slice(0, 2).map((h) => h.text)).toEqual(expect.arrayContaining([passages[0], passages[1]]));
    expect(expanded.filter((h) => h.textRank !== null).map((h) => h.text)).toContain(passages[2]);
  });

  it('lets the full-text index match other word forms: "vessels" finds "vessel"', async () => {
    // LanceDB's default English analyser stems at index and query time; this guards the setting.
    const text = 'One vessel was seen leaving the harbour at dawn.';
    const [v] = await embedder.embed([text]);
    const sid = sha256Hex('vessel-src');
    await store.writeBulk(
      [{ id: sid, kind: 'document', title: 'v', origin: 'test:v', mime: 'text/plain', bytes: text.length, ingestedAt: new Date(0).toISOString(), marking: 'U', packageId: '', parentId: '', metadata: {} }],
      [{ id: sha256Hex('vessel-chunk'), sourceId: sid, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: 'U', vector: v! }],
    );
    await store.optimize();
    const hits = await store.fullText('vessels leaving', 5);
    expect(hits.map((h) => h.text)).toContain(text);
  });
});
