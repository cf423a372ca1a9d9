/**
 * An Embedder turns text into fixed-size vectors. Its `id` and `dimension` are
 * pinned in the chunks table so vectors from different embedders never mix.
 */
export interface Embedder {
  /** Stable identifier, including anything that changes the vectors (version, dimension). */
  readonly id: string;
  readonly dimension: number;
  /**
   * True for a trained model (ONNX, GGUF) whose vectors carry meaning; hybrid
   * search then fuses them with full text instead of only filling in.
   */
  readonly trained?: boolean;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
