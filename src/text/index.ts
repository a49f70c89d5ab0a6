/**
 * Text encoders (the bundled USE-lite, a local ONNX folder, an OpenAI-compatible endpoint), the
 * SQLite embedding cache and the item text they embed.
 *
 * @example
 * import { createTextEncoder, EmbeddingCache, embedWithCache, itemText } from './text/index.js';
 * const encoder = await createTextEncoder({});
 * const cache = EmbeddingCache.open('tide-embeddings.db');
 * const { vectors } = await embedWithCache(encoder, cache, items.map((item) => itemText(item)));
 */
export { EmbeddingCache } from './cache.js';
export {
  LocalOnnxOptions,
  OpenAiCompatibleOptions,
  parseTextEncoderConfig,
  TextEncoderConfig,
  type TextEncoderConfigInput,
  UseLiteOptions,
} from './config.js';
export { type EmbedWithCacheOptions, type EmbedWithCacheResult, embedWithCache } from './embed-with-cache.js';
export { createTextEncoder, type TextEncoder } from './encoder.js';
export { DEFAULT_ITEM_TEMPLATE, type ItemTemplate, itemText, parseItemTemplate } from './item-text.js';
export { inspectOnnxFolder, LocalOnnxEncoder, type OnnxFolder } from './local-onnx.js';
export { OpenAiCompatibleEncoder } from './openai-compatible.js';
export { cosine } from './vectors.js';
