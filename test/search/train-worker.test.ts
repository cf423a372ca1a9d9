import { describe, expect, it } from 'vitest';
import { TermVectors } from '../../main/embed/cooccurrence.js';
import { trainInWorker } from '../../main/search/train-worker.js';

describe('corpus word vectors trained in a worker thread', () => {
  it('give exactly the model training on the main thread gives', async () => {
    const topics = [
      ['tanker', 'vessel', 'harbour', 'cargo', 'crude', 'berth'],
      ['wheat', 'harvest', 'field', 'grain', 'silo', 'farmer'],
      ['radar', 'aircraft', 'runway', 'sortie', 'hangar', 'pilot'],
    ];
    const texts: string[] = [];
    for (let i = 0; i < 240; i++) {
      const t = topics[i % 3]!;
      texts.push(`The ${t[i % 6]} and the ${t[(i + 1) % 6]} near the ${t[(i + 2) % 6]}; report ${i} notes the ${t[(i + 3) % 6]}.`);
    }
    const inWorker = await trainInWorker(texts);
    expect(inWorker).toEqual(TermVectors.train(texts).toJSON());
    expect(inWorker.vocab).toContain('tanker');
  });
});
