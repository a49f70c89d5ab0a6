import { describe, expect, it } from 'vitest';
import { describeRecommenderContract } from '../../../test/contracts/recommender.js';
import { corpusFrom } from '../../../test/fixtures/corpus.js';
import { MarkovModel } from './markov.js';

describeRecommenderContract('markov', () => new MarkovModel());

describe('Markov chain on the last item', () => {
  // transitions: 0->1 twice, 0->2 once, 2->3 once; item 3 is the most popular overall
  const corpus = corpusFrom(
    [
      [0, 1],
      [0, 1],
      [0, 2, 3],
      [3, 3, 3],
    ],
    5,
  );

  it('ranks successors of the last item by transition count', async () => {
    const model = new MarkovModel();
    await model.fit({ corpus });
    const scores = new Float32Array(5);
    model.scoreAll({ user: -1, history: Int32Array.from([2, 0]) }, scores);
    expect(scores[1]).toBeGreaterThan(scores[2]);
    expect(scores[2]).toBeGreaterThan(scores[3]);
    expect(scores[3]).toBeGreaterThan(scores[4]);
  });

  it('falls back to popularity, which never outranks a transition', async () => {
    const model = new MarkovModel();
    await model.fit({ corpus });
    const scores = new Float32Array(5);
    model.scoreAll({ user: -1, history: Int32Array.from([1]) }, scores);
    const byScore = [0, 1, 2, 3, 4].sort((a, b) => scores[b] - scores[a]);
    expect(byScore[0]).toBe(3);
    expect(scores.every((s) => s < 1)).toBe(true);
  });

  it('without the tie-break, untouched items all score 0', async () => {
    const model = new MarkovModel({ popularityTieBreak: false });
    await model.fit({ corpus });
    const scores = new Float32Array(5);
    model.scoreAll({ user: -1, history: Int32Array.from([0]) }, scores);
    expect(Array.from(scores)).toEqual([0, 2, 1, 0, 0]);
  });
});
