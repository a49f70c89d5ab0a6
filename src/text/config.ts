import { z } from 'zod';
import { validate } from '../core/validate.js';

const positiveInt = z.number().int().positive();

/**
 * Options of the bundled Universal Sentence Encoder lite (the default encoder).
 *
 * @example
 * const options = UseLiteOptions.parse({ batchSize: 16 });
 */
export const UseLiteOptions = z
  .object({
    /** Sentences per model call (fewer for long texts). */
    batchSize: positiveInt.default(32),
    /** Texts are cut to their first maxTokens SentencePiece tokens. */
    maxTokens: positiveInt.default(512),
  })
  .strict();
export type UseLiteOptions = z.infer<typeof UseLiteOptions>;

const httpUrl = z
  .string()
  .refine((text) => /^https?:$/.test(URL.canParse(text) ? new URL(text).protocol : ''), {
    message: 'must be an http:// or https:// URL',
  });

/**
 * Options of an OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, Ollama, llama.cpp,
 * text-embeddings-inference...). The key comes from `apiKey` or from the environment variable
 * named by `apiKeyEnv`; without either, no Authorization header is sent.
 *
 * @example
 * const options = OpenAiCompatibleOptions.parse({ baseUrl: 'http://localhost:8080', model: 'bge-small-en' });
 */
export const OpenAiCompatibleOptions = z
  .object({
    /** `{baseUrl}/v1/embeddings` is called; a baseUrl already ending in `/v1` is taken as is. */
    baseUrl: httpUrl,
    model: z.string().min(1),
    apiKey: z.string().min(1).optional(),
    /** Name of the environment variable holding the key, e.g. `OPENAI_API_KEY`. */
    apiKeyEnv: z.string().min(1).optional(),
    /** Texts per request. */
    batchSize: positiveInt.default(64),
    /** Per attempt, covering the response body too. */
    timeoutMs: positiveInt.default(30_000),
    /** Further attempts after a network error, a timeout, HTTP 429 or 5xx (never after other 4xx). */
    retries: z.number().int().min(0).max(10).default(3),
    /** Backoff before retry k is a random delay in [base * 2^(k-1) / 2, base * 2^(k-1)]. */
    retryBaseDelayMs: z.number().int().min(0).default(500),
    /** Expected vector size; learned from the first response when absent, then fixed. */
    dim: positiveInt.optional(),
  })
  .strict();
export type OpenAiCompatibleOptions = z.infer<typeof OpenAiCompatibleOptions>;

/** The model file variants transformers.js knows, by its `dtype` option. */
export const ONNX_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

/**
 * Options of a local sentence-transformers folder run through `@huggingface/transformers`.
 *
 * @example
 * const options = LocalOnnxOptions.parse({ dir: 'models/all-MiniLM-L6-v2' });
 */
export const LocalOnnxOptions = z
  .object({
    /** A folder with config.json, tokenizer.json and onnx/model*.onnx. */
    dir: z.string().min(1),
    /** Which onnx/model*.onnx to run; default: the first present of fp32, q8, fp16, int8, uint8, q4... */
    dtype: z.enum(ONNX_DTYPES).optional(),
    /** Sentences per model call. */
    batchSize: positiveInt.default(32),
  })
  .strict();
export type LocalOnnxOptions = z.infer<typeof LocalOnnxOptions>;

/**
 * Which text encoder to use and its options, told apart by `provider`.
 *
 * @example
 * const config = parseTextEncoderConfig({ provider: 'openai-compatible', baseUrl: 'http://localhost:11434', model: 'nomic-embed-text' });
 */
export const TextEncoderConfig = z.discriminatedUnion('provider', [
  UseLiteOptions.extend({ provider: z.literal('use-lite') }),
  OpenAiCompatibleOptions.extend({ provider: z.literal('openai-compatible') }),
  LocalOnnxOptions.extend({ provider: z.literal('local-onnx') }),
]);
export type TextEncoderConfig = z.infer<typeof TextEncoderConfig>;
/**
 * A config as written by users: `provider` may be left out for the default, use-lite.
 *
 * @example
 * const input: TextEncoderConfigInput = { batchSize: 16 }; // use-lite
 */
export type TextEncoderConfigInput = z.input<typeof TextEncoderConfig> | z.input<typeof UseLiteOptions>;

/**
 * Validates a text encoder config (no `provider` means `use-lite`), throwing a TideError('CONFIG')
 * that names every bad field.
 *
 * @example
 * parseTextEncoderConfig({}); // { provider: 'use-lite', batchSize: 32 }
 * parseTextEncoderConfig({ provider: 'local-onnx' }); // throws "text encoder config: dir: ..."
 */
export function parseTextEncoderConfig(input: TextEncoderConfigInput | undefined = {}): TextEncoderConfig {
  const withProvider =
    input !== null && typeof input === 'object' && !('provider' in input)
      ? { ...input, provider: 'use-lite' }
      : input;
  return validate(TextEncoderConfig, withProvider, 'text encoder config');
}
