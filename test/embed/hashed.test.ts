import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from '../../main/embed/hashed.js';

const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

describe('HashedEmbedder', () => {
  const e = new HashedEmbedder(512);

  it('is deterministic, L2-normalised and sized as pinned', async () => {
    const [a, b] = await e.embed(['The vessel arrived in port.', 'The vessel arrived in port.']);
    expect(a).toHaveLength(512);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(cos(a!, a!)).toBeCloseTo(1, 5);
    expect(e.id).toBe('cairn-hashed-v1-512');
  });

  it('places related texts closer than unrelated ones', async () => {
    const [q, near, far] = await e.embed([
      'cargo vessels arriving at the harbour',
      'A cargo vessel arrived at the harbour on Tuesday.',
      'The committee approved the budget for school lunches.',
    ]);
    expect(cos(q!, near!)).toBeGreaterThan(cos(q!, far!) + 0.2);
  });

  it('gives partial credit to word forms through character n-grams', async () => {
    const [a, b, c] = await e.embed(['vessels', 'vessel', 'budget']);
    expect(cos(a!, b!)).toBeGreaterThan(0.3);
    expect(cos(a!, b!)).toBeGreaterThan(cos(a!, c!));
  });

  it('returns a zero vector for text with no content words', async () => {
    const [z] = await e.embed(['the of and']);
    expect(Array.from(z!).every((x) => x === 0)).toBe(true);
  });

  it('rejects a nonsensical dimension', () => {
    expect(() => new HashedEmbedder(3)).toThrow(RangeError);
  });
});
