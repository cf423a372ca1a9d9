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

  it('matches pairs in the passage\'s language: German inflections of the query\'s words count as near', () => {
    // The query says "Regierung" and "Grenzkontrolle"; the passages say "Regierungen" and "Grenzkontrollen".
    const apart = hit('apart', 'Die Regierungen trafen sich am Montag in der Hauptstadt. Erst viel später, nach langen Gesprächen über Steuern und Straßen, ging es auch um Grenzkontrollen.', 1.0);
    const together = hit('together', 'Die Regierungen haben sich auf neue Grenzkontrollen geeinigt, nachdem die Zahl der Übertritte gestiegen war.', 0.95);
    expect(proximityRerank('Regierung Grenzkontrolle', [apart, together], 0.1).map((h) => h.id)).toEqual(['together', 'apart']);
  });

  it('leaves the order alone for one-word queries or a zero weight', () => {
    const hits = [hit('a', 'fuel', 2), hit('b', 'fuel fuel', 1)];
    expect(proximityRerank('fuel', hits, 0.1).map((h) => h.id)).toEqual(['a', 'b']);
    expect(proximityRerank('fuel depot', hits, 0).map((h) => h.id)).toEqual(['a', 'b']);
  });
});

describe('proximityRerank passage-term cache', () => {
  it('ranks a passage by its current text when an id comes back with other text', () => {
    const first = proximityRerank('fuel depot', [hit('x', 'fuel depot', 1), hit('y', 'fuel went north past rivers hills forests towns farms bridges roads and finally a depot', 1)], 0.1);
    expect(first.map((h) => h.id)).toEqual(['x', 'y']);
    // Same ids, texts swapped (another store in the same process): the cached terms must not be used.
    const second = proximityRerank('fuel depot', [hit('x', 'fuel went north past rivers hills forests towns farms bridges roads and finally a depot', 1), hit('y', 'fuel depot', 1)], 0.1);
    expect(second.map((h) => h.id)).toEqual(['y', 'x']);
  });

  it('gives the same scores from cached terms as from fresh ones', () => {
    const hits = [
      hit('p1', 'Fuel was moved to the depot near Halcyra before the convoy left.', 3),
      hit('p2', 'The depot was empty; fuel arrived later by rail from the coast.', 2.5),
      hit('p3', 'A convoy of fuel trucks reached the depot at dawn.', 2),
    ];
    const fresh = proximityRerank('fuel depot convoy', hits, 0.3);
    const cached = proximityRerank('fuel depot convoy', hits, 0.3);
    expect(cached).toEqual(fresh);
  });
});
