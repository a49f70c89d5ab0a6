/**
 * The tfjs side: every variable is trained (finite, non-zero gradients on wasm, equal to the cpu
 * backend's), dropout is seeded and off at inference, nothing leaks, configs name their bad fields.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { leftPaddedBatch, randomHistory, randomizeVariables } from '../../../test/fixtures/neural.js';
import type { TideError } from '../../core/errors.js';
import { maxAbsDifference } from '../../nn/grad-check.js';
import { initBackend, runOnBackend } from '../../nn/index.js';
import { parseRnnConfig, type RnnCell, RnnConfig } from './config.js';
import { gruFamily, lstmFamily } from './index.js';
import { RnnNetwork } from './network.js';

const ITEMS = 12;
const BATCH = leftPaddedBatch([randomHistory(4, ITEMS, 1), randomHistory(9, ITEMS, 2)], 6);

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

function config(cell: RnnCell, tiedOutput: boolean, dropout = 0.3): RnnConfig {
  return RnnConfig.parse({
    cell,
    maxLength: 6,
    embeddingDim: 4,
    hiddenDim: 3,
    layers: 2,
    dropout,
    tiedOutput,
    useTimeGaps: true,
    useTypes: true,
  });
}

/** Gradients of a full-softmax next-item loss (dropout on) by variable name, on the active backend. */
function gradients(t: typeof tfjs, c: RnnConfig): Map<string, Float32Array> {
  const net = new RnnNetwork(c, ITEMS, 5);
  randomizeVariables(net, 9);
  const named = [...net.variables];
  const { grads } = t.tidy(() =>
    t.variableGrads(() => {
      const hidden = t.reshape(net.hidden(BATCH, true), [BATCH.batchSize * BATCH.length, -1]);
      let logits = t.matMul(hidden, net.outputTable(), false, true);
      const bias = net.outputBias();
      if (bias) logits = t.add(logits, bias);
      const targets = t.oneHot(t.tensor1d(BATCH.targets, 'int32'), ITEMS + 1);
      const weights = t.tensor1d(
        BATCH.targets.map((x) => (x > 0 ? 1 : 0)),
        'float32',
      );
      return t.losses.softmaxCrossEntropy(targets, logits, weights);
    }),
  );
  const byName = new Map(named.map(([name, v]) => [name, grads[v.name].dataSync() as Float32Array]));
  t.dispose([...Object.values(grads), ...net.variables.values()]);
  return byName;
}

describe.each([
  ['gru', false],
  ['lstm', true],
] as const)('%s network (tied %s)', (cell, tied) => {
  it('gives every variable a finite, non-zero gradient on wasm, equal to the cpu backend', async () => {
    const c = config(cell, tied);
    const onWasm = gradients(tf, c);
    const onCpu = await runOnBackend('cpu', (t) => gradients(t, c));
    expect([...onWasm.keys()].sort()).toEqual([...onCpu.keys()].sort());
    for (const [name, gradient] of onWasm) {
      expect(gradient.every(Number.isFinite), name).toBe(true);
      expect(Math.max(...gradient.map(Math.abs)), name).toBeGreaterThan(1e-6);
      expect(maxAbsDifference(gradient, onCpu.get(name)!), name).toBeLessThan(1e-5);
    }
  });
});

describe('rnn dropout', () => {
  const states = (net: RnnNetwork, training: boolean) =>
    tf.tidy(() => net.hidden(BATCH, training).dataSync() as Float32Array);

  it('is reproducible per seed, differs across seeds and calls, and is off at inference', () => {
    const c = config('gru', false, 0.5);
    const [a, b, other] = [
      new RnnNetwork(c, ITEMS, 1),
      new RnnNetwork(c, ITEMS, 1),
      new RnnNetwork(c, ITEMS, 2),
    ];
    for (const net of [a, b, other]) randomizeVariables(net, 4);
    const firstA = states(a, true);
    expect(maxAbsDifference(firstA, states(b, true))).toBe(0);
    expect(maxAbsDifference(firstA, states(other, true))).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(firstA, states(a, true))).toBeGreaterThan(1e-3); // a fresh mask per call
    const inference = states(a, false);
    expect(maxAbsDifference(inference, states(a, false))).toBe(0);
    expect(maxAbsDifference(inference, states(other, false))).toBe(0);
    expect(maxAbsDifference(inference, firstA)).toBeGreaterThan(1e-3);
  });

  it('leaks no tensors and returns [B, L, dim]', () => {
    const net = new RnnNetwork(config('lstm', true), ITEMS, 3);
    const before = tf.memory().numTensors;
    const hidden = net.hidden(BATCH, true);
    expect(hidden.shape).toEqual([2, 6, 4]);
    hidden.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('rnn config', () => {
  it('has the documented defaults and fixes the cell per family', () => {
    expect(gruFamily.configSchema.parse({})).toEqual({
      cell: 'gru',
      maxLength: 200,
      embeddingDim: 64,
      hiddenDim: 100,
      layers: 1,
      dropout: 0.2,
      tiedOutput: false,
      useTimeGaps: false,
      useTypes: false,
    });
    expect(lstmFamily.configSchema.parse({}).cell).toBe('lstm');
    expect(() => gruFamily.configSchema.parse({ cell: 'lstm' })).toThrow(/cell/);
  });

  it('names the offending field', () => {
    const fails = (input: unknown): TideError => {
      try {
        parseRnnConfig(input, 'gru');
      } catch (error) {
        return error as TideError;
      }
      throw new Error('no error');
    };
    expect(fails({ hiddenDim: 0 }).message).toMatch(/^gru config: hiddenDim: /);
    expect(fails({ dropout: 1 }).location?.field).toBe('dropout');
    expect(fails({ layers: 1.5 }).message).toMatch(/layers/);
    expect(fails({ hidenDim: 8 }).message).toMatch(/hidenDim/);
    expect(fails({ hidenDim: 8 }).code).toBe('CONFIG');
  });
});
