/**
 * SASRec's weights: names, shapes and seeded initial values, in plain TypeScript so that the tfjs network
 * and the plain-TS inference agree on one layout.
 *
 * Layout (row-major, dense kernels [in, out] as in tfjs, y = x · W + b), d = dim:
 *   item_embedding                  [numItems + 1, d]  row 0 = padding; also the (tied) output table
 *   position_embedding              [maxLength, d]     row maxLength - 1 = the window's last position
 *   time_gap_weight                 [d]                (useTimeGaps) added times log1p(gap seconds)
 *   type_embedding                  [7, d]             (useTypes) row = type code + 1, 0 = padding
 *   text_projection                 [textDim, d]       (textDim > 0) P in E[i] = E_id[i] + T[i] · P; the
 *                                                      saved item_embedding is the fused E
 *   block{i}/attn_ln/{gamma,beta}   [d]
 *   block{i}/attn/{query,key,value,output}/kernel [d, d]   heads = column blocks of d / heads
 *   block{i}/attn/{query,value,output}/bias       [d]      no key bias: it adds the same amount to every
 *                                                           score of a query, which softmax ignores
 *   block{i}/ffn_ln/{gamma,beta}    [d]
 *   block{i}/ffn/{inner,outer}/{kernel [d, d], bias [d]}
 *   final_ln/{gamma,beta}           [d]
 */
import { Rng } from '../../core/random.js';
import type { NamedWeights } from '../neural/network.js';
import { type SasRecConfig, TYPE_ROWS } from './config.js';

type Init = 'glorot' | 'glorot-row0-zero' | 'normal' | 'normal-row0-zero' | 'zeros' | 'ones';

/** The standard deviation of `init: 'normal'` (BERT's, GPT-2's and the SASRec+ reference's). */
const NORMAL_STD = 0.02;

/** One weight of a network: its stable name, shape and how it starts. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly init: Init;
}

/**
 * Every weight a network of `config` has, in a fixed order.
 *
 * @example
 * weightSpecs(SasRecConfig.parse({}), 3416).map((w) => w.name); // ['item_embedding', 'position_embedding', ...]
 */
export function weightSpecs(config: SasRecConfig, numItems: number): WeightSpec[] {
  const d = config.dim;
  const layerNorm = (prefix: string): WeightSpec[] => [
    { name: `${prefix}/gamma`, shape: [d], init: 'ones' },
    { name: `${prefix}/beta`, shape: [d], init: 'zeros' },
  ];
  const normal = config.init === 'normal';
  const matrix: Init = normal ? 'normal' : 'glorot';
  const table: Init = normal ? 'normal-row0-zero' : 'glorot-row0-zero';
  // With `normal`, the attention's query/key/value projections stay glorot, as in torch's
  // MultiheadAttention, which the reference's normal initialisation does not reach.
  const dense = (prefix: string, bias = true, init = matrix): WeightSpec[] => {
    const kernel: WeightSpec = { name: `${prefix}/kernel`, shape: [d, d], init };
    return bias ? [kernel, { name: `${prefix}/bias`, shape: [d], init: 'zeros' }] : [kernel];
  };
  const specs: WeightSpec[] = [
    { name: 'item_embedding', shape: [numItems + 1, d], init: table },
    { name: 'position_embedding', shape: [config.maxLength, d], init: matrix },
  ];
  if (config.useTimeGaps) specs.push({ name: 'time_gap_weight', shape: [d], init: 'zeros' });
  if (config.useTypes) specs.push({ name: 'type_embedding', shape: [TYPE_ROWS, d], init: table });
  if (config.textDim > 0) specs.push({ name: 'text_projection', shape: [config.textDim, d], init: matrix });
  for (let i = 0; i < config.blocks; i++) {
    specs.push(...layerNorm(`block${i}/attn_ln`));
    specs.push(
      ...dense(`block${i}/attn/query`, true, 'glorot'),
      ...dense(`block${i}/attn/key`, false, 'glorot'),
      ...dense(`block${i}/attn/value`, true, 'glorot'),
      ...dense(`block${i}/attn/output`),
    );
    specs.push(
      ...layerNorm(`block${i}/ffn_ln`),
      ...dense(`block${i}/ffn/inner`),
      ...dense(`block${i}/ffn/outer`),
    );
  }
  specs.push(...layerNorm('final_ln'));
  return specs;
}

/**
 * Seeded initial values as pmixer's: glorot-uniform matrices (embeddings included, padding rows at 0)
 * or, with `init: 'normal'`, N(0, 0.02) as the SASRec+ reference; zero biases, layer norms at gamma 1 /
 * beta 0, the time-gap vector at 0. Each weight draws from its own generator seeded by (seed, name), so
 * adding an optional weight leaves the others unchanged.
 *
 * @example
 * const weights = initialWeights(config, numItems, 42); // same seed, same values
 */
export function initialWeights(config: SasRecConfig, numItems: number, seed: number): NamedWeights {
  const weights: NamedWeights = new Map();
  for (const spec of weightSpecs(config, numItems)) {
    weights.set(spec.name, {
      shape: spec.shape,
      data: initialValues(spec, new Rng(seed ^ hashName(spec.name))),
    });
  }
  return weights;
}

function initialValues({ shape, init }: WeightSpec, rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (init === 'zeros') return values;
  if (init === 'ones') return values.fill(1);
  if (init === 'normal' || init === 'normal-row0-zero') {
    for (let i = 0; i < size; i++) values[i] = NORMAL_STD * rng.normal();
  } else {
    const limit = Math.sqrt(6 / (shape[0] + shape[1]));
    for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * limit;
  }
  if (init === 'glorot-row0-zero' || init === 'normal-row0-zero') values.fill(0, 0, shape[1]);
  return values;
}

/** FNV-1a of a weight name. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
