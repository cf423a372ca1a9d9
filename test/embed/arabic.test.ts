import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stemmedTerms } from '../../main/agent/terms.js';
import { sha256Hex } from '../../main/core/hash.js';
import { arabicLightStem, normalizeArabic, withArabicForms } from '../../main/embed/arabic.js';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { hybridSearch } from '../../main/search/hybrid.js';
import { Store } from '../../main/store/store.js';

describe('Arabic normalisation', () => {
  it('removes diacritics and tatweel and unifies alef, ya and ta marbuta forms', () => {
    expect(normalizeArabic('الْكِتَابُ')).toBe('الكتاب');
    expect(normalizeArabic('أحمد')).toBe(normalizeArabic('احمد'));
    expect(normalizeArabic('إسلام')).toBe('اسلام');
    expect(normalizeArabic('مصطفى')).toBe('مصطفي');
    expect(normalizeArabic('مدرسة')).toBe('مدرسه');
    expect(normalizeArabic('جـــميل')).toBe('جميل');
    // Persian ya and kaf (analysis version 6).
    expect(normalizeArabic('کتابی')).toBe('كتابي');
    expect(arabicLightStem('کتابی')).toBe(arabicLightStem('کتاب'));
  });

  it('strips articles and attached conjunctions but leaves short words and other scripts alone', () => {
    expect(arabicLightStem('النفط')).toBe('نفط');
    expect(arabicLightStem('والنفط')).toBe('نفط');
    expect(arabicLightStem('بالسفينة')).toBe(arabicLightStem('السفينة'));
    expect(arabicLightStem('في')).toBe('في');
    expect(arabicLightStem('vessels')).toBe('vessels');
    // The shared matcher (proximity, feedback, the extractive composer) now agrees on forms.
    expect(stemmedTerms('ناقلة النفط')).toEqual(stemmedTerms('ناقلةُ نفطٍ'));
  });

  it('lets an Arabic question with the article find a passage without it (real LanceDB)', async () => {
    expect(withArabicForms('ناقلة النفط')).toContain(' نفط');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-arabic-'));
    try {
      const embedder = new HashedEmbedder(32);
      const store = await Store.open(dir, { embedderId: embedder.id, dimension: embedder.dimension });
      const texts = ['وصلت شحنة نفط إلى الميناء صباح اليوم', 'ارتفعت أسعار القمح في السوق'];
      const vectors = await embedder.embed(texts);
      const sources = texts.map((t, i) => ({ id: sha256Hex(`ar${i}`), kind: 'document' as const, title: `ar ${i}`, origin: `test:ar${i}`, mime: 'text/plain', bytes: t.length, ingestedAt: new Date(0).toISOString(), marking: 'U', packageId: '', parentId: '', metadata: {} }));
      await store.writeBulk(sources, texts.map((text, i) => ({ id: sha256Hex(`arc${i}`), sourceId: sources[i]!.id, ordinal: 0, text, page: 1, start: 0, end: text.length, marking: 'U', vector: vectors[i]! })));
      await store.optimize();
      // The store's analysed `terms` index holds the light stem "نفط" (main/search/analyse.ts).
      expect((await store.fullText('النفط', 5))[0]?.text).toBe(texts[0]);
      const hits = await hybridSearch(store, embedder, 'النفط', { k: 1, prf: false });
      expect(hits[0]?.text).toBe(texts[0]);
      expect(hits[0]?.textRank).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
