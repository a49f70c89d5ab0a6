import { describe, expect, it } from 'vitest';
import { TideError } from '../../core/errors.js';
import { parseSasRecConfig, SasRecConfig } from './config.js';
import { sasRecFamily } from './index.js';

function failure(input: unknown): TideError {
  try {
    parseSasRecConfig(input);
  } catch (error) {
    if (error instanceof TideError) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('SasRecConfig', () => {
  it("has pmixer's defaults", () => {
    expect(SasRecConfig.parse({})).toEqual({
      maxLength: 200,
      dim: 64,
      blocks: 2,
      heads: 1,
      dropout: 0.2,
      layerNormEps: 1e-8,
      init: 'glorot',
      useTimeGaps: false,
      useTypes: false,
      textDim: 0,
      idDropout: 0.25,
    });
    expect(sasRecFamily.configSchema.parse({ dim: 50 }).dim).toBe(50);
  });

  it.each([
    [{ dim: 64, heads: 3 }, 'heads', /heads: must divide dim/],
    [{ dropout: 1 }, 'dropout', /dropout: /],
    [{ maxLength: 0 }, 'maxLength', /maxLength: /],
    [{ dim: 2.5 }, 'dim', /dim: /],
    [{ dims: 64 }, '', /dims/],
    [{ init: 'xavier' }, 'init', /init: /],
  ])('rejects %j, naming the field', (input, field, message) => {
    const error = failure(input);
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(message);
    expect(error.location?.field ?? '').toBe(field);
  });
});
