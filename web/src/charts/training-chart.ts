/** The training curve: mean loss per epoch (left axis) and validation NDCG@10 (right axis). */
import type { ModelResponse } from '../api.js';
import { h } from '../dom.js';
import { decimal } from '../format.js';
import { axis, mountPlot } from './plot.js';

type Epoch = NonNullable<ModelResponse['model']>['training']['history'][number];

export const METRIC = 'NDCG@10';

/**
 * @example
 * const { element, mount, dispose } = trainingChart(model.training.history);
 * container.append(element); mount();
 */
export function trainingChart(history: readonly Epoch[]) {
  const element = h('div', {
    class: 'plot',
    attrs: { role: 'img', 'aria-label': describe(history) },
  });
  const validated = history.some((e) => e.validation?.[METRIC] !== undefined);
  let dispose = () => {};
  const mount = () => {
    dispose = mountPlot(
      element,
      {
        height: 240,
        legend: { show: true },
        scales: { x: { time: false }, ndcg: { range: (_u, _min, max) => [0, Math.max(max, 0.01) * 1.1] } },
        axes: [
          axis('epoch', { incrs: [1, 2, 5, 10, 20, 50, 100] }),
          axis('loss'),
          ...(validated
            ? [axis(`validation ${METRIC}`, { scale: 'ndcg', side: 1, grid: { show: false } })]
            : []),
        ],
        series: [
          { label: 'epoch' },
          { label: 'loss', stroke: '#b2182b', width: 2 },
          ...(validated
            ? [{ label: `validation ${METRIC}`, stroke: '#2166ac', width: 2, scale: 'ndcg', spanGaps: true }]
            : []),
        ],
      },
      [
        history.map((e) => e.epoch),
        history.map((e) => e.loss),
        ...(validated ? [history.map((e) => e.validation?.[METRIC] ?? null)] : []),
      ],
    );
  };
  return { element, mount, dispose: () => dispose() };
}

function describe(history: readonly Epoch[]): string {
  if (history.length === 0) return 'No training history';
  const first = history[0];
  const last = history[history.length - 1];
  const best = history.reduce<Epoch | null>(
    (b, e) => ((e.validation?.[METRIC] ?? -1) > (b?.validation?.[METRIC] ?? -1) ? e : b),
    null,
  );
  const bestText = best?.validation
    ? `; best validation ${METRIC} ${decimal(best.validation[METRIC] ?? 0)} at epoch ${best.epoch}`
    : '';
  return `Loss from ${decimal(first.loss)} at epoch ${first.epoch} to ${decimal(last.loss)} at epoch ${last.epoch}${bestText}.`;
}
