import { describe, expect, it } from 'vitest';
import type { ScoredChunk } from '../../main/core/types.js';
import { proximityRerank } from '../../main/search/proximity.js';

const hit = (id: string, text: string, score: number): ScoredChunk => ({ id, sourceId: 's', ordinal: 0, text, page: 1, start: 0, end: text.length, marking: 'U', score, title: 't' });

describe('proximityRerank', () => {
  it('lifts a passage where the query terms occur together over one where they are far apart', () => {
    const apart = hit('apart', 'The fuel was checked. Much later, in another report entirely about weather and roads and rail, a depot was mentioned.', 1.0);
    const together = hit('together', 'The fuel depot at Halcyra was inspected.', 0.95);
    const ranked = proximityRerank('fuel depot', [apart, together], 0.1);
    expect(ranked.map((h) => h.id)).toEqual(['together', 'apart']);
  });

  it('leaves the order alone for one-word queries or a zero weight', () => {
    const hits = [hit('a', 'fuel', 2), hit('b', 'fuel fuel', 1)];
    expect(proximityRerank('fuel', hits, 0.1).map((h) => h.id)).toEqual(['a', 'b']);
    expect(proximityRerank('fuel depot', hits, 0).map((h) => h.id)).toEqual(['a', 'b']);
  });
});
