import { describe, expect, it } from 'vitest';
import { SasRecConfig } from './config.js';
import { initialWeights } from './weights.js';

function spread(data: Float32Array, from = 0): { mean: number; std: number; max: number } {
  let sum = 0;
  let squares = 0;
  let max = 0;
  for (let i = from; i < data.length; i++) {
    sum += data[i];
    squares += data[i] * data[i];
    max = Math.max(max, Math.abs(data[i]));
  }
  const n = data.length - from;
  return { mean: sum / n, std: Math.sqrt(squares / n - (sum / n) ** 2), max };
}

describe('SASRec initial weights', () => {
  const numItems = 500;
  const glorot = initialWeights(SasRecConfig.parse({ dim: 32 }), numItems, 7);
  const normal = initialWeights(SasRecConfig.parse({ dim: 32, init: 'normal' }), numItems, 7);

  it('draws N(0, 0.02) embeddings and feed-forward kernels with init normal, padding row at 0', () => {
    const items = normal.get('item_embedding')!.data;
    expect(Array.from(items.subarray(0, 32))).toEqual(new Array(32).fill(0));
    const { mean, std, max } = spread(items, 32);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.019);
    expect(std).toBeLessThan(0.021);
    expect(max).toBeGreaterThan(0.06); // a bell, not a uniform band: glorot's limit here would be 0.11
    for (const name of ['position_embedding', 'block0/ffn/inner/kernel', 'block1/attn/output/kernel']) {
      expect(spread(normal.get(name)!.data).std, name).toBeLessThan(0.03);
    }
  });

  it('keeps the attention query, key and value projections glorot, as torch MultiheadAttention', () => {
    for (const name of ['block0/attn/query/kernel', 'block0/attn/key/kernel', 'block1/attn/value/kernel']) {
      expect(normal.get(name)!.data).toEqual(glorot.get(name)!.data);
    }
    // glorot-uniform on [501, 32]: limit sqrt(6 / 533) = 0.106, std limit / sqrt(3) = 0.061
    expect(spread(glorot.get('item_embedding')!.data, 32).std).toBeGreaterThan(0.05);
    expect(normal.get('item_embedding')!.data).not.toEqual(glorot.get('item_embedding')!.data);
  });

  it('has the same layout either way: biases 0, layer norms at gamma 1', () => {
    expect([...normal.keys()]).toEqual([...glorot.keys()]);
    expect(Array.from(normal.get('block0/ffn/inner/bias')!.data)).toEqual(new Array(32).fill(0));
    expect(Array.from(normal.get('final_ln/gamma')!.data)).toEqual(new Array(32).fill(1));
  });
});
