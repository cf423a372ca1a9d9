import { createHash } from 'node:crypto';
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

  it('gives the stored vectors bit for bit (a change here is a re-embed, not a tweak)', async () => {
    // SHA-256 of the Float32Array bytes. Stores hold vectors under cairn-hashed-v1-*;
    // any change to features, hashing, weights or summation order breaks these.
    const sha = (v: Float32Array): string => createHash('sha256').update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest('hex');
    const texts = [
      'The vessel arrived in port.',
      'cargo vessels arriving at the harbour on Tuesday, 14 March 2031; the cargo was unloaded',
      'Convoy sighted near grid 18SUJ2337106519 moving north-east at 0400Z. Convoy convoy convoy.',
    ];
    const pinned: Record<number, string[]> = {
      1024: [
        '648ed2912c8d3bd0fece31328f639d2a45b091d154f59c33b5f4a625e4ce73ac',
        'e058de8c2aa0638ae4e759e963358f2caae72ace1ac6eb0cf96dfd423ce40166',
        'df182da78437d3db39f14bcf55e3c3996896e6c195651abc4e5212e4e7e737da',
      ],
      512: [
        'eae8fae60d92987eb99d2726bf346141c25b8f60b2c3c524f537975b9c140da4',
        '0c69105fd3408ad893ea9173284068694cc611d8dd5b0419b63a3b78859ece73',
        '58a3585b7122f63d743d4369efa29be1dda2e5c521e7448199be6c3a5c1f0c0f',
      ],
    };
    for (const [dim, hashes] of Object.entries(pinned)) {
      const vectors = await new HashedEmbedder(Number(dim)).embed(texts);
      expect(vectors.map(sha)).toEqual(hashes);
    }
    // One value read back exactly, so a failure shows the size of the change too.
    expect((await new HashedEmbedder(1024).embed([texts[0]!]))[0]![43]).toBe(-0.09924855828285217);
  });
});
