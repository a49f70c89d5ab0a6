import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, type TideConfig } from '../../config/config.js';
import { TideError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import {
  leaveOneOut,
  type Split,
  type Stage,
  temporalSplit,
  temporalSplitWithLooValidation,
  timeAtFraction,
} from '../../data/split.js';
import { generateWorld } from '../../data/synthetic/index.js';
import type { UserTruth } from '../../data/synthetic/world.js';
import { pickColdItems } from '../../eval/cold-items.js';
import { baselineDriftRows, formatDriftTable, modelDriftRows, switchCases } from '../../eval/drift-lag.js';
import { type EvalReport, evaluateModel } from '../../eval/evaluate.js';
import type { RankingProtocol } from '../../eval/protocol.js';
import { formatReportTable } from '../../eval/report.js';
import type { Recommender } from '../../models/model.js';
import { MODEL_NAMES } from '../../models/names.js';
import { encoderFor } from '../../models/neural/families.js';
import { PretrainedRecommender } from '../../models/neural/pretrained.js';
import { NeuralRecommender } from '../../models/neural/recommender.js';
import { fingerprint } from '../../models/neural/saved-model.js';
import { DATA_FLAGS, DATA_HELP, loadDataFromFlags } from '../data-options.js';
import { Flags } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';
import { openRankingsFile } from '../rankings-file.js';
import { itemTextFromFlags, TEXT_FLAGS, TEXT_HELP } from '../text-options.js';

export const EVAL_HELP = `tide eval --data <dir> --model <name>[,<name>...] [options]

Fits each model on the training part and ranks every user's held-out next item against the
whole catalogue (history items excluded, ties resolved by exact expectation).

  --model ${MODEL_NAMES.join('|')}   one or more, comma-separated
  --model-dir <dir>      evaluate a saved model (from tide train) instead of fitting one
  --model-config <json>  overrides for the model's config, e.g. '{"epochs": 10}'; with several
                         models, per model: '{"sasrec": {"epochs": 10}, "bpr": {"factors": 32}}'
  --split loo|temporal   leave-one-out (default) or a global time cut
  --cut <fraction|ISO time>   temporal: test from this time (default 0.9 = the time of the 90th
                         percentile event); valid from the same distance earlier
  --validation latest|events|loo   temporal: validate on the latest slice before the cut, each
                         user's first event after 4 cuts in it (default) or every event in it, or
                         on each user's second last event before the cut (leave-one-out holdouts)
  --protocol full|sampled     full ranking (default) or target vs --negatives random items
  --negatives N          sampled protocol: negatives per case (default 100)
  --k 10[,20]            cut-offs (default 10)
  --seed N               sampling and model seed (default 42)
  --stage test|valid     evaluate on the test targets (default) or the validation ones, for tuning
  --cold-items F         hold a random share F of the items out of training; also report NDCG/HR
                         on the test cases whose target is one of them ("cold ...")
  --text-weight W|auto   rank by behaviour + W · text similarity (needs --text); auto tunes W on
                         the validation cases and reports it
  --save-models <dir>    save each fitted neural model to <dir>/<model name> (for tide serve)
  --rankings <file>      write every case's ranked list (the longest --k; the cases of --stage)
                         as JSON lines: {model, userId, targetId, at, itemIds}
  --drift                on a generated world (--data synthetic, or a folder from tide generate):
                         also report how many events after each user's first planted switch the
                         new topic holds > 1/2 of P(topic | u) and of the top 10, beside the
                         topic shares of the last 10 events and of the whole history (keeps
                         every event: no k-core)
  --json                 one JSON object per model on stdout (one line each)
${TEXT_HELP}
${DATA_HELP}`;

export async function evalCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    ...DATA_FLAGS,
    model: { type: 'string' },
    'model-dir': { type: 'string' },
    'model-config': { type: 'string' },
    split: { type: 'string' },
    cut: { type: 'string' },
    validation: { type: 'string' },
    protocol: { type: 'string' },
    negatives: { type: 'string' },
    k: { type: 'string' },
    seed: { type: 'string' },
    stage: { type: 'string' },
    'cold-items': { type: 'string' },
    'text-weight': { type: 'string' },
    'save-models': { type: 'string' },
    rankings: { type: 'string' },
    json: { type: 'boolean' },
    drift: { type: 'boolean' },
    ...TEXT_FLAGS,
  });
  const config = await loadConfig(flags.string('config'));
  const modelDir = flags.string('model-dir');
  const models = flags.list('model', []);
  if (models.length === 0 && !modelDir) {
    throw new TideError('CONFIG', `--model (${MODEL_NAMES.join(', ')}) or --model-dir is required`);
  }
  const protocol = flags.string('protocol') ?? 'full';
  if (protocol !== 'full' && protocol !== 'sampled') {
    throw new TideError('CONFIG', `--protocol must be "full" or "sampled", got "${protocol}"`);
  }
  const seed = flags.integer('seed', config.seed);
  const overrides = parseModelConfig(flags.string('model-config'));
  const configOf = (name: string) => ({
    ...withSeed(name, seed),
    ...config.models[name],
    ...overridesFor(overrides, name, models),
  });
  // loaded only to build models by name: scoring a saved model (--model-dir) loads no training code
  const createModel = models.length > 0 ? (await import('../../training/registry.js')).createModel : null;
  // every config checked before any data is read
  for (const name of models) checkedModel(() => createModel!(name, configOf(name)), overrides, models);
  const withDrift = flags.boolean('drift');
  const dataset = await loadDataFromFlags(flags, withDrift ? keepEveryEvent(config) : config);
  const split = makeSplit(
    dataset,
    flags.string('split') ?? 'loo',
    flags.string('cut'),
    flags.string('validation'),
  );
  const switches = withDrift
    ? switchCases(dataset, await worldTruth(flags.string('data')!, config.seed))
    : null;
  const driftRows = switches ? baselineDriftRows(dataset, switches) : [];
  const itemText = await itemTextFromFlags(flags, dataset);
  const coldShare = flags.string('cold-items');
  const coldItems =
    coldShare === undefined ? undefined : pickColdItems(dataset.nItems, parseShare(coldShare), seed);
  const reports: EvalReport[] = [];
  const candidates = models.map((name) => () => createModel!(name, configOf(name)));
  if (modelDir) candidates.push(await savedModel(modelDir, dataset));
  const textWeight = parseTextWeight(flags.string('text-weight'));
  const saveDir = flags.string('save-models');
  const rankingsPath = flags.string('rankings');
  const rankings = rankingsPath ? openRankingsFile(rankingsPath, dataset) : null;
  for (const makeModel of candidates) {
    const model = makeModel();
    const report = await evaluateModel(model, dataset, split, {
      protocol: protocol as RankingProtocol,
      negatives: flags.integer('negatives', 100),
      ks: flags.list('k', ['10']).map(Number),
      seed,
      stage: parseStage(flags.string('stage')),
      progress: new TerminalProgress(),
      itemText,
      coldItems,
      textWeight,
      onList: rankings?.listFor(model.name),
    });
    if (saveDir && model instanceof NeuralRecommender)
      await model.save(join(saveDir, model.name), dataset.itemIds.ids(), dataset, dataset.name);
    reports.push(report);
    if (flags.boolean('json')) process.stdout.write(`${JSON.stringify(report)}\n`);
    if (switches) driftRows.push(...modelDriftRows(model.name, model, dataset, switches));
  }
  await rankings?.close();
  if (flags.boolean('json')) {
    if (switches)
      process.stdout.write(`${JSON.stringify({ drift: { users: switches.length, rows: driftRows } })}\n`);
    return;
  }
  process.stdout.write(`${formatReportTable(reports)}\n`);
  if (switches) {
    process.stdout.write(
      `\nFollowing the planted switch (${switches.length} users): events after each user's first switch until the new topic holds > 1/2\n${formatDriftTable(driftRows)}\n`,
    );
  }
}

/** The config with the k-core rule off: the drift report lines positions up with the ground truth. */
function keepEveryEvent(config: TideConfig): TideConfig {
  return { ...config, preprocess: { ...config.preprocess, minItemEvents: 1, minUserEvents: 1 } };
}

/** Per-user ground truth of a generated world: regenerated for "synthetic", else the folder's truth.json. */
async function worldTruth(data: string, seed: number): Promise<Record<string, UserTruth>> {
  if (data === 'synthetic') return generateWorld({ seed }).truth.users;
  const file = join(data, 'truth.json');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new TideError(
      'CONFIG',
      `--drift needs a generated world: ${file} not found (tide generate writes it)`,
      {
        file,
      },
    );
  });
  const truth = JSON.parse(text) as { users?: Record<string, UserTruth> };
  if (!truth.users)
    throw new TideError('INVALID_INPUT', `${file}: no "users" ground truth`, { file, field: 'users' });
  return truth.users;
}

/** Validation cuts of a temporal split (see TemporalCut.validOrigins). */
const VALID_ORIGINS = 4;

/**
 * Leave-one-out, or a temporal cut given as a fraction of events or an ISO time; a temporal cut
 * validates on the latest slice before it (`validation` "latest", the default: each user's first
 * event after 4 cuts in it; "events": every event in it) or on leave-one-out holdouts before it
 * ("loo"). A cut given as a time has no latest slice (nothing to validate on).
 */
export function makeSplit(
  dataset: Dataset,
  kind: string,
  cut: string | undefined,
  validation = 'latest',
): Split {
  if (kind === 'loo' || kind === 'leave-one-out') return leaveOneOut(dataset);
  if (kind !== 'temporal')
    throw new TideError('CONFIG', `--split must be "loo" or "temporal", got "${kind}"`);
  if (validation !== 'latest' && validation !== 'events' && validation !== 'loo')
    throw new TideError('CONFIG', `--validation must be "latest", "events" or "loo", got "${validation}"`);
  const text = cut ?? '0.9';
  const fraction = Number(text);
  const asFraction = Number.isFinite(fraction) && fraction > 0 && fraction < 1;
  const testFrom = asFraction ? timeAtFraction(dataset, fraction) : Date.parse(text);
  if (Number.isNaN(testFrom))
    throw new TideError('CONFIG', `--cut must be a fraction or an ISO time, got "${text}"`);
  if (validation === 'loo') return temporalSplitWithLooValidation(dataset, testFrom);
  if (!asFraction) {
    if (validation === 'events')
      throw new TideError(
        'CONFIG',
        '--validation events needs --cut as a fraction (a time cut has no latest slice)',
      );
    return temporalSplit(dataset, { testFrom });
  }
  return temporalSplit(dataset, {
    testFrom,
    validFrom: timeAtFraction(dataset, Math.max(fraction - (1 - fraction), 0.01)),
    validOrigins: VALID_ORIGINS,
    validEveryEvent: validation === 'events',
  });
}

/** A saved model, scoring this data set's items by external id; warns when it came from other data. */
export async function savedModel(dir: string, dataset: Dataset): Promise<() => Recommender> {
  const { model, manifest } = await NeuralRecommender.load(dir, encoderFor);
  const here = fingerprint(dataset.name, dataset);
  if (manifest.dataFingerprint.sequencesHash !== here.sequencesHash) {
    process.stderr.write(
      `warning: ${dir} was trained on other data (${manifest.dataFingerprint.dataset}, ${manifest.dataFingerprint.events} events) than ${dataset.name} (${here.events} events); its scores may have seen test events\n`,
    );
  }
  return () => new PretrainedRecommender(model, manifest.itemIds, dataset.itemIds.ids());
}

function parseTextWeight(text: string | undefined): number | 'auto' | undefined {
  if (text === undefined || text === 'auto') return text;
  const weight = Number(text);
  if (!(weight >= 0))
    throw new TideError('CONFIG', `--text-weight must be "auto" or a number >= 0, got "${text}"`);
  return weight;
}

function parseShare(text: string): number {
  const share = Number(text);
  if (!(share > 0 && share < 1))
    throw new TideError('CONFIG', `--cold-items must be a share in (0, 1), got "${text}"`);
  return share;
}

function parseStage(text: string | undefined): Stage {
  if (text === undefined || text === 'test' || text === 'valid') return text ?? 'test';
  throw new TideError('CONFIG', `--stage must be "test" or "valid", got "${text}"`);
}

export function parseModelConfig(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TideError('CONFIG', `--model-config must be a JSON object, got ${text}`);
}

/**
 * A model's part of --model-config: the object under its name when every key names one of the models
 * run, else the whole object.
 */
function overridesFor(
  overrides: Record<string, unknown>,
  name: string,
  models: readonly string[],
): Record<string, unknown> {
  const keys = Object.keys(overrides);
  const perModel = keys.length > 0 && keys.every((key) => models.includes(key));
  if (!perModel) return overrides;
  const own = overrides[name] ?? {};
  if (typeof own !== 'object' || own === null || Array.isArray(own))
    throw new TideError('CONFIG', `--model-config: "${name}" must be an object of config keys`);
  return own as Record<string, unknown>;
}

/**
 * Builds a model; with several models and one flat --model-config, a config error says how to give
 * each model its own.
 */
function checkedModel<T>(build: () => T, overrides: Record<string, unknown>, models: readonly string[]): T {
  try {
    return build();
  } catch (error) {
    const flat = models.length > 1 && Object.keys(overrides).some((key) => !models.includes(key));
    if (!(error instanceof TideError) || !flat) throw error;
    const example = JSON.stringify({ [models[models.length - 1]]: overrides });
    throw new TideError(
      'CONFIG',
      `${error.message} (--model-config applies to every model; give each its own: --model-config '${example}')`,
      error.location,
    );
  }
}

/** Seeded families take the run's seed unless their config says otherwise. */
function withSeed(name: string, seed: number): Record<string, unknown> {
  return name === 'bpr' ? { seed } : {};
}
