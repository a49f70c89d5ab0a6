import { describe, expect, it } from 'vitest';
import { describeRecommenderContract } from '../../../test/contracts/recommender.js';
import { corpusFrom } from '../../../test/fixtures/corpus.js';
import { ItemKnnModel } from './itemknn.js';

describeRecommenderContract('itemknn', () => new ItemKnnModel());

describe('ItemKNN', () => {
  // items 0 and 1 always go together, 2 and 3 always together, 4 with both groups once
  const corpus = corpusFrom(
    [
      [0, 1],
      [1, 0],
      [0, 1, 4],
      [2, 3],
      [3, 2],
      [2, 3, 4],
    ],
    5,
  );

  it('recommends what co-occurs with the history', async () => {
    const model = new ItemKnnModel({ shrink: 0 });
    await model.fit({ corpus });
    const scores = new Float32Array(5);
    model.scoreAll({ user: -1, history: Int32Array.from([0]) }, scores);
    // cosine(0,1) = 3/sqrt(3*3) = 1; cosine(0,4) = 1/sqrt(3*2)
    expect(scores[1]).toBeCloseTo(1, 6);
    expect(scores[4]).toBeCloseTo(1 / Math.sqrt(6), 6);
    expect(scores[2]).toBe(0);
  });

  it('weights the most recent history items most', async () => {
    const model = new ItemKnnModel({ shrink: 0, recencyDecay: 0.5 });
    await model.fit({ corpus });
    const scores = new Float32Array(5);
    model.scoreAll({ user: -1, history: Int32Array.from([0, 2]) }, scores);
    expect(scores[3]).toBeCloseTo(1, 6);
    expect(scores[1]).toBeCloseTo(0.5, 6);
  });

  it('keeps at most the configured number of neighbours', async () => {
    const model = new ItemKnnModel({ shrink: 0, neighbours: 1 });
    await model.fit({ corpus });
    const scores = new Float32Array(5);
    model.scoreAll({ user: -1, history: Int32Array.from([4]) }, scores);
    expect(scores.filter((s) => s > 0)).toHaveLength(1);
  });
});
