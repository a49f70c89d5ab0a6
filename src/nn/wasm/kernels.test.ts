/** The SIMD kernels against the scalar ones of scalar.ts, and the committed module against its source. */
import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../../assembly/build.js';
import { Rng } from '../../core/random.js';
import { batchedMatMul, causalAttention, matMulTransposed, softmaxCrossEntropy, vecMat } from '../scalar.js';
import { batchedMatMulKernel, placeArrays, scalarKernels, softmaxCrossEntropyKernel } from './kernels.js';
import { KERNELS_WASM } from './kernels-binary.js';

function randomArray(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.next() * 2 - 1);
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('SIMD kernels', () => {
  it('multiply like the scalar kernel for every remainder of rows, columns and depth', () => {
    const rng = new Rng(7);
    for (const [m, k, n] of [
      [1, 64, 3417],
      [4, 8, 8],
      [5, 7, 3],
      [7, 3, 1],
      [200, 64, 64],
      [3, 1, 2],
    ]) {
      const inputs = { A: randomArray(rng, m * k), B: randomArray(rng, n * k), bias: randomArray(rng, n) };
      const expected = new Float32Array(m * n);
      matMulTransposed(inputs.A, inputs.B, m, k, n, expected, inputs.bias);
      const { kernels, trees } = placeArrays([inputs, new Float32Array(m * n)], 'simd');
      const [{ A, B, bias }, out] = trees;
      expect(kernels.name).toBe('simd');
      kernels.matMulTransposed(A, B, m, k, n, out, bias);
      expect(maxDifference(out, expected), `${m}x${k}x${n}`).toBeLessThan(1e-5);
      kernels.matMulTransposed(A, B, m, k, n, out);
      matMulTransposed(inputs.A, inputs.B, m, k, n, expected);
      expect(maxDifference(out, expected), `${m}x${k}x${n} without bias`).toBeLessThan(1e-5);
    }
  });

  it('multiply a vector like the scalar kernel for every width past the blocks of 16 and 4', () => {
    const rng = new Rng(5);
    for (const [k, n] of [
      [100, 200],
      [3, 37],
      [7, 5],
      [1, 3],
      [16, 16],
    ]) {
      const inputs = { x: randomArray(rng, k), W: randomArray(rng, k * n), bias: randomArray(rng, n) };
      const expected = new Float32Array(n);
      vecMat(inputs.x, inputs.W, n, expected, inputs.bias);
      const { kernels, trees } = placeArrays([inputs, new Float32Array(n)], 'simd');
      const [{ x, W, bias }, out] = trees;
      kernels.vecMat(x, W, n, out, bias);
      expect(maxDifference(out, expected), `${k}x${n}`).toBeLessThan(1e-5);
      kernels.vecMat(x, W, n, out);
      vecMat(inputs.x, inputs.W, n, expected);
      expect(maxDifference(out, expected), `${k}x${n} without bias`).toBeLessThan(1e-5);
    }
  });

  it('apply sigmoid and tanh like the scalar ones, over a range and at the extremes', () => {
    const values = Float32Array.from({ length: 43 }, (_, i) => (i - 21) * 0.7);
    values.set([-100, 100, 0, -88.5, 89], 0);
    for (const name of ['sigmoidInPlace', 'tanhInPlace'] as const) {
      const expected = values.slice();
      scalarKernels[name](expected, 2, 41);
      const { kernels, trees } = placeArrays([values.slice()], 'simd');
      const [x] = trees;
      kernels[name](x, 2, 41);
      expect(maxDifference(x, expected), name).toBeLessThan(2e-7);
      expect(x.slice(0, 2)).toEqual(values.slice(0, 2)); // outside [start, end): untouched
      const { kernels: whole, trees: wholeTrees } = placeArrays([values.slice()], 'simd');
      whole[name](wholeTrees[0], 0, values.length);
      expect(wholeTrees[0].every(Number.isFinite), name).toBe(true);
    }
  });

  it('attend causally like the scalar kernel, at every length up to past a block of four', () => {
    const rng = new Rng(11);
    const width = 12;
    for (const rows of [1, 2, 3, 4, 5, 9, 33]) {
      const q = randomArray(rng, rows * width).map((x) => x * 4); // peaked weights too
      const k = randomArray(rng, rows * width);
      const vT = randomArray(rng, width * rows);
      const expected = new Float32Array(rows * width);
      causalAttention(q, k, vT, rows, width, 0.5, new Float32Array(4 * rows), expected);
      const scratch = {
        scores: new Float32Array(rows * Math.max(rows, 4)),
        out: new Float32Array(rows * width),
      };
      const { kernels, trees } = placeArrays([{ q, k, vT }, scratch], 'simd');
      const [inputs, { scores, out }] = trees;
      kernels.causalAttention(inputs.q, inputs.k, inputs.vT, rows, width, 0.5, scores, out);
      expect(maxDifference(out, expected), `${rows} rows`).toBeLessThan(1e-5);
    }
  });

  it('fall back to the scalar path for arrays outside their memory, with the same results', () => {
    const rng = new Rng(3);
    const [A, B] = [randomArray(rng, 6 * 5), randomArray(rng, 4 * 5)];
    const { kernels } = placeArrays([new Float32Array(8)], 'simd');
    const [out, expected] = [new Float32Array(24), new Float32Array(24)];
    kernels.matMulTransposed(A, B, 6, 5, 4, out);
    matMulTransposed(A, B, 6, 5, 4, expected);
    expect(out).toEqual(expected);
  });

  it('copy shared arrays once and leave everything else of the trees as it was', () => {
    const shared = Float32Array.from([1, 2, 3]);
    const ids = Int32Array.from([4, 5]);
    const { trees } = placeArrays([{ a: shared, b: [shared, null], ids, n: 3 }], 'simd');
    const [tree] = trees;
    expect(tree.a).not.toBe(shared);
    expect(tree.a).toEqual(shared);
    expect(tree.b[0]).toBe(tree.a);
    expect(tree.b[1]).toBeNull();
    expect(tree.ids).toBe(ids);
    expect(tree.n).toBe(3);
  });

  it('are left out when the scalar kernels are asked for', () => {
    const tree = { a: new Float32Array(4) };
    const { kernels, trees } = placeArrays([tree], 'scalar');
    expect(kernels).toBe(scalarKernels);
    expect(trees[0]).toBe(tree);
  });

  it('turn logit rows into the cross-entropy and its gradient like the scalar kernel', () => {
    const rng = new Rng(9);
    const simd = softmaxCrossEntropyKernel('simd');
    for (const [rows, columns] of [
      [3, 3417],
      [8, 3417],
      [5, 7],
      [1, 3],
      [4, 9],
      [6, 13],
      [2, 4],
    ]) {
      const targets = Int32Array.from({ length: rows }, () => 1 + rng.below(columns - 1));
      const logits = randomArray(rng, rows * columns).map((x) => x * 20);
      const bias = randomArray(rng, columns);
      for (const withBias of [true, false]) {
        const [expected, actual] = [logits.slice(), logits.slice()];
        const [expectedSums, actualSums] = [randomArray(rng, columns), new Float32Array(columns)];
        actualSums.set(expectedSums);
        const [expectedT, actualT] = [new Float32Array(rows * columns), new Float32Array(rows * columns)];
        const scale = 1 / (rows + 1);
        const at = `${rows}x${columns}${withBias ? ' with bias' : ''}`;
        const lossSum = softmaxCrossEntropy(
          expected,
          targets,
          columns,
          scale,
          withBias ? bias : undefined,
          expectedSums,
          expectedT,
        );
        expect(
          simd(actual, targets, columns, scale, withBias ? bias : undefined, actualSums, actualT),
          at,
        ).toBeCloseTo(lossSum, 3);
        expect(maxDifference(actual, expected), at).toBeLessThan(1e-6);
        expect(maxDifference(actualSums, expectedSums), at).toBeLessThan(1e-6);
        expect(maxDifference(actualT, expectedT), at).toBeLessThan(1e-6);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < columns; c++) expect(actualT[c * rows + r]).toBe(actual[r * columns + c]);
          expect(actual[r * columns], `${at}: padding column`).toBe(0);
          let rowSum = 0;
          for (let c = 0; c < columns; c++) rowSum += actual[r * columns + c];
          expect(rowSum, `${at}: a gradient row of softmax - onehot sums to 0`).toBeCloseTo(0, 6);
          expect(actual[r * columns + targets[r]], `${at}: the target's gradient is negative`).toBeLessThan(
            0,
          );
        }
      }
    }
    // without column sums, and reusing the memory grown by the larger calls above
    const logits = Float32Array.from([5, 0, 0, Math.log(3)]);
    const lossSum = simd(logits, Int32Array.from([3]), 4, 1);
    expect(lossSum).toBeCloseTo(Math.log(5) - Math.log(3), 6); // softmax over [1, 1, 3]
    expect(Array.from(logits)).toEqual([
      0,
      expect.closeTo(0.2, 6),
      expect.closeTo(0.2, 6),
      expect.closeTo(-0.4, 6),
    ]);
  });

  it('multiply batches like the scalar kernel for every transpose, remainder, depth block and broadcast', () => {
    const rng = new Rng(11);
    const simd = batchedMatMulKernel('simd');
    const [aSlices, bSlices] = [Int32Array.from([0, 1, 1, 0]), Int32Array.from([2, 2, 0, 1])];
    // m, k, n: tiles of 4 x 8, rows and columns left over, k past one block of 256, empty k
    for (const [m, k, n] of [
      [1, 1, 1],
      [4, 8, 8],
      [5, 7, 6],
      [9, 300, 21],
      [3, 513, 17],
      [8, 3, 16],
      [3, 0, 4],
    ]) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const product = { m, k, n, transposeA, transposeB, aSlices, bSlices };
          const [a, b] = [randomArray(rng, 2 * m * k), randomArray(rng, 3 * k * n)];
          const [expected, actual] = [
            new Float32Array(4 * m * n),
            new Float32Array(4 * m * n).fill(Number.NaN),
          ];
          batchedMatMul(a, b, expected, product);
          simd(a, b, actual, product);
          const at = `${m}x${k}x${n} transposeA=${transposeA} transposeB=${transposeB}`;
          expect(maxDifference(actual, expected), at).toBeLessThan(1e-4);
          if (k === 0) expect(Array.from(actual), at).toEqual(Array.from(expected).fill(0));
        }
      }
    }
  });

  it('multiply batches as written out by hand', () => {
    // out_0 = A_1 · B_0ᵀ with A_1 = [[1, 2], [3, 4]], B_0 = [[1, 0], [1, 1], [0, 2]] (n 3, k 2)
    const a = Float32Array.from([9, 9, 9, 9, 1, 2, 3, 4]);
    const b = Float32Array.from([1, 0, 1, 1, 0, 2]);
    const product = {
      ...{ m: 2, k: 2, n: 3, transposeA: false, transposeB: true },
      ...{ aSlices: Int32Array.from([1]), bSlices: Int32Array.from([0]) },
    };
    for (const multiply of [batchedMatMul, batchedMatMulKernel('simd')]) {
      const out = new Float32Array(6);
      multiply(a, b, out, product);
      expect(Array.from(out)).toEqual([1, 3, 4, 3, 7, 8]);
    }
  });

  it('keep nothing of their own in memory, so they can share a memory with another module', () => {
    // heapKernels runs them on tfjs-wasm's heap: a data segment, a start function or a stack pointer
    // would write into memory the other module owns.
    const bytes = Buffer.from(KERNELS_WASM, 'base64');
    const readLeb = (at: number) => {
      let [value, next] = [0, at];
      for (let shift = 0; ; shift += 7) {
        const byte = bytes[next++];
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return { value, next };
      }
    };
    const sections = new Map<number, number>(); // id -> offset of its contents
    for (let at = 8; at < bytes.length; ) {
      const id = bytes[at];
      const { value: size, next } = readLeb(at + 1);
      sections.set(id, next);
      at = next + size;
    }
    const [GLOBALS, START, DATA] = [6, 8, 11];
    expect(sections.has(START)).toBe(false);
    expect(sections.has(DATA)).toBe(false);
    // one global, the constant MAT_MUL_SCRATCH: no stack pointer
    expect(readLeb(sections.get(GLOBALS) ?? 0).value).toBe(1);
  });

  it('ship as compiled from assembly/kernels.ts (run `npm run build:wasm` after editing it)', async () => {
    expect(await compileKernels()).toBe(KERNELS_WASM);
  });
});
