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

// 32-bit FNV-1a (fast and well spread for short strings) of a feature
// string such as "c:^ves": the index comes from one seed, the sign from
// another. Hashes are carried on from a shared prefix ("c:", a term's first
// characters) instead of building every n-gram string: the same numbers as
// hashing each feature string whole, at a fraction of the cost.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SIGN_SEED = 0x9e3779b9;

function fnvStart(seed: number): number {
  return (FNV_OFFSET ^ seed) >>> 0;
}

/** The FNV-1a state `h` carried on over s[from, to). */
function fnvOn(h: number, s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h;
}

/** Hash states after each feature kind's prefix, for the index and the sign. */
const PREFIX = {
  word: [fnvOn(fnvStart(0), 'w:'), fnvOn(fnvStart(SIGN_SEED), 'w:')],
  bigram: [fnvOn(fnvStart(0), 'b:'), fnvOn(fnvStart(SIGN_SEED), 'b:')],
  char: [fnvOn(fnvStart(0), 'c:'), fnvOn(fnvStart(SIGN_SEED), 'c:')],
} as const;

/**
 * One text's distinct features in first-seen order (the order their
 * contributions are summed in), found by their two hashes (two different
 * feature strings share both 32-bit hashes about once in 2^64) in an
 * open-addressing table: a Map here cost more than all the hashing.
 */
class FeatureCounts {
  size = 0;
  readonly index: Uint32Array;
  readonly sign: Uint32Array;
  readonly weight: Float64Array;
  readonly count: Uint32Array;
  /** Position + 1 of the feature in each slot; 0 is empty. */
  private readonly slots: Uint32Array;
  private readonly mask: number;

  /** `capacity`: at least the number of bumps to come. */
  constructor(capacity: number) {
    this.index = new Uint32Array(capacity);
    this.sign = new Uint32Array(capacity);
    this.weight = new Float64Array(capacity);
    this.count = new Uint32Array(capacity);
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  bump(h: number, g: number, w: number): void {
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const at = this.slots[s]!;
      if (at === 0) {
        this.slots[s] = this.size + 1;
        this.index[this.size] = h;
        this.sign[this.size] = g;
        this.weight[this.size] = w;
        this.count[this.size] = 1;
        this.size++;
        return;
      }
      if (this.index[at - 1] === h && this.sign[at - 1] === g) {
        this.count[at - 1]! += 1;
        return;
      }
    }
  }
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
    const terms = contentWords(text);
    // Each term bumps its word, its bigram and at most 3 n-grams per character (of the term padded with ^ and $).
    let bumps = 0;
    for (const t of terms) bumps += 2 + CHAR_N.length * (t.length + 2);
    const f = new FeatureCounts(bumps);
    // Running hashes of the character n-grams of one term, by start position.
    const hs: number[] = [];
    const gs: number[] = [];
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i] as string;
      f.bump(fnvOn(PREFIX.word[0], t), fnvOn(PREFIX.word[1], t), FEATURE_WEIGHTS.word);
      if (i > 0) {
        const prev = terms[i - 1] as string;
        f.bump(fnvOn(fnvOn(fnvOn(PREFIX.bigram[0], prev), ' '), t), fnvOn(fnvOn(fnvOn(PREFIX.bigram[1], prev), ' '), t), FEATURE_WEIGHTS.bigram);
      }
      const padded = `^${t}$`;
      // All 3-grams, then all 4-grams, then 5-grams (the order contributions are summed in);
      // each n-gram's hash carries on from the (n-1)-gram starting at the same place.
      const starts = padded.length - CHAR_N[0] + 1;
      for (let j = 0; j < starts; j++) {
        hs[j] = fnvOn(PREFIX.char[0], padded, j, j + CHAR_N[0] - 1);
        gs[j] = fnvOn(PREFIX.char[1], padded, j, j + CHAR_N[0] - 1);
      }
      for (const n of CHAR_N) {
        for (let j = 0; j + n <= padded.length; j++) {
          hs[j] = fnvOn(hs[j]!, padded, j + n - 1, j + n);
          gs[j] = fnvOn(gs[j]!, padded, j + n - 1, j + n);
          f.bump(hs[j]!, gs[j]!, FEATURE_WEIGHTS.char);
        }
      }
    }
    const v = new Float32Array(this.dimension);
    for (let k = 0; k < f.size; k++) {
      v[f.index[k]! % this.dimension]! += (f.sign[k]! & 1 ? 1 : -1) * f.weight[k]! * (1 + Math.log(f.count[k]!));
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }
}
