import { InputError } from '../errors.js';
import { Table } from '../features/table.js';
import { f1Score, precision, recall } from '../metrics/classification.js';
import { rocAuc } from '../metrics/ranking.js';
import { driftReport, type DriftOptions, type DriftReport } from './drift-report.js';

/**
 * The parts of a logged prediction that monitoring reads: the prediction log's
 * `PredictionRecord` (retail-ml/adapters/log) has this shape, so records go in as read.
 */
export interface LoggedPrediction {
  id: string;
  timestamp: string;
  features?: { names: string[]; values: (number | null)[] };
  top: { label: string; probability: number }[];
}

/** A time window [from, to) over prediction timestamps (ISO strings or epoch ms). */
export interface TimeWindow {
  from: string | number | Date;
  to: string | number | Date;
}

/** What actually happened for a logged prediction, joined to it by `id`. */
export interface Outcome {
  id: string;
  label: string;
}

/** The metrics of one window, with their change against the baseline window. */
export interface WindowHealth {
  window: { from: string; to: string };
  predictions: number;
  /** Predictions with an outcome. */
  labelled: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  rocAuc: number | null;
  /** Current minus baseline, per metric (null where either is unknown). */
  change: { precision: number | null; recall: number | null; f1: number | null; rocAuc: number | null };
}

/** Options of {@link modelHealth}. */
export interface ModelHealthOptions {
  /** The outcome label that counts as positive (default `'1'`). */
  positiveLabel?: string;
  /** The window to compare against (default the first of `windows`). */
  baseline?: TimeWindow;
}

/**
 * The predictions whose timestamp falls in [from, to).
 *
 * @example
 * predictionsIn(records, { from: '2025-01-01', to: '2025-02-01' }).length
 */
export function predictionsIn(records: readonly LoggedPrediction[], window: TimeWindow): LoggedPrediction[] {
  const [from, to] = bounds(window);
  return records.filter((r) => {
    const t = Date.parse(r.timestamp);
    return t >= from && t < to;
  });
}

/**
 * The model's outputs in a window as a table: the top label, its probability, and the scored
 * features (columns named after `features.names`), for {@link driftReport}.
 *
 * @example
 * predictionTable(records).columnNames // => ['label', 'probability', 'recency', ...]
 */
export function predictionTable(records: readonly LoggedPrediction[], options: { features?: boolean } = {}): Table {
  const names = options.features === false ? [] : [...new Set(records.flatMap((r) => r.features?.names ?? []))].filter((n) => n !== 'label' && n !== 'probability');
  const columns = new Map<string, Float64Array>(names.map((n) => [n, new Float64Array(records.length).fill(NaN)]));
  const labels: (string | null)[] = [];
  const probabilities = new Float64Array(records.length);
  records.forEach((r, i) => {
    labels.push(r.top?.[0]?.label ?? null);
    probabilities[i] = r.top?.[0]?.probability ?? NaN;
    r.features?.names.forEach((n, k) => {
      const v = r.features?.values[k];
      const column = columns.get(n);
      if (column && typeof v === 'number') column[i] = v;
    });
  });
  return Table.fromColumns([
    ['label', { kind: 'string', values: labels }],
    ['probability', { kind: 'number', values: probabilities }],
    ...names.map((n) => [n, { kind: 'number' as const, values: columns.get(n)! }] as const),
  ]);
}

/**
 * Prediction drift: the model's outputs (and scored features) in the current window against
 * a reference window, with the same tests as {@link driftReport}.
 *
 * @example
 * predictionDrift(records, { from: '2025-01-01', to: '2025-02-01' }, { from: '2025-06-01', to: '2025-07-01' }).datasetDrift
 */
export function predictionDrift(records: readonly LoggedPrediction[], reference: TimeWindow, current: TimeWindow, options: DriftOptions & { features?: boolean } = {}): DriftReport {
  const ref = predictionsIn(records, reference);
  const cur = predictionsIn(records, current);
  if (ref.length === 0) throw new InputError('no predictions in the reference window');
  if (cur.length === 0) throw new InputError('no predictions in the current window');
  return driftReport(predictionTable(ref, options), predictionTable(cur, options), options);
}

/**
 * Precision, recall, F1 and ROC AUC per window once outcomes arrive, joined to the logged
 * predictions by id, and each window's change against the baseline. The predicted label is
 * the top label; the score is the probability given to the positive label (1 − the top
 * probability when the top label is another one and the positive label is not listed).
 * A metric a window cannot define (no labelled rows, one class only) is null, never NaN.
 *
 * @example
 * modelHealth(records, outcomes, [{ from: '2025-01-01', to: '2025-02-01' }, { from: '2025-02-01', to: '2025-03-01' }], { positiveLabel: 'buy' })
 */
export function modelHealth(records: readonly LoggedPrediction[], outcomes: readonly Outcome[], windows: readonly TimeWindow[], options: ModelHealthOptions = {}): WindowHealth[] {
  if (windows.length === 0) throw new InputError('modelHealth needs at least one window');
  const positive = options.positiveLabel ?? '1';
  const truth = new Map<string, string>();
  for (const o of outcomes) {
    if (!o || typeof o.id !== 'string' || typeof o.label !== 'string') throw new InputError('every outcome needs a string id and label');
    truth.set(o.id, o.label);
  }
  const measure = (window: TimeWindow) => metricsOf(predictionsIn(records, window), truth, positive, window);
  const base = measure(options.baseline ?? windows[0]);
  return windows.map((w) => {
    const m = measure(w);
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
    m.change = { precision: diff(m.precision, base.precision), recall: diff(m.recall, base.recall), f1: diff(m.f1, base.f1), rocAuc: diff(m.rocAuc, base.rocAuc) };
    return m;
  });
}

function metricsOf(records: readonly LoggedPrediction[], truth: ReadonlyMap<string, string>, positive: string, window: TimeWindow): WindowHealth {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const scores: number[] = [];
  for (const r of records) {
    const actual = truth.get(r.id);
    const top = r.top?.[0];
    if (actual === undefined || !top) continue;
    yTrue.push(actual === positive ? 1 : 0);
    yPred.push(top.label === positive ? 1 : 0);
    const listed = r.top.find((t) => t.label === positive);
    scores.push(listed ? listed.probability : 1 - top.probability);
  }
  const [from, to] = bounds(window);
  const n = yTrue.length;
  const hasBoth = yTrue.includes(1) && yTrue.includes(0);
  return {
    window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    predictions: records.length,
    labelled: n,
    precision: n && yPred.includes(1) ? precision(yTrue, yPred) : null,
    recall: n && yTrue.includes(1) ? recall(yTrue, yPred) : null,
    f1: n && (yTrue.includes(1) || yPred.includes(1)) ? f1Score(yTrue, yPred) : null,
    rocAuc: hasBoth ? rocAuc(yTrue, scores) : null,
    change: { precision: null, recall: null, f1: null, rocAuc: null },
  };
}

function bounds(window: TimeWindow): [number, number] {
  const ms = (v: string | number | Date, what: string) => {
    const t = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
    if (!Number.isFinite(t)) throw new InputError(`window ${what} is not a date: ${String(v)}`);
    return t;
  };
  const from = ms(window?.from, 'start');
  const to = ms(window?.to, 'end');
  if (!(from < to)) throw new InputError('a window must start before it ends');
  return [from, to];
}
