/**
 * The drift report of one model on a generated world where every user switches topic once
 * (abruptly), with a share of noise events: NDCG@10 (leave-one-out) and the lags of P(topic | u) and
 * of the top 10 after the switch, beside the event-share baselines.
 * Usage: npx tsx bench/drift.ts --model sasrec [--noise 0.1] [--users 600] [--seed 3]
 *   [--interest-shift '{"hazard": 0.01}'] [--model-config '{"dim": 64}' (over the small network's)]
 */
import { leaveOneOut } from '../src/data/split.js';
import { baselineDriftRows, gateAroundSwitch, modelDriftRows } from '../src/eval/drift-lag.js';
import { evaluateModel } from '../src/eval/evaluate.js';
import { DEFAULT_INTEREST_SHIFT } from '../src/models/interest-shift.js';
import { createModel } from '../src/training/registry.js';
import { argValue, emit, timed } from './measure.js';
import { switchWorld } from './switch-world.js';

/** Small networks for the world's 400 items and 20-80 events per user, as the demo trains. */
const NETWORKS: Record<string, Record<string, unknown>> = {
  gru: { maxLength: 50, embeddingDim: 32, hiddenDim: 48 },
  sasrec: { maxLength: 50, dim: 32 },
  fused: { longTerm: { maxLength: 50, dim: 32 } },
  facets: { facets: 4, sasrec: { maxLength: 50, dim: 32 } },
};
const TRAINING = { epochs: 20, batchSize: 64, learningRate: 0.005, patience: 3 };

const name = argValue('model', 'sasrec');
const noise = Number(argValue('noise', '0'));
const seed = Number(argValue('seed', '3'));
const { data, cases } = await switchWorld(seed, Number(argValue('users', '600')), noise);
const shiftSettings = { ...DEFAULT_INTEREST_SHIFT, ...JSON.parse(argValue('interest-shift', '{}')) };
const network = NETWORKS[name];
const overrides = JSON.parse(argValue('model-config', '{}'));
const model = createModel(name, network ? { ...network, ...TRAINING, seed, ...overrides } : overrides);
const { value: report, seconds } = await timed(() => evaluateModel(model, data, leaveOneOut(data), { seed }));
emit({
  bench: 'drift',
  model: name,
  noise,
  users: cases.length,
  metrics: report.metrics,
  seconds,
  rows: [
    ...(name === 'pop' ? baselineDriftRows(data, cases) : []),
    ...modelDriftRows(name, model, data, cases, shiftSettings),
  ],
  gate: gateAroundSwitch(model, data, cases),
  gateCheck: 'gateReport' in model ? model.gateReport : null,
});
