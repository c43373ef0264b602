import { InputError } from '../errors.js';
import type { MetricLabel } from './labels.js';

/** Rows are true labels, columns predicted labels, both in `labels` order. */
export interface ConfusionMatrix {
  labels: MetricLabel[];
  matrix: number[][];
}

function sortLabels(values: MetricLabel[]): MetricLabel[] {
  return values.sort((a, b) => {
    if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
    return Number(a) - Number(b);
  });
}

/**
 * scikit-learn's `confusion_matrix`: `matrix[i][j]` counts rows whose true label is
 * `labels[i]` and predicted label is `labels[j]`. Labels default to the sorted union.
 *
 * @example
 * confusionMatrix([0, 1, 1, 0], [0, 1, 0, 0]) // => { labels: [0, 1], matrix: [[2, 0], [1, 1]] }
 */
export function confusionMatrix(yTrue: ArrayLike<MetricLabel>, yPred: ArrayLike<MetricLabel>, labels?: readonly MetricLabel[]): ConfusionMatrix {
  if (yTrue.length !== yPred.length) throw new InputError(`yTrue has ${yTrue.length} labels, yPred has ${yPred.length}`);
  const kinds = new Set<string>();
  for (let i = 0; i < yTrue.length; i++) kinds.add(typeof yTrue[i]).add(typeof yPred[i]);
  if (kinds.size > 1) throw new InputError('yTrue and yPred must hold labels of one type');
  const list = labels ? [...labels] : sortLabels([...new Set([...Array.from(yTrue), ...Array.from(yPred)])]);
  if (list.length === 0) throw new InputError('no labels to count');
  const index = new Map<MetricLabel, number>(list.map((l, i) => [l, i]));
  if (index.size !== list.length) throw new InputError('labels must be distinct');
  const matrix = list.map(() => new Array<number>(list.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined && p !== undefined) matrix[t][p]++;
  }
  return { labels: list, matrix };
}
