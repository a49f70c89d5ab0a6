import { afterEach, describe, expect, it } from 'vitest';
import {
  type EmbeddingServer,
  embeddingsReply,
  hashVector,
  type Responder,
  startEmbeddingServer,
} from '../../test/fixtures/embedding-server.js';
import { TideError } from '../core/errors.js';
import { backoffMs } from './http-retry.js';
import { OpenAiCompatibleEncoder } from './openai-compatible.js';

const FAST = { retryBaseDelayMs: 1 };
let server: EmbeddingServer | undefined;

async function serve(respond: Responder): Promise<EmbeddingServer> {
  server = await startEmbeddingServer(respond);
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The TideError `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<TideError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TideError);
  return error as TideError;
}

describe('OpenAI-compatible encoder against a real HTTP server', () => {
  it('sends batches with the model and the key, and returns vectors in input order', async () => {
    const { baseUrl, requests } = await serve(embeddingsReply(8));
    const encoder = new OpenAiCompatibleEncoder({
      baseUrl: `${baseUrl}/`,
      model: 'mini',
      apiKey: 'sk-test',
      batchSize: 4,
    });
    const texts = Array.from({ length: 10 }, (_, i) => `title ${i}`);
    const vectors = await encoder.embed(texts);
    expect(requests).toHaveLength(Math.ceil(10 / 4));
    expect(requests.map((r) => r.body.input?.length)).toEqual([4, 4, 2]);
    for (const request of requests) {
      expect(request.url).toBe('/v1/embeddings');
      expect(request.headers.authorization).toBe('Bearer sk-test');
      expect(request.body.model).toBe('mini');
    }
    for (const [i, text] of texts.entries()) expect(vectors[i]).toEqual(hashVector(text, 8));
    expect(encoder.dim).toBe(8);
    expect(encoder.id).toBe(`openai-compatible:${baseUrl}#mini`);
  });

  it('takes the key from the named environment variable, sends none without one, and accepts a /v1 baseUrl', async () => {
    const { baseUrl, requests } = await serve(embeddingsReply(4));
    await new OpenAiCompatibleEncoder(
      { baseUrl, model: 'm', apiKeyEnv: 'TIDE_TEST_KEY' },
      { TIDE_TEST_KEY: 'k1' },
    ).embed(['a']);
    await new OpenAiCompatibleEncoder({ baseUrl: `${baseUrl}/v1`, model: 'm' }).embed(['a']);
    expect(requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/v1/embeddings', 'Bearer k1'],
      ['/v1/embeddings', undefined],
    ]);
    expect(
      () => new OpenAiCompatibleEncoder({ baseUrl, model: 'm', apiKeyEnv: 'TIDE_TEST_KEY' }, {}),
    ).toThrow(/environment variable TIDE_TEST_KEY \(apiKeyEnv\) is not set/);
  });

  it('retries after a 500 and succeeds', async () => {
    const ok = embeddingsReply(4);
    const { requests } = await serve((request, n) =>
      n === 0 ? { status: 500, raw: 'overloaded' } : ok(request, n),
    );
    const encoder = new OpenAiCompatibleEncoder({ baseUrl: server!.baseUrl, model: 'm', ...FAST });
    const [vector] = await encoder.embed(['x']);
    expect(vector).toEqual(hashVector('x', 4));
    expect(requests).toHaveLength(2);
  });

  it('retries a 429 too', async () => {
    const ok = embeddingsReply(4);
    const { requests } = await serve((request, n) =>
      n < 2 ? { status: 429, headers: { 'retry-after': '0' }, json: { error: 'slow down' } } : ok(request, n),
    );
    await new OpenAiCompatibleEncoder({ baseUrl: server!.baseUrl, model: 'm', ...FAST }).embed(['x']);
    expect(requests).toHaveLength(3);
  });

  it('gives up after the retries when the server never answers, saying it timed out', async () => {
    const { baseUrl, requests } = await serve(() => ({ hang: true }));
    const encoder = new OpenAiCompatibleEncoder({ baseUrl, model: 'm', timeoutMs: 150, retries: 2, ...FAST });
    const error = await failure(encoder.embed(['x']));
    expect(error.message).toBe(`POST ${baseUrl}/v1/embeddings: timed out after 150 ms (3 attempts)`);
    expect(requests).toHaveLength(3);
  });

  it('does not retry a 400, and names the status and the body', async () => {
    const { baseUrl, requests } = await serve(() => ({
      status: 400,
      json: { error: { message: 'unknown model m' } },
    }));
    const error = await failure(new OpenAiCompatibleEncoder({ baseUrl, model: 'm', ...FAST }).embed(['x']));
    expect(error.message).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: HTTP 400 Bad Request: .*unknown model m.*\(1 attempt\)$/,
    );
    expect(error.code).toBe('CONFIG');
    expect(requests).toHaveLength(1);
  });

  it('rejects a body that is not JSON, without retrying', async () => {
    const { requests } = await serve(() => ({ raw: '<html>proxy error</html>' }));
    const error = await failure(
      new OpenAiCompatibleEncoder({ baseUrl: server!.baseUrl, model: 'm', ...FAST }).embed(['x']),
    );
    expect(error.message).toMatch(
      /response \(HTTP 200\) is not JSON: "<html>proxy error<\/html>" \(1 attempt\)$/,
    );
    expect(requests).toHaveLength(1);
  });

  it('names the entry that lacks its embedding', async () => {
    await serve((request) => ({
      json: {
        data: (request.body.input ?? []).map((_, index) =>
          index === 1 ? { index } : { index, embedding: [1, 2] },
        ),
      },
    }));
    const error = await failure(
      new OpenAiCompatibleEncoder({ baseUrl: server!.baseUrl, model: 'm' }).embed(['a', 'b', 'c']),
    );
    expect(error.message).toMatch(/: response JSON lacks data\[1\]\.embedding$/);
  });

  it('rejects vectors of another size than configured, or than first learned', async () => {
    let dim = 8;
    await serve((request, n) => embeddingsReply(dim)(request, n));
    const configured = new OpenAiCompatibleEncoder({ baseUrl: server!.baseUrl, model: 'm', dim: 16 });
    expect((await failure(configured.embed(['a']))).message).toMatch(
      /: expected 16 dims, got 8 \(data\[0\]\.embedding\)$/,
    );

    const learning = new OpenAiCompatibleEncoder({ baseUrl: server!.baseUrl, model: 'm' });
    expect(() => learning.dim).toThrow(/dim is not known before the first response/);
    expect(await learning.probeDim()).toBe(8);
    dim = 12;
    expect((await failure(learning.embed(['b']))).message).toMatch(/expected 8 dims, got 12/);
  });

  it('reports a refused connection as a network error after its retries', async () => {
    const { baseUrl } = await serve(embeddingsReply(4));
    await server!.close();
    server = undefined;
    const error = await failure(
      new OpenAiCompatibleEncoder({ baseUrl, model: 'm', retries: 1, ...FAST }).embed(['x']),
    );
    expect(error.message).toMatch(/: network error: fetch failed \(ECONNREFUSED\) \(2 attempts\)$/);
  });

  it('validates its options, naming the field', () => {
    expect(() => new OpenAiCompatibleEncoder({ baseUrl: 'ftp://x', model: 'm' })).toThrow(
      /baseUrl: must be an http/,
    );
    expect(() => new OpenAiCompatibleEncoder({ baseUrl: 'http://x', model: 'm', batchSize: 0 })).toThrow(
      /batchSize/,
    );
  });
});

describe('backoffMs', () => {
  it('doubles per attempt, with jitter in the upper half, and honours Retry-After as a floor', () => {
    expect(backoffMs(1, 100, 0, () => 0)).toBe(50);
    expect(backoffMs(1, 100, 0, () => 1)).toBe(100);
    expect(backoffMs(3, 100, 0, () => 0.5)).toBe(300);
    expect(backoffMs(1, 100, 2000, () => 1)).toBe(2000);
  });
});
