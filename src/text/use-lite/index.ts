/**
 * The bundled Universal Sentence Encoder lite. Importing this loads tfjs; `createTextEncoder`
 * imports it only when use-lite is chosen.
 *
 * @example
 * import { UseLiteEncoder } from './text/use-lite/index.js';
 * const encoder = await UseLiteEncoder.load();
 */
export { MODEL_PACKAGE, modelPackageDirectory, readUseLiteFiles, type UseLiteFiles } from './model-files.js';
export { SEPARATOR, Tokenizer, type Vocabulary } from './tokenizer.js';
export { USE_LITE_DIM, UseLiteEncoder } from './use-lite.js';
