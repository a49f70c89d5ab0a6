/**
 * @license
 * Copyright 2019 Google LLC. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 * http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 * =============================================================================
 *
 * Ported to TypeScript for Tide from the Universal Sentence Encoder tokenizer of
 * tensorflow/tfjs-models (universal-sentence-encoder/src/tokenizer), as redistributed in
 * @energetic-ai/embeddings 0.2.0 (Apache-2.0). Changes: the trie search walks the symbol array
 * from an offset instead of slicing it, the lattice is kept in arrays, and pieces know their
 * length in code points (the original steps back over an unknown symbol by the UTF-16 length of
 * vocabulary[0], which is 1 for USE's "\uFFFD"). The ids produced are the original's (see
 * tokenizer.test.ts; also checked on all 3,883 ML-1M titles).
 */
import { TideError } from '../../core/errors.js';

/** A SentencePiece vocabulary: `[piece, log-probability score]`, the id being the position. */
export type Vocabulary = ReadonlyArray<readonly [string, number]>;

/** The word separator SentencePiece puts in place of spaces (U+2581). */
export const SEPARATOR = '\u2581';
/** Ids 0..5 are `<unk>`-like and control symbols; they are never matched against the input. */
export const RESERVED_SYMBOLS_COUNT = 6;
/** The id of unknown symbols; consecutive unknown symbols are merged into one. */
export const UNKNOWN_ID = 0;

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Id of the piece ending here, or -1 when no piece ends here. */
  id: number;
  score: number;
}

const newNode = (): TrieNode => ({ children: new Map(), id: -1, score: 0 });

/** One candidate piece of the lattice: it covers `start..start+length` of the symbols. */
interface Piece {
  start: number;
  id: number;
  score: number;
}

/**
 * SentencePiece-style tokenizer of the Universal Sentence Encoder: NFKC, spaces to `▁`, a `▁` in
 * front, then the highest-scoring segmentation into vocabulary pieces (Viterbi over a trie of
 * the vocabulary); unknown symbols get id 0, and a run of them is one id 0.
 *
 * @example
 * const tokenizer = new Tokenizer(vocabulary);
 * tokenizer.encode('Hello world!'); // [341, 4125, 311, 78]
 */
export class Tokenizer {
  private readonly root = newNode();
  /** Length in code points of each vocabulary piece, by id; unknown symbols are one symbol. */
  private readonly pieceLength: Int32Array;

  constructor(vocabulary: Vocabulary, reservedSymbolsCount = RESERVED_SYMBOLS_COUNT) {
    if (vocabulary.length <= reservedSymbolsCount) {
      throw new TideError(
        'CONFIG',
        `tokenizer vocabulary has ${vocabulary.length} pieces, expected more than the ${reservedSymbolsCount} reserved`,
      );
    }
    this.pieceLength = new Int32Array(vocabulary.length);
    this.pieceLength[UNKNOWN_ID] = 1;
    for (let id = reservedSymbolsCount; id < vocabulary.length; id++) {
      const [piece, score] = vocabulary[id];
      this.insert(Array.from(piece), score, id);
    }
  }

  /** Token ids of `input`; `[]` for the empty string. */
  encode(input: string): number[] {
    const symbols = Array.from(normalise(input));
    const n = symbols.length;
    // piecesByEnd[end]: the pieces ending at symbol position `end`, in increasing start order.
    const piecesByEnd: Piece[][] = Array.from({ length: n + 1 }, () => []);
    for (let start = 0; start < n; start++) {
      for (const piece of this.prefixPieces(symbols, start)) {
        piecesByEnd[start + this.lengthOf(piece)].push(piece);
      }
    }
    const best = new Float64Array(n + 1);
    const bestId = new Int32Array(n + 1);
    for (let end = 0; end <= n; end++) {
      for (const piece of piecesByEnd[end]) {
        const score = piece.score + best[piece.start];
        // As the original: a best score of exactly 0 counts as "none yet", and ties go to the later piece.
        if (best[end] === 0 || score >= best[end]) {
          best[end] = score;
          bestId[end] = piece.id;
        }
      }
    }
    const reversed: number[] = [];
    for (let at = n; at > 0; at -= this.pieceLength[bestId[at]]) reversed.push(bestId[at]);
    const ids: number[] = [];
    let previousUnknown = false;
    for (const id of reversed) {
      if (!(previousUnknown && id === UNKNOWN_ID)) ids.push(id);
      previousUnknown = id === UNKNOWN_ID;
    }
    return ids.reverse();
  }

  private lengthOf(piece: Piece): number {
    return this.pieceLength[piece.id];
  }

  private insert(symbols: string[], score: number, id: number): void {
    let node = this.root;
    for (const symbol of symbols) {
      let child = node.children.get(symbol);
      if (!child) {
        child = newNode();
        node.children.set(symbol, child);
      }
      node = child;
    }
    if (symbols.length === 0) return;
    node.id = id;
    node.score = score;
    this.pieceLength[id] = symbols.length;
  }

  /** Every vocabulary piece that starts at `symbols[start]`, or the unknown piece when none does. */
  private prefixPieces(symbols: string[], start: number): Piece[] {
    const pieces: Piece[] = [];
    let node = this.root.children.get(symbols[start]);
    for (let i = start; node && i < symbols.length; i++) {
      if (node.id >= 0) pieces.push({ start, id: node.id, score: node.score });
      node = i + 1 < symbols.length ? node.children.get(symbols[i + 1]) : undefined;
    }
    if (pieces.length === 0) pieces.push({ start, id: UNKNOWN_ID, score: 0 });
    return pieces;
  }
}

/** NFKC, then `▁` in front and in place of every space (the empty string stays empty). */
function normalise(input: string): string {
  const normalised = input.normalize('NFKC');
  return normalised.length > 0 ? SEPARATOR + normalised.replaceAll(' ', SEPARATOR) : normalised;
}
