import { describe, expect, it, vi } from 'vitest';
import { MODEL_NAMES } from '../models/names.js';
import { encoderFor, NEURAL_FAMILY_NAMES, servingFamily } from '../models/neural/families.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { createModel } from './registry.js';

describe('models by name', () => {
  it('builds every model it lists, a neural one with its training settings apart', () => {
    for (const name of MODEL_NAMES) expect(createModel(name).name).toBe(name);
    const model = createModel('sasrec', { dim: 16, epochs: 3 });
    expect(model).toBeInstanceOf(NeuralRecommender);
    expect(model.config).toMatchObject({ model: { dim: 16 }, training: { epochs: 3 } });
  });

  it('takes the fused model’s former name "tide" for "fused", saying so once', async () => {
    expect(NEURAL_FAMILY_NAMES).toContain('fused');
    expect(NEURAL_FAMILY_NAMES).not.toContain('tide');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(createModel('tide').name).toBe('fused');
      expect(createModel('tide-text').name).toBe('fused-text');
      expect(createModel('tide').name).toBe('fused');
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        'the model family "tide" is now called "fused"',
        'the model family "tide-text" is now called "fused-text"',
      ]);
    } finally {
      warn.mockRestore();
    }
    // a model saved under the former name still loads
    expect((await servingFamily('tide')()).name).toBe('fused');
    expect(typeof (await encoderFor('tide'))).toBe('function');
  });

  it('refuses an unknown name, naming the ones it knows', () => {
    expect(() => createModel('sasrek')).toThrow(/unknown model "sasrek"; choose one of .*sasrec/);
  });
});
