import { InputError } from '../errors.js';
import { toBinary } from './labels.js';
import type { MetricLabel } from './labels.js';

/** Options of the binary metrics. */
export interface BinaryMetricOptions {
  /** The label counted as positive; default 1 (or true). */
  positiveLabel?: MetricLabel;
}

/** True/false positives/negatives of a binary prediction. */
export interface BinaryCounts {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/**
 * Counts of a binary prediction against the truth.
 *
 * @example
 * binaryCounts([1, 0, 1, 1], [1, 1, 0, 1]) // => { truePositives: 2, falsePositives: 1, trueNegatives: 0, falseNegatives: 1 }
 */
export function binaryCounts(yTrue: ArrayLike<MetricLabel>, yPred: ArrayLike<MetricLabel>, options: BinaryMetricOptions = {}): BinaryCounts {
  if (yTrue.length !== yPred.length) throw new InputError(`yTrue has ${yTrue.length} labels, yPred has ${yPred.length}`);
  const t = toBinary(yTrue, options.positiveLabel, 'yTrue');
  const p = toBinary(yPred, options.positiveLabel, 'yPred');
  const counts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < t.length; i++) {
    if (p[i]) t[i] ? counts.truePositives++ : counts.falsePositives++;
    else t[i] ? counts.falseNegatives++ : counts.trueNegatives++;
  }
  return counts;
}

/**
 * Share of predicted positives that are positive; 0 when nothing is predicted positive
 * (scikit-learn's `zero_division` default result, without the warning).
 *
 * @example
 * precision([1, 0, 1, 1], [1, 1, 0, 1]) // => 0.6666666666666666
 */
export function precision(yTrue: ArrayLike<MetricLabel>, yPred: ArrayLike<MetricLabel>, options: BinaryMetricOptions = {}): number {
  const c = binaryCounts(yTrue, yPred, options);
  const predicted = c.truePositives + c.falsePositives;
  return predicted === 0 ? 0 : c.truePositives / predicted;
}

/**
 * Share of positives that are predicted positive; 0 when there are no positives.
 *
 * @example
 * recall([1, 0, 1, 1], [1, 1, 0, 1]) // => 0.6666666666666666
 */
export function recall(yTrue: ArrayLike<MetricLabel>, yPred: ArrayLike<MetricLabel>, options: BinaryMetricOptions = {}): number {
  const c = binaryCounts(yTrue, yPred, options);
  const actual = c.truePositives + c.falseNegatives;
  return actual === 0 ? 0 : c.truePositives / actual;
}

/**
 * Harmonic mean of precision and recall, computed as scikit-learn 1.2 does (2·p·r / (p + r)); 0 when undefined.
 *
 * @example
 * f1Score([1, 0, 1, 1], [1, 1, 0, 1]) // => 0.6666666666666666
 */
export function f1Score(yTrue: ArrayLike<MetricLabel>, yPred: ArrayLike<MetricLabel>, options: BinaryMetricOptions = {}): number {
  const c = binaryCounts(yTrue, yPred, options);
  const p = c.truePositives + c.falsePositives === 0 ? 0 : c.truePositives / (c.truePositives + c.falsePositives);
  const r = c.truePositives + c.falseNegatives === 0 ? 0 : c.truePositives / (c.truePositives + c.falseNegatives);
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/**
 * Share of exactly matching labels (any label type).
 *
 * @example
 * accuracy(['a', 'b', 'b'], ['a', 'b', 'a']) // => 0.6666666666666666
 */
export function accuracy(yTrue: ArrayLike<MetricLabel>, yPred: ArrayLike<MetricLabel>): number {
  if (yTrue.length !== yPred.length) throw new InputError(`yTrue has ${yTrue.length} labels, yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw new InputError('accuracy of no rows is undefined');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}
