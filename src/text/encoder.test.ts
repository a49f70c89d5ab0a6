import { describe, expect, it } from 'vitest';
import { embeddingsReply, startEmbeddingServer } from '../../test/fixtures/embedding-server.js';
import { parseTextEncoderConfig } from './config.js';
import { createTextEncoder } from './encoder.js';

describe('text encoder config', () => {
  it('defaults to use-lite and fills each provider’s defaults', () => {
    expect(parseTextEncoderConfig()).toEqual({ provider: 'use-lite', batchSize: 32, maxTokens: 512 });
    expect(
      parseTextEncoderConfig({ provider: 'openai-compatible', baseUrl: 'http://h:1', model: 'm' }),
    ).toEqual({
      provider: 'openai-compatible',
      baseUrl: 'http://h:1',
      model: 'm',
      batchSize: 64,
      timeoutMs: 30_000,
      retries: 3,
      retryBaseDelayMs: 500,
    });
  });

  it('names what is wrong', () => {
    expect(() => parseTextEncoderConfig({ provider: 'bert' } as never)).toThrow(
      /^text encoder config: provider: Invalid discriminator value/,
    );
    expect(() => parseTextEncoderConfig({ provider: 'local-onnx' } as never)).toThrow(
      /^text encoder config: dir: /,
    );
    expect(() => parseTextEncoderConfig({ provider: 'use-lite', batchSize: -1 })).toThrow(
      /batchSize: Too small/,
    );
    expect(() => parseTextEncoderConfig({ provider: 'use-lite', model: 'x' } as never)).toThrow(
      /Unrecognized key: "model"/,
    );
  });
});

describe('createTextEncoder', () => {
  it('builds use-lite by default', async () => {
    const encoder = await createTextEncoder();
    expect([encoder.id.startsWith('use-lite@'), encoder.dim]).toEqual([true, 512]);
  });

  it('builds an openai-compatible encoder that knows its dim (one probe request)', async () => {
    const server = await startEmbeddingServer(embeddingsReply(24));
    try {
      const encoder = await createTextEncoder({
        provider: 'openai-compatible',
        baseUrl: server.baseUrl,
        model: 'm',
      });
      expect(encoder.dim).toBe(24);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
