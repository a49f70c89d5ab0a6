import type { z } from 'zod';
import { TideError } from '../core/errors.js';
import { validate } from '../core/validate.js';
import { OpenAiCompatibleOptions } from './config.js';
import { postJson } from './http-retry.js';
import type { TextEncoder } from './text-encoder.js';

/** Inputs of the dimension probe `probeDim()` sends. */
const PROBE_TEXT = 'dimension probe';

/**
 * A text encoder behind an OpenAI-compatible HTTP endpoint: `POST {baseUrl}/v1/embeddings` with
 * `{model, input: string[]}`, `batchSize` texts per request, timeouts and retries as configured.
 * The vector size is configured (`dim`) or learned from the first response, then fixed: a response
 * of another size is an error.
 *
 * @example
 * const encoder = new OpenAiCompatibleEncoder({ baseUrl: 'http://localhost:11434', model: 'nomic-embed-text' });
 * const vectors = await encoder.embed(['Toy Story (1995)', 'Heat (1995)']);
 * encoder.id; // 'openai-compatible:http://localhost:11434#nomic-embed-text'
 */
export class OpenAiCompatibleEncoder implements TextEncoder {
  readonly id: string;
  /** The endpoint every request goes to. */
  readonly url: string;
  private readonly options: OpenAiCompatibleOptions;
  private readonly headers: Record<string, string>;
  private knownDim: number | undefined;

  constructor(input: z.input<typeof OpenAiCompatibleOptions>, env: NodeJS.ProcessEnv = process.env) {
    this.options = validate(OpenAiCompatibleOptions, input, 'openai-compatible encoder options');
    const base = this.options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.url = `${base}/v1/embeddings`;
    this.id = `openai-compatible:${base}#${this.options.model}`;
    this.knownDim = this.options.dim;
    const apiKey = this.options.apiKey ?? this.keyFromEnv(env);
    this.headers = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  }

  /** The vector size; known once configured, probed or learned from a first response. */
  get dim(): number {
    if (this.knownDim === undefined) {
      throw new TideError(
        'CONFIG',
        `${this.id}: dim is not known before the first response; set dim or call probeDim() first`,
      );
    }
    return this.knownDim;
  }

  /** Learns `dim` with one request of one short text unless it is already known. */
  async probeDim(): Promise<number> {
    if (this.knownDim === undefined) await this.embed([PROBE_TEXT]);
    return this.dim;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let from = 0; from < texts.length; from += this.options.batchSize) {
      const batch = texts.slice(from, from + this.options.batchSize);
      const json = await postJson(
        this.url,
        { model: this.options.model, input: batch },
        this.headers,
        this.options,
      );
      out.push(...this.vectorsOf(json, batch.length));
    }
    return out;
  }

  /** The response's vectors in input order, every one checked. */
  private vectorsOf(json: unknown, count: number): Float32Array[] {
    const fail = (problem: string) => new TideError('STORAGE', `POST ${this.url}: ${problem}`);
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) throw fail('response JSON lacks a data array');
    if (data.length !== count) throw fail(`response has ${data.length} embeddings for ${count} inputs`);
    const vectors = new Array<Float32Array | undefined>(count);
    data.forEach((entry: unknown, position) => {
      const { embedding, index = position } = (entry ?? {}) as { embedding?: unknown; index?: unknown };
      if (!Array.isArray(embedding)) throw fail(`response JSON lacks data[${position}].embedding`);
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count) {
        throw fail(
          `data[${position}].index ${JSON.stringify(index)} is not an input position 0..${count - 1}`,
        );
      }
      if (vectors[index as number]) throw fail(`data[${position}].index ${index} appears twice`);
      this.checkDim(embedding.length, position, fail);
      const vector = new Float32Array(embedding.length);
      for (let i = 0; i < embedding.length; i++) {
        const value = embedding[i];
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw fail(`data[${position}].embedding[${i}] is ${JSON.stringify(value)}, not a finite number`);
        }
        vector[i] = value;
      }
      vectors[index as number] = vector;
    });
    return vectors as Float32Array[];
  }

  private checkDim(length: number, position: number, fail: (problem: string) => TideError): void {
    if (length === 0) throw fail(`data[${position}].embedding is empty`);
    if (this.knownDim === undefined) this.knownDim = length;
    else if (length !== this.knownDim) {
      throw fail(`expected ${this.knownDim} dims, got ${length} (data[${position}].embedding)`);
    }
  }

  private keyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
    const name = this.options.apiKeyEnv;
    if (name === undefined) return undefined;
    const key = env[name];
    if (!key)
      throw new TideError('CONFIG', `${this.id}: environment variable ${name} (apiKeyEnv) is not set`);
    return key;
  }
}
