import type { FitData } from '../models/model.js';
import type { NeuralRecommender, TimeHeadFitReport } from '../models/neural/recommender.js';
import {
  applyTimeHead,
  headCoefficients,
  TIME_CONTEXT_SIZE,
  type TimeHeadSamples,
} from '../models/neural/time-head.js';
import { timeHeadSamples } from '../models/neural/time-head-samples.js';

/**
 * Fits a trained model's time head on held-out cases (`timeHeadSamples`: the model's own scores, the
 * time since each user's previous event, the trend as it stood) and installs it when it ranks those
 * cases better (NDCG@10) than the model alone, or always with `keep: 'always'`. Needs times in
 * `casesCorpus`; returns what the fit measured, or null without times.
 *
 * @example
 * const report = await fitModelTimeHead(model, { corpus, cases, casesCorpus: dataset });
 */
export async function fitModelTimeHead(
  model: NeuralRecommender,
  validation: NonNullable<FitData['validation']>,
  halfLivesDays?: readonly number[],
  keep: 'if-better' | 'always' = 'if-better',
): Promise<TimeHeadFitReport | null> {
  const held = timeHeadSamples(validation, (query, out) => model.scoreWithoutTime(query, out), halfLivesDays);
  if (!held) return null;
  const fit = fitTimeHead(held.samples);
  const report: TimeHeadFitReport = {
    lossBefore: fit.lossBefore,
    lossAfter: fit.lossAfter,
    ndcgBefore: samplesNdcgAt10(held.samples, null),
    ndcgAfter: samplesNdcgAt10(held.samples, fit.kernel),
    samples: held.samples.targets.length,
    kept: false,
  };
  report.kept = keep === 'always' || report.ndcgAfter > report.ndcgBefore;
  if (report.kept) model.setTimeHead(fit.kernel, held.trend.featureCount, held.trend.halfLivesDays);
  return report;
}

export interface TimeHeadFit {
  /** Row-major [1 + features, TIME_CONTEXT_SIZE], for `applyTimeHead`. */
  kernel: Float32Array;
  /** Mean cross-entropy of the samples' targets with the model's scores alone, and with the head. */
  lossBefore: number;
  lossAfter: number;
}

/**
 * Fits the time head's kernel by full-batch Adam on the softmax cross-entropy of the samples'
 * targets, starting from the model alone (kernel 0) with a small L2 pull back to it. A handful of
 * numbers learned from held-out predictions, so the model's in-sample confidence does not set them.
 *
 * @example
 * const { kernel } = fitTimeHead(samples);
 */
export function fitTimeHead(
  samples: TimeHeadSamples,
  steps = 150,
  learningRate = 0.02,
  l2 = 1e-4,
): TimeHeadFit {
  const features = samples.trends[0].length / samples.nItems;
  const size = (1 + features) * TIME_CONTEXT_SIZE;
  const kernel = new Float32Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const lossBefore = lossAndGradient(samples, kernel, grad);
  for (let step = 1; step <= steps; step++) {
    lossAndGradient(samples, kernel, grad);
    for (let k = 0; k < size; k++) {
      const g = grad[k] + l2 * kernel[k];
      m[k] = 0.9 * m[k] + 0.1 * g;
      v[k] = 0.999 * v[k] + 0.001 * g * g;
      const mHat = m[k] / (1 - 0.9 ** step);
      const vHat = v[k] / (1 - 0.999 ** step);
      kernel[k] -= (learningRate * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  return { kernel, lossBefore, lossAfter: lossAndGradient(samples, kernel, grad) };
}

/** Mean cross-entropy over the samples; writes its gradient with respect to the kernel into `grad`. */
export function lossAndGradient(samples: TimeHeadSamples, kernel: Float32Array, grad: Float64Array): number {
  const { scores, targets, contexts, trends, trendOf, nItems: n } = samples;
  const rows = kernel.length / TIME_CONTEXT_SIZE;
  const features = rows - 1;
  const count = targets.length;
  const logits = new Float64Array(n);
  const dCoefficients = new Float64Array(rows);
  grad.fill(0);
  let total = 0;
  for (let s = 0; s < count; s++) {
    const context = contexts.subarray(s * TIME_CONTEXT_SIZE, (s + 1) * TIME_CONTEXT_SIZE);
    const trend = trends[trendOf[s]];
    const c = headCoefficients(kernel, context);
    const row = scores.subarray(s * n, (s + 1) * n);
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const z = Number.isFinite(row[i])
        ? (1 + c[0]) * row[i] + trendDot(c, trend, n, i)
        : Number.NEGATIVE_INFINITY;
      logits[i] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = Number.isFinite(logits[i]) ? Math.exp(logits[i] - max) : 0;
      logits[i] = e;
      sum += e;
    }
    const target = targets[s];
    const targetLogit = (1 + c[0]) * row[target] + trendDot(c, trend, n, target);
    total += max + Math.log(sum) - targetLogit;
    dCoefficients.fill(0);
    for (let i = 0; i < n; i++) {
      const p = logits[i] / sum;
      if (p === 0) continue;
      dCoefficients[0] += p * row[i];
      for (let f = 0; f < features; f++) dCoefficients[f + 1] += p * trend[f * n + i];
    }
    dCoefficients[0] -= row[target];
    for (let f = 0; f < features; f++) dCoefficients[f + 1] -= trend[f * n + target];
    for (let r = 0; r < rows; r++)
      for (let k = 0; k < TIME_CONTEXT_SIZE; k++)
        grad[r * TIME_CONTEXT_SIZE + k] += dCoefficients[r] * context[k];
  }
  for (let k = 0; k < grad.length; k++) grad[k] /= Math.max(count, 1);
  return total / Math.max(count, 1);
}

function trendDot(c: Float64Array, trend: Float32Array, n: number, item: number): number {
  let sum = 0;
  for (let f = 0; f + 1 < c.length; f++) sum += c[f + 1] * trend[f * n + item];
  return sum;
}

/**
 * NDCG@10 of the samples' targets ranked by the model's scores with the head (`kernel`), or alone
 * (null); a tie counts half ahead.
 */
export function samplesNdcgAt10(samples: TimeHeadSamples, kernel: Float32Array | null): number {
  const { scores, targets, contexts, trends, trendOf, nItems: n } = samples;
  const row = new Float32Array(n);
  let sum = 0;
  for (let s = 0; s < targets.length; s++) {
    row.set(scores.subarray(s * n, (s + 1) * n));
    if (kernel)
      applyTimeHead(
        kernel,
        contexts.subarray(s * TIME_CONTEXT_SIZE, (s + 1) * TIME_CONTEXT_SIZE),
        trends[trendOf[s]],
        row,
      );
    const target = row[targets[s]];
    let greater = 0;
    let equal = 0;
    for (let i = 0; i < n; i++) {
      if (i === targets[s] || !Number.isFinite(row[i])) continue;
      if (row[i] > target) greater++;
      else if (row[i] === target) equal++;
    }
    const rank = greater + equal / 2;
    if (rank < 10) sum += 1 / Math.log2(rank + 2);
  }
  return targets.length ? sum / targets.length : 0;
}
