/**
 * A text encoder: turns texts into fixed-size vectors, in batches.
 *
 * `id` names the model precisely (`use-lite@0.2.0`, `openai-compatible:http://host#model`,
 * `local-onnx:<folder>#<hash>`): cached vectors are keyed by it, so a change of model forces a
 * re-embedding.
 *
 * @example
 * const encoder: TextEncoder = await createTextEncoder({ provider: 'use-lite' });
 * const vectors = await encoder.embed(['Toy Story (1995). Animation']); // [Float32Array(512)]
 */
export interface TextEncoder {
  readonly id: string;
  readonly dim: number;
  /** One vector of `dim` numbers per text, in the order of `texts`. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
