import { CholeskyDecomposition, EigenvalueDecomposition, inverse, Matrix } from 'ml-matrix';
import { stemmedTerms } from '../agent/terms.js';

/**
 * Word vectors learnt from the analyst's own corpus, with no downloaded
 * weights: positive pointwise mutual information of words within a window,
 * reduced by truncated SVD (Levy, Goldberg & Dagan, 2015: context
 * distribution smoothing 0.75, eigenvalue weight 0.5). Words used in the
 * same contexts ("tanker", "vessel") end up close even if they never share
 * a passage with the question. A passage is the idf-weighted sum of its
 * words' vectors.
 */
export interface TermVectorOptions {
  dimension: number;
  /** Words either side counted as context. */
  window: number;
  /** Words seen in fewer passages are left out (too rare to learn). */
  minCount: number;
  maxVocab: number;
  /** At most this many passages are read, spread over the corpus: training cost stays bounded. */
  maxTexts: number;
  /** Power iterations of the randomized SVD (Halko et al., 2011). */
  iterations: number;
  seed: number;
}

export const TERM_VECTOR_DEFAULTS: TermVectorOptions = { dimension: 100, window: 5, minCount: 3, maxVocab: 40_000, maxTexts: 100_000, iterations: 2, seed: 1 };

/** Deterministic normal variates (mulberry32 + Box-Muller), so training twice gives the same vectors. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** A sparse square matrix in compressed rows. */
interface Csr {
  n: number;
  rowStart: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

/** out = M x (n x l, row-major); transpose: out = M^T x. */
function spmm(m: Csr, x: Float64Array, l: number, transpose: boolean): Float64Array {
  const out = new Float64Array(m.n * l);
  for (let i = 0; i < m.n; i++) {
    for (let p = m.rowStart[i]!; p < m.rowStart[i + 1]!; p++) {
      const j = m.cols[p]!;
      const v = m.vals[p]!;
      const [dst, src] = transpose ? [j, i] : [i, j];
      const d = dst * l;
      const s = src * l;
      for (let c = 0; c < l; c++) out[d + c]! += v * x[s + c]!;
    }
  }
  return out;
}

/** Y^T Y for a row-major n x l matrix: small (l x l). */
function gram(x: Float64Array, n: number, l: number): Matrix {
  const g = new Matrix(l, l);
  const acc = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const r = i * l;
    for (let a = 0; a < l; a++) {
      const xa = x[r + a]!;
      if (xa === 0) continue;
      for (let b = a; b < l; b++) acc[a * l + b]! += xa * x[r + b]!;
    }
  }
  for (let a = 0; a < l; a++) for (let b = a; b < l; b++) g.set(a, b, acc[a * l + b]!).set(b, a, acc[a * l + b]!);
  return g;
}

/**
 * Orthonormal columns spanning x's (n x l, n >> l) by Cholesky QR, done
 * twice for accuracy (Fukaya et al., 2014): only l x l matrices go through
 * the library, the tall one is streamed once per pass.
 */
function orthonormal(x: Float64Array, n: number, l: number): Float64Array {
  let q = x;
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(q, n, l);
    // A tiny ridge keeps the factorisation defined when columns are (nearly) dependent.
    const ridge = 1e-10 * Math.max(1e-300, g.trace() / l);
    for (let a = 0; a < l; a++) g.set(a, a, g.get(a, a) + ridge);
    const rInv = inverse(new CholeskyDecomposition(g).lowerTriangularMatrix.transpose());
    const ri = new Float64Array(l * l);
    for (let a = 0; a < l; a++) for (let b = 0; b < l; b++) ri[a * l + b] = rInv.get(a, b);
    const out = new Float64Array(n * l);
    for (let i = 0; i < n; i++) {
      const r = i * l;
      for (let a = 0; a < l; a++) {
        const qa = q[r + a]!;
        if (qa === 0) continue;
        for (let b = a; b < l; b++) out[r + b]! += qa * ri[a * l + b]!;
      }
    }
    q = out;
  }
  return q;
}

export class TermVectors {
  private readonly index: Map<string, number>;

  private constructor(
    readonly dimension: number,
    readonly vocab: readonly string[],
    /** Inverse document frequency per vocabulary word. */
    readonly idf: Float32Array,
    /** vocab.length x dimension, rows L2-normalised. */
    readonly vectors: Float32Array,
  ) {
    this.index = new Map(vocab.map((w, i) => [w, i]));
  }

  get size(): number {
    return this.vocab.length;
  }

  static train(texts: readonly string[], options: Partial<TermVectorOptions> = {}): TermVectors {
    const o = { ...TERM_VECTOR_DEFAULTS, ...options };
    const step = Math.max(1, texts.length / o.maxTexts);
    const docs: string[][] = [];
    for (let i = 0; i < texts.length && docs.length < o.maxTexts; i += step) docs.push(stemmedTerms(texts[Math.floor(i)]!));
    // Vocabulary: words in at least minCount passages, most widespread first.
    const df = new Map<string, number>();
    for (const d of docs) for (const w of new Set(d)) df.set(w, (df.get(w) ?? 0) + 1);
    const vocab = [...df].filter(([, n]) => n >= o.minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, o.maxVocab).map(([w]) => w);
    const n = vocab.length;
    const index = new Map(vocab.map((w, i) => [w, i]));
    const idf = new Float32Array(n);
    vocab.forEach((w, i) => (idf[i] = Math.log((docs.length + 1) / ((df.get(w) ?? 0) + 0.5))));
    const l = Math.min(o.dimension + 10, n);
    if (n < 2 || l < 2) return new TermVectors(Math.max(1, Math.min(o.dimension, n)), vocab, idf, new Float32Array(n * Math.max(1, Math.min(o.dimension, n))));
    // Co-occurrence counts within the window, both directions.
    const pairs = new Map<number, number>();
    for (const d of docs) {
      const ids = d.map((w) => index.get(w) ?? -1);
      for (let i = 0; i < ids.length; i++) {
        const a = ids[i]!;
        if (a < 0) continue;
        for (let j = i + 1; j <= i + o.window && j < ids.length; j++) {
          const b = ids[j]!;
          if (b < 0 || b === a) continue;
          pairs.set(a * n + b, (pairs.get(a * n + b) ?? 0) + 1);
          pairs.set(b * n + a, (pairs.get(b * n + a) ?? 0) + 1);
        }
      }
    }
    const row = new Float64Array(n);
    const col = new Float64Array(n);
    let total = 0;
    for (const [key, c] of pairs) {
      row[Math.floor(key / n)]! += c;
      col[key % n]! += c;
      total += c;
    }
    // Context distribution smoothing: rare contexts no longer get huge PMI.
    let smoothTotal = 0;
    for (let j = 0; j < n; j++) smoothTotal += col[j]! ** 0.75;
    const keys = [...pairs.keys()].sort((a, b) => a - b);
    const rowStart = new Int32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (const key of keys) {
      const i = Math.floor(key / n);
      const j = key % n;
      const pmi = Math.log((pairs.get(key)! / total) / ((row[i]! / total) * (col[j]! ** 0.75 / smoothTotal)));
      if (pmi <= 0) continue;
      rowStart[i + 1]!++;
      cols.push(j);
      vals.push(pmi);
    }
    for (let i = 0; i < n; i++) rowStart[i + 1]! += rowStart[i]!;
    const m: Csr = { n, rowStart, cols: Int32Array.from(cols), vals: Float32Array.from(vals) };
    // Randomized SVD: a range finder with power iterations, then the exact SVD of the small projection.
    const g = gaussian(o.seed);
    let y = spmm(m, Float64Array.from({ length: n * l }, g), l, false);
    for (let it = 0; it < o.iterations; it++) y = spmm(m, orthonormal(spmm(m, orthonormal(y, n, l), l, true), n, l), l, false);
    const q = orthonormal(y, n, l);
    // B = Q^T M is l x n; B B^T = Q^T M M^T Q (l x l) has B's left singular vectors and squared values.
    const bt = spmm(m, q, l, true); // M^T Q = B^T, n x l
    const bbt = gram(bt, n, l);
    const eig = new EigenvalueDecomposition(bbt, { assumeSymmetric: true });
    const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
    const dim = Math.min(o.dimension, l);
    const ub = eig.eigenvectorMatrix;
    const vectors = new Float32Array(n * dim);
    for (let c = 0; c < dim; c++) {
      const [lambda, e] = order[c]!;
      // Singular value sigma = sqrt(lambda); eigenvalue weight 0.5 scales by sqrt(sigma).
      const scale = Math.max(lambda, 0) ** 0.25;
      const col = ub.getColumn(e);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < l; a++) s += q[i * l + a]! * col[a]!;
        vectors[i * dim + c] = s * scale;
      }
    }
    for (let i = 0; i < n; i++) normalise(vectors.subarray(i * dim, (i + 1) * dim));
    return new TermVectors(dim, vocab, idf, vectors);
  }

  /** The vector of one word (any form: it is stemmed), or null if the corpus never used it enough. */
  termVector(word: string): Float32Array | null {
    const [stem] = stemmedTerms(word);
    const i = stem === undefined ? undefined : this.index.get(stem);
    return i === undefined ? null : this.vectors.subarray(i * this.dimension, (i + 1) * this.dimension);
  }

  /** idf-weighted sum of the text's known words, L2-normalised; null when it has none. */
  embed(text: string): Float32Array | null {
    const v = new Float32Array(this.dimension);
    let any = false;
    for (const w of stemmedTerms(text)) {
      const i = this.index.get(w);
      if (i === undefined) continue;
      any = true;
      const weight = this.idf[i]!;
      const base = i * this.dimension;
      for (let c = 0; c < this.dimension; c++) v[c]! += weight * this.vectors[base + c]!;
    }
    return any && normalise(v) ? v : null;
  }

  toJSON(): { format: 'cairn-term-vectors-v1'; dimension: number; vocab: readonly string[]; idf: number[]; vectors: string } {
    return { format: 'cairn-term-vectors-v1', dimension: this.dimension, vocab: this.vocab, idf: Array.from(this.idf), vectors: Buffer.from(this.vectors.buffer, this.vectors.byteOffset, this.vectors.byteLength).toString('base64') };
  }

  static fromJSON(data: ReturnType<TermVectors['toJSON']>): TermVectors {
    const bytes = Buffer.from(data.vectors, 'base64');
    const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (data.format !== 'cairn-term-vectors-v1' || vectors.length !== data.vocab.length * data.dimension || data.idf.length !== data.vocab.length) {
      throw new RangeError('not a cairn-term-vectors-v1 model, or a damaged one');
    }
    return new TermVectors(data.dimension, data.vocab, Float32Array.from(data.idf), vectors);
  }
}

/** In place; false for a zero vector. */
function normalise(v: Float32Array): boolean {
  let s = 0;
  for (const x of v) s += x * x;
  if (s === 0) return false;
  const r = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i]! *= r;
  return true;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
