import { InputError } from '../errors.js';
import type { MetricLabel } from './labels.js';

/**
 * Cross-entropy loss, equal to scikit-learn 1.2's `log_loss` with `eps='auto'`: probabilities
 * clipped to [ε, 1 − ε] (ε = 2⁻⁵²), rows renormalised, mean of −log p(true class).
 *
 * `proba` is either one probability per row (of the positive class, binary labels) or a
 * row-major `rows × labels` matrix (flat array) for `labels` in sorted order.
 *
 * @example
 * logLoss([0, 1, 1], [0.1, 0.8, 0.6]) // => 0.3190375754...
 * logLoss(['a', 'b'], [0.9, 0.1, 0.2, 0.8], { labels: ['a', 'b'] }) // rows × 2
 */
export function logLoss(yTrue: ArrayLike<MetricLabel>, proba: ArrayLike<number>, options: { labels?: readonly MetricLabel[] } = {}): number {
  const n = yTrue.length;
  if (n === 0) throw new InputError('log loss of no rows is undefined');
  const labels = options.labels
    ? [...options.labels]
    : [...new Set(Array.from(yTrue))].sort((a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : Number(a) - Number(b)));
  if (labels.length < 2) throw new InputError(`yTrue contains only one label (${String(labels[0])}); pass the labels explicitly`);
  const index = new Map<MetricLabel, number>(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const binaryColumn = proba.length === n;
  if (!binaryColumn && proba.length !== n * k) throw new InputError(`proba has ${proba.length} values, expected ${n} or ${n} × ${k}`);
  if (binaryColumn && k !== 2) throw new InputError(`one probability per row needs 2 labels, got ${k}`);
  const eps = 2.220446049250313e-16;
  const clip = (p: number) => (p < eps ? eps : p > 1 - eps ? 1 - eps : p);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = index.get(yTrue[i]);
    if (c === undefined) throw new InputError(`yTrue[${i}] = ${JSON.stringify(yTrue[i])} is not among the labels`);
    let p: number;
    let sum: number;
    if (binaryColumn) {
      const q = proba[i];
      if (typeof q !== 'number' || Number.isNaN(q)) throw new InputError(`proba[${i}] is not a number`);
      const p1 = clip(q);
      const p0 = 1 - p1;
      sum = p0 + p1;
      p = c === 1 ? p1 : p0;
    } else {
      sum = 0;
      p = 0;
      for (let j = 0; j < k; j++) {
        const q = proba[i * k + j];
        if (typeof q !== 'number' || Number.isNaN(q)) throw new InputError(`proba[${i * k + j}] is not a number`);
        const v = clip(q);
        sum += v;
        if (j === c) p = v;
      }
    }
    total += -Math.log(p / sum);
  }
  return total / n;
}
