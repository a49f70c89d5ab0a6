import { parseTextEncoderConfig, type TextEncoderConfigInput } from './config.js';
import { LocalOnnxEncoder } from './local-onnx.js';
import { OpenAiCompatibleEncoder } from './openai-compatible.js';
import type { TextEncoder } from './text-encoder.js';

export type { TextEncoder };

/**
 * Builds the configured text encoder, ready to use: use-lite has its model loaded (tfjs is only
 * imported then), openai-compatible knows its `dim` (one probe request when not configured),
 * local-onnx has checked its folder and loaded transformers.js.
 *
 * @example
 * const encoder = await createTextEncoder({}); // use-lite
 * const remote = await createTextEncoder({ provider: 'openai-compatible', baseUrl: 'http://localhost:8080', model: 'bge-small-en' });
 */
export async function createTextEncoder(input?: TextEncoderConfigInput): Promise<TextEncoder> {
  const config = parseTextEncoderConfig(input);
  switch (config.provider) {
    case 'use-lite': {
      const { provider, ...options } = config;
      const { UseLiteEncoder } = await import('./use-lite/index.js');
      return UseLiteEncoder.load(options);
    }
    case 'openai-compatible': {
      const { provider, ...options } = config;
      const encoder = new OpenAiCompatibleEncoder(options);
      await encoder.probeDim();
      return encoder;
    }
    case 'local-onnx': {
      const { provider, ...options } = config;
      return LocalOnnxEncoder.load(options);
    }
  }
}
