import { InputError } from '../errors.js';
import { toBinary, toScores } from './labels.js';
import type { MetricLabel } from './labels.js';

/** Options of the ranking metrics. */
export interface RankingOptions {
  /** The label counted as positive; default 1 (or true). */
  positiveLabel?: MetricLabel;
}

/** Points of a ROC curve, in scikit-learn's `roc_curve` order (thresholds decreasing). */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
}

/** Points of a precision-recall curve, in scikit-learn's `precision_recall_curve` order (recall decreasing). */
export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  /** One fewer than precision/recall: the last point (precision 1, recall 0) has no threshold. */
  thresholds: Float64Array;
}

/** Cumulative false/true positive counts at each distinct score, highest score first. */
interface ClfCurve {
  fps: Float64Array;
  tps: Float64Array;
  thresholds: Float64Array;
}

function clfCurve(yTrue: ArrayLike<MetricLabel>, scores: ArrayLike<number>, positiveLabel: MetricLabel | undefined): ClfCurve {
  const t = toBinary(yTrue, positiveLabel, 'yTrue');
  const s = toScores(scores, t.length);
  if (t.length === 0) throw new InputError('no rows to score');
  // Stable descending order, as numpy's reversed mergesort argsort (ties: later rows first).
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[b] - s[a] || b - a);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let j = 0; j < order.length; j++) {
    tp += t[order[j]];
    if (j === order.length - 1 || s[order[j + 1]] !== s[order[j]]) {
      tps.push(tp);
      fps.push(j + 1 - tp);
      thresholds.push(s[order[j]]);
    }
  }
  return { fps: Float64Array.from(fps), tps: Float64Array.from(tps), thresholds: Float64Array.from(thresholds) };
}

/**
 * scikit-learn 1.2's `roc_curve` with `drop_intermediate=True`: collinear points dropped,
 * a first point (0, 0) added with threshold `max score + 1`.
 *
 * @example
 * rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
 * // => { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [1.8, 0.8, 0.4, 0.35, 0.1] }
 */
export function rocCurve(yTrue: ArrayLike<MetricLabel>, scores: ArrayLike<number>, options: RankingOptions = {}): RocCurve {
  let { fps, tps, thresholds } = clfCurve(yTrue, scores, options.positiveLabel);
  if (fps.length > 2) {
    const keep: number[] = [0];
    for (let i = 1; i < fps.length - 1; i++) {
      if (fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0) keep.push(i);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (i) => fps[i]);
    tps = Float64Array.from(keep, (i) => tps[i]);
    thresholds = Float64Array.from(keep, (i) => thresholds[i]);
  }
  const n = fps.length + 1;
  const fpr = new Float64Array(n);
  const tpr = new Float64Array(n);
  const thr = new Float64Array(n);
  const negatives = fps[fps.length - 1];
  const positives = tps[tps.length - 1];
  thr[0] = thresholds[0] + 1;
  for (let i = 1; i < n; i++) {
    fpr[i] = negatives > 0 ? fps[i - 1] / negatives : NaN;
    tpr[i] = positives > 0 ? tps[i - 1] / positives : NaN;
    thr[i] = thresholds[i - 1];
  }
  if (!(negatives > 0)) fpr[0] = NaN;
  if (!(positives > 0)) tpr[0] = NaN;
  return { fpr, tpr, thresholds: thr };
}

/**
 * Area under a curve by the trapezoidal rule (`sklearn.metrics.auc`); x must be monotonic.
 *
 * @example
 * trapezoidArea([0, 0.5, 1], [0, 0.75, 1]) // => 0.625
 */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length || x.length < 2) throw new InputError('need at least 2 points with as many x as y');
  let direction = 1;
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < x.length; i++) {
    if (x[i] < x[i - 1]) increasing = false;
    if (x[i] > x[i - 1]) decreasing = false;
  }
  if (!increasing) {
    if (decreasing) direction = -1;
    else throw new InputError('x is neither increasing nor decreasing');
  }
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return direction * area;
}

function requireBothClasses(yTrue: ArrayLike<MetricLabel>, positiveLabel: MetricLabel | undefined, what: string): void {
  const t = toBinary(yTrue, positiveLabel, 'yTrue');
  let pos = 0;
  for (let i = 0; i < t.length; i++) pos += t[i];
  if (pos === 0 || pos === t.length) throw new InputError(`${what} is undefined when yTrue holds only one class`);
}

/**
 * Area under the ROC curve, equal to scikit-learn's binary `roc_auc_score`.
 *
 * @example
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // => 0.75
 */
export function rocAuc(yTrue: ArrayLike<MetricLabel>, scores: ArrayLike<number>, options: RankingOptions = {}): number {
  requireBothClasses(yTrue, options.positiveLabel, 'ROC AUC');
  const { fpr, tpr } = rocCurve(yTrue, scores, options);
  return trapezoidArea(fpr, tpr);
}

/**
 * scikit-learn 1.2's `precision_recall_curve`: one point per distinct score, then (precision 1, recall 0).
 *
 * @example
 * precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
 * // => { precision: [0.5, 0.667, 0.5, 1, 1], recall: [1, 1, 0.5, 0.5, 0], thresholds: [0.1, 0.35, 0.4, 0.8] }
 */
export function precisionRecallCurve(yTrue: ArrayLike<MetricLabel>, scores: ArrayLike<number>, options: RankingOptions = {}): PrecisionRecallCurve {
  const { fps, tps, thresholds } = clfCurve(yTrue, scores, options.positiveLabel);
  const m = tps.length;
  const positives = tps[m - 1];
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const thr = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const src = m - 1 - i;
    const predicted = tps[src] + fps[src];
    precision[i] = predicted !== 0 ? tps[src] / predicted : 0;
    recall[i] = positives === 0 ? 1 : tps[src] / positives;
    thr[i] = thresholds[src];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: thr };
}

/**
 * Average precision, equal to scikit-learn's `average_precision_score`: Σ (Rₙ − Rₙ₋₁) · Pₙ.
 *
 * @example
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // => 0.8333333333333333
 */
export function averagePrecision(yTrue: ArrayLike<MetricLabel>, scores: ArrayLike<number>, options: RankingOptions = {}): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores, options);
  let sum = 0;
  for (let i = 0; i < recall.length - 1; i++) sum += (recall[i + 1] - recall[i]) * precision[i];
  return -sum;
}

/**
 * Area under the precision-recall curve by the trapezoidal rule, as
 * `auc(recall, precision)` in scikit-learn (optimistic next to {@link averagePrecision}).
 *
 * @example
 * prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // => 0.7916666666666666
 */
export function prAuc(yTrue: ArrayLike<MetricLabel>, scores: ArrayLike<number>, options: RankingOptions = {}): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores, options);
  return trapezoidArea(recall, precision);
}
