import { describe, expect, it } from 'vitest';
import { cosine, TermVectors } from '../../main/embed/cooccurrence.js';
import type { ScoredChunk } from '../../main/core/types.js';
import { semanticRerank } from '../../main/search/semantic.js';

// Two topics that never share a passage: what the model learns comes only from co-occurrence.
const maritime = [
  'The tanker left the harbour at dawn with a full cargo of crude oil.',
  'A second tanker waited at anchor outside the harbour for a pilot.',
  'The vessel reported engine trouble and the tanker crew requested a tug.',
  'Port authorities inspected the vessel cargo manifest in the harbour.',
  'The crew of the vessel sighted a tanker flying no flag near the harbour.',
  'Harbour pilots guided the vessel past the breakwater and the anchored tanker.',
  'The cargo vessel and the tanker collided in fog at the harbour mouth.',
  'Coast guard boarded the tanker and found the cargo of oil undeclared.',
  'Another vessel carrying cargo was diverted from the harbour by the storm.',
  'The tanker crew said the vessel ahead had stopped its engine.',
];
const farming = [
  'Farmers harvested the wheat early because the barley fields had flooded.',
  'Wheat prices rose after the drought ruined the barley crop in the valley.',
  'The harvest of wheat and barley was stored in the village granary.',
  'Rain delayed the harvest and the wheat sprouted in the fields.',
  'The granary held barley seed for the spring planting in the fields.',
  'Farmers sold wheat at the market and kept the barley for feed.',
  'A late frost damaged the wheat while the barley harvest survived.',
  'The village fields yielded more barley than wheat this harvest.',
  'Drought in the valley cut the wheat harvest and emptied the granary.',
  'The market price of barley followed wheat after the poor harvest.',
];
const corpus = [...maritime, ...farming];

describe('corpus-trained PPMI + SVD word vectors', () => {
  const model = TermVectors.train(corpus, { dimension: 8, minCount: 3 });
  const sim = (a: string, b: string): number => cosine(model.termVector(a)!, model.termVector(b)!);

  it('puts words that share contexts closer than words from the other topic', () => {
    expect(model.termVector('tanker')).not.toBeNull();
    expect(sim('tanker', 'vessel')).toBeGreaterThan(sim('tanker', 'wheat'));
    expect(sim('wheat', 'barley')).toBeGreaterThan(sim('wheat', 'harbour'));
    expect(sim('cargo', 'harbour')).toBeGreaterThan(sim('cargo', 'granary'));
  });

  it('folds word forms together and knows nothing of words it never saw enough', () => {
    expect(model.termVector('tankers')).toEqual(model.termVector('tanker'));
    expect(model.termVector('submarine')).toBeNull();
    expect(model.embed('submarine periscope')).toBeNull();
  });

  it('embeds passages so same-topic text is closer, and round-trips through JSON identically', () => {
    const ship = model.embed('a vessel with cargo in the harbour')!;
    const oil = model.embed('the tanker crew')!;
    const grain = model.embed('wheat in the granary')!;
    expect(cosine(ship, oil)).toBeGreaterThan(cosine(ship, grain));
    const again = TermVectors.fromJSON(JSON.parse(JSON.stringify(model.toJSON())) as ReturnType<TermVectors['toJSON']>);
    expect(Array.from(again.embed('tanker harbour')!)).toEqual(Array.from(model.embed('tanker harbour')!));
    // Training is deterministic: the same corpus gives the same vectors.
    expect(Array.from(TermVectors.train(corpus, { dimension: 8, minCount: 3 }).vectors)).toEqual(Array.from(model.vectors));
  });

  it('refuses a damaged model file', () => {
    const bad = { ...model.toJSON(), vocab: ['only'] };
    expect(() => TermVectors.fromJSON(bad)).toThrow(/damaged/);
  });

  it('re-ranks full-text hits towards the query topic in other words', () => {
    const hit = (id: string, text: string, score: number): ScoredChunk => ({ id, sourceId: id.padEnd(64, '0'), ordinal: 0, text, page: 1, start: 0, end: text.length, marking: 'U', score, title: id });
    const hits = [hit('farm', 'The harvest market price of wheat and tanker freight', 1.0), hit('ship', 'The vessel cargo in the harbour and tanker crew', 0.9)];
    expect(semanticRerank('tanker at the harbour', hits, model, 0).map((h) => h.id)).toEqual(['farm', 'ship']);
    expect(semanticRerank('tanker at the harbour', hits, model, 0.5).map((h) => h.id)).toEqual(['ship', 'farm']);
  });
});
