/** The model page: what is served, its validation figures beside the registered models, its training curve. */
import { api, type ModelResponse } from '../api.js';
import { trainingChart } from '../charts/training-chart.js';
import { errorLine, fill, h, panel } from '../dom.js';
import { decimal, when } from '../format.js';

type Model = NonNullable<ModelResponse['model']>;

export async function renderModelPage(main: HTMLElement): Promise<() => void> {
  fill(main, h('h1', {}, 'Model'), h('p', { class: 'muted' }, 'Loading…'));
  let answer: ModelResponse;
  try {
    answer = await api.model();
  } catch (error) {
    fill(main, h('h1', {}, 'Model'), errorLine(error));
    return () => {};
  }
  const { model, registered } = answer;
  if (!model) {
    fill(
      main,
      h('h1', {}, 'Model'),
      h('p', {}, 'No model is served: recommendations come from popularity only.'),
    );
    return () => {};
  }
  const chart = trainingChart(model.training.history);
  fill(
    main,
    h('h1', {}, `Model ${model.id}`),
    h(
      'div',
      { class: 'model-grid' },
      panel('model-summary', 'Summary', summary(model)),
      panel('model-metrics', 'Offline metrics', metricsTable(model, registered)),
      panel(
        'model-training',
        'Training curve',
        model.training.history.length > 0
          ? chart.element
          : h('p', { class: 'muted' }, 'The manifest holds no training history.'),
        !model.training.history.some((e) => e.validation) &&
          h('p', { class: 'muted' }, 'This run had no validation split: only the loss was recorded.'),
      ),
    ),
  );
  if (model.training.history.length > 0) chart.mount();
  return chart.dispose;
}

function summary(model: Model): HTMLElement {
  const rows: [string, string][] = [
    ['Family', model.family],
    ['Created', when(Date.parse(model.createdAt))],
    [
      'Trained on',
      `${model.dataset.dataset}: ${model.dataset.users} users, ${model.dataset.items} items, ${model.dataset.events} events`,
    ],
    ['Category head', model.categories > 0 ? `${model.categories} categories` : 'none'],
    [
      'Epochs',
      `${model.training.epochs ?? model.training.history.length}${model.training.bestEpoch ? ` (best: ${model.training.bestEpoch})` : ''}`,
    ],
    ['Stopped', model.training.stopped ?? '–'],
    ['Training time', model.training.seconds === undefined ? '–' : `${model.training.seconds.toFixed(0)} s`],
  ];
  const gate = model.training.gate;
  if (gate) rows.push(['Short-term share a', gateSummary(gate)]);
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** a's spread on validation and what the gate check decided. */
function gateSummary(gate: NonNullable<Model['training']['gate']>): string {
  const spread = `p10 / p50 / p90 ${[gate.p10, gate.p50, gate.p90].map((a) => decimal(a, 2)).join(' / ')} over ${gate.cases} validation cases`;
  const ranking = `NDCG@10 ${decimal(gate.ndcgLearned, 4)} as learned, ${decimal(gate.ndcgFixed, 4)} held at its mean`;
  return gate.kept
    ? `${spread}; ${ranking}: reported with every answer`
    : `${spread}; ${ranking}: no better than a constant, so held at ${decimal(gate.mean, 2)} and not reported`;
}

function metricsTable(model: Model, registered: ModelResponse['registered']): HTMLElement {
  const others = registered.filter((r) => r.id !== model.id);
  const rows = [
    // the registry's figures too (a worker's: the latest slice, and the model it was compared with)
    {
      id: model.id,
      family: model.family,
      metrics: { ...model.metrics, ...registered.find((r) => r.id === model.id)?.metrics },
      note: 'served',
    },
    ...others.map((r) => ({ ...r, note: r.active ? 'registered, active' : 'registered' })),
  ];
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const col = (text: string) => h('th', { attrs: { scope: 'col' } }, text);
  return h(
    'div',
    {},
    h(
      'table',
      {},
      h(
        'caption',
        { class: 'visually-hidden' },
        'Validation metrics of the served model and the registered models',
      ),
      h('thead', {}, h('tr', {}, col('Model'), col('Id'), ...names.map(col))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            { class: r.note === 'served' ? 'served' : '' },
            h('th', { attrs: { scope: 'row' } }, `${r.family} (${r.note})`),
            h('td', { class: 'small' }, r.id),
            ...names.map((n) => h('td', {}, r.metrics[n] === undefined ? '–' : decimal(r.metrics[n], 4))),
          ),
        ),
      ),
    ),
    names.length === 0 &&
      h(
        'p',
        { class: 'muted' },
        'No validation metrics were saved with these models (trained without a validation split).',
      ),
    others.length === 0 &&
      h('p', { class: 'muted' }, 'No other model is registered in the store to compare with.'),
  );
}
