import type { Embedder } from './embedder.js';
import { contentWords } from './tokens.js';

/**
 * The built-in, weight-free embedder: feature hashing ("the hashing trick") of
 * word unigrams, word bigrams and character n-grams, with sublinear term
 * frequency, L2-normalised. No model file, deterministic, works air-gapped.
 * Character n-grams give partial credit for morphology (vessel / vessels) and
 * misspellings; bigrams reward phrases.
 */

// Fixed: they are part of what the id names, so vectors under one id never differ.
const FEATURE_WEIGHTS = { word: 1.0, bigram: 0.6, char: 0.25 } as const;
const CHAR_N = [3, 4, 5] as const;

/** 32-bit FNV-1a: fast and well spread for short strings. */
function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class HashedEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;

  constructor(dimension = 1024) {
    if (!Number.isInteger(dimension) || dimension < 16) throw new RangeError(`dimension must be an integer >= 16, got ${dimension}`);
    this.dimension = dimension;
    this.id = `cairn-hashed-v1-${dimension}`;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return Promise.resolve(texts.map((t) => this.embedOne(t)));
  }

  embedOne(text: string): Float32Array {
    // feature -> [type weight, occurrences]
    const counts = new Map<string, [number, number]>();
    const bump = (feature: string, w: number): void => {
      const c = counts.get(feature);
      if (c) c[1] += 1;
      else counts.set(feature, [w, 1]);
    };
    const terms = contentWords(text);
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as string;
      bump(`w:${t}`, FEATURE_WEIGHTS.word);
      if (i > 0) bump(`b:${terms[i - 1]} ${t}`, FEATURE_WEIGHTS.bigram);
      const padded = `^${t}$`;
      for (const n of CHAR_N) {
        for (let j = 0; j + n <= padded.length; j++) bump(`c:${padded.slice(j, j + n)}`, FEATURE_WEIGHTS.char);
      }
    }
    const v = new Float32Array(this.dimension);
    for (const [feature, [weight, n]] of counts) {
      const h = fnv1a(feature, 0);
      const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
      // Sublinear tf: a word repeated ten times is not ten times as relevant.
      v[h % this.dimension]! += sign * weight * (1 + Math.log(n));
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }
}
