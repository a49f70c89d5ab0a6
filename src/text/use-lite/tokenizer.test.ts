import { describe, expect, it } from 'vitest';
import { readUseLiteFiles } from './model-files.js';
import { SEPARATOR, Tokenizer, UNKNOWN_ID } from './tokenizer.js';

/**
 * Ids computed once with the original Tokenizer class of @energetic-ai/embeddings 0.2.0
 * (dist/index.js, extracted and run under node with the same vocab.json).
 */
const ORIGINAL_IDS: [string, number[]][] = [
  ['', []],
  [' ', [30, 30]],
  ['a', [11]],
  ['Hello world!', [341, 4125, 311, 78]],
  ['sci-fi space adventure', [1817, 108, 24, 1433, 1016, 6797]],
  [
    'Star Wars (1977) Action|Adventure|Sci-Fi',
    [2306, 1145, 7, 3513, 4287, 52, 74, 1039, 4855, 192, 29, 1711, 1213, 4855, 141, 922, 24, 4546],
  ],
  [
    "Toy Story (1995). Animation, Children's, Comedy",
    [393, 48, 481, 1364, 3513, 3079, 308, 829, 425, 197, 8, 6351, 13, 7, 8, 4740, 1020],
  ],
  ['Ｆｕｌｌｗｉｄｔｈ ﬁ', [6714, 1580, 29, 128, 1480]],
  ['Amélie (2001)', [1895, 1133, 3149, 44, 2302, 363, 52]],
  ['東京 物語', [30, 0, 30, 0]],
  ['😀😀 emoji', [30, 0, 299, 451, 2501]],
  ['City of Lost Children, The (1995)', [1258, 14, 3234, 17, 6351, 8, 34, 3513, 3079, 52]],
  ['  two  spaces  ', [30, 30, 174, 30, 1016, 7, 30, 30]],
];

describe('USE-lite tokenizer', async () => {
  const { vocabulary } = await readUseLiteFiles();
  const tokenizer = new Tokenizer(vocabulary);

  it.each(ORIGINAL_IDS)('encodes %j as the original implementation does', (text, ids) => {
    expect(tokenizer.encode(text)).toEqual(ids);
  });

  it('segments into vocabulary pieces that spell the NFKC text with ▁ for spaces', () => {
    const text = 'The Shawshank Redemption (1994) Drama';
    const pieces = tokenizer.encode(text).map((id) => vocabulary[id][0]);
    expect(pieces.join('')).toBe(SEPARATOR + text.replaceAll(' ', SEPARATOR));
    expect(pieces.length).toBeLessThan(text.length / 2);
  });

  it('merges a run of unknown symbols into one unknown id', () => {
    const ids = tokenizer.encode('x 東京物語 y');
    expect(ids.filter((id) => id === UNKNOWN_ID)).toHaveLength(1);
  });

  it('prefers the highest-scoring segmentation (Viterbi), not the longest first match', () => {
    // "▁ab" + "c" scores -2, "▁a" + "bc" scores -1.5: greedy longest-match would pick the former.
    const toy = new Tokenizer([
      ['\uFFFD', 0],
      ['<s>', 0],
      ['</s>', 0],
      ['r1', 0],
      ['r2', 0],
      ['r3', 0],
      ['▁ab', -1],
      ['c', -1],
      ['▁a', -0.5],
      ['bc', -1],
      ['▁', -3],
      ['a', -3],
      ['b', -3],
    ]);
    expect(toy.encode('abc')).toEqual([8, 9]);
    // Ids checked against the original too: unknown "d"s merge, the reserved ids 1..5 never appear.
    expect(toy.encode('dd abc')).toEqual([10, 0, 8, 9]);
  });
});
