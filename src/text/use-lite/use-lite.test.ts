import { afterAll, describe, expect, it } from 'vitest';
import { cosine } from '../vectors.js';
import { USE_LITE_DIM, UseLiteEncoder } from './use-lite.js';

const QUERY = 'sci-fi space adventure';
const STAR_WARS = 'Star Wars (1977) Action|Adventure|Sci-Fi';
const PRIDE = 'Pride and Prejudice (1995) Drama|Romance';
const TITLES = [
  "Toy Story (1995). Animation, Children's, Comedy",
  'Heat (1995). Action, Crime, Thriller',
  'A',
  'City of Lost Children, The (1995). Adventure, Sci-Fi',
  'Amélie (2001) 東京物語 😀',
  '',
  'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1963). Sci-Fi, War',
];

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('USE-lite encoder', async () => {
  const encoder = await UseLiteEncoder.load({ batchSize: 4 });
  afterAll(() => encoder.dispose());

  it('is identified by the model package version and gives 512 finite numbers per text', async () => {
    expect(encoder.id).toMatch(/^use-lite@\d+\.\d+\.\d+$/);
    expect(encoder.dim).toBe(USE_LITE_DIM);
    const vectors = await encoder.embed(TITLES);
    expect(vectors).toHaveLength(TITLES.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(512);
      expect(vector.every(Number.isFinite)).toBe(true);
    }
    // Different texts, different vectors.
    expect(maxAbsDifference(vectors[0], vectors[1])).toBeGreaterThan(0.01);
  });

  it('ranks "sci-fi space adventure" nearer Star Wars than Pride and Prejudice', async () => {
    const [query, starWars, pride] = await encoder.embed([QUERY, STAR_WARS, PRIDE]);
    const toStarWars = cosine(query, starWars);
    const toPride = cosine(query, pride);
    expect(toStarWars).toBeGreaterThan(toPride + 0.1);
  });

  it('is deterministic, and a batch gives what one-by-one calls give (to 1e-5)', async () => {
    const batched = await encoder.embed(TITLES);
    const again = await encoder.embed(TITLES);
    for (let i = 0; i < TITLES.length; i++) {
      expect(maxAbsDifference(again[i], batched[i])).toBe(0);
      const [alone] = await encoder.embed([TITLES[i]]);
      expect(maxAbsDifference(alone, batched[i])).toBeLessThan(1e-5);
    }
  });

  it('embeds the empty string as the separator token: a unit-length vector, unlike any title', async () => {
    expect(encoder.tokens('')).toEqual(encoder.tokens(' ').slice(0, 1));
    const [empty, title] = await encoder.embed(['', TITLES[0]]);
    expect(Math.hypot(...empty)).toBeCloseTo(1, 3);
    expect(cosine(empty, title)).toBeLessThan(0.9);
    expect(await encoder.embed([])).toEqual([]);
  });

  it('cuts long texts to maxTokens and batches them fewer at a time, with the same vectors', async () => {
    const short = await UseLiteEncoder.load({ batchSize: 4, maxTokens: 300 });
    try {
      const paragraph = (topic: string) => `${topic} `.repeat(400).trim();
      const texts = [
        paragraph('space battles and starships'),
        'Heat (1995)',
        paragraph('a quiet country romance'),
        'A',
      ];
      expect(short.tokens(texts[0])).toHaveLength(300);
      const batched = await short.embed(texts);
      for (let i = 0; i < texts.length; i++) {
        const [alone] = await short.embed([texts[i]]);
        expect(maxAbsDifference(alone, batched[i])).toBeLessThan(1e-5);
      }
    } finally {
      short.dispose();
    }
  });
});
