/**
 * An Embedder turns text into fixed-size vectors. Its `id` and `dimension` are
 * pinned in the chunks table so vectors from different embedders never mix.
 */
export interface Embedder {
  /** Stable identifier, including anything that changes the vectors (version, dimension). */
  readonly id: string;
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
