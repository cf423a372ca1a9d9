/**
 * The hashed embedder carries hashes on from shared prefixes and counts
 * features in its own table (main/embed/hashed.ts). Its vectors must be
 * exactly those of the definition: every feature string built and hashed
 * whole, counted in a Map, summed in first-seen order. Stores written before
 * the fast path keep the same embedder id, so any difference would silently
 * mix two embeddings in one table.
 */
import { describe, expect, it } from 'vitest';
import { HashedEmbedder } from '../../main/embed/hashed.js';
import { contentWords } from '../../main/embed/tokens.js';

function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The embedder's definition, written the plain way. */
function reference(text: string, dimension: number): Float32Array {
  const counts = new Map<string, [number, number]>();
  const bump = (feature: string, w: number): void => {
    const c = counts.get(feature);
    if (c) c[1] += 1;
    else counts.set(feature, [w, 1]);
  };
  const terms = contentWords(text);
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    bump(`w:${t}`, 1.0);
    if (i > 0) bump(`b:${terms[i - 1]} ${t}`, 0.6);
    const padded = `^${t}$`;
    for (const n of [3, 4, 5]) for (let j = 0; j + n <= padded.length; j++) bump(`c:${padded.slice(j, j + n)}`, 0.25);
  }
  const v = new Float32Array(dimension);
  for (const [feature, [weight, n]] of counts) {
    v[fnv1a(feature, 0) % dimension]! += (fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1) * weight * (1 + Math.log(n));
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Deterministic pseudo-random words (xorshift), short and long, with repeats. */
function randomTexts(count: number): string[] {
  let x = 2463534242;
  const next = (): number => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzéßжд';
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + Math.floor(next() * 120) }, () => Array.from({ length: 1 + Math.floor(next() * 14) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')).join(' '),
  );
}

describe('hashed embedder', () => {
  const texts = [
    '',
    'the of and',
    'Convoy passed checkpoint 238 at dawn; the convoy was low on fuel, fuel, fuel.',
    'Der Konvoi passierte den Kontrollpunkt im Morgengrauen.',
    'Колонна прошла контрольно-пропускной пункт на рассвете.',
    '车队在黎明时通过了检查站。東京の検問所',
    'عبرت القافلة نقطة التفتيش عند الفجر',
    'aaaa '.repeat(300),
    ...randomTexts(200),
  ];

  for (const dimension of [1024, 384, 17]) {
    it(`gives exactly the vectors of its definition (dimension ${dimension})`, () => {
      const e = new HashedEmbedder(dimension);
      for (const t of texts) expect(Array.from(e.embedOne(t)), t.slice(0, 40)).toEqual(Array.from(reference(t, dimension)));
    });
  }
});
