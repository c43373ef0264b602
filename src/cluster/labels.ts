import { InputError } from '../errors.js';

/** Labels re-coded 0..n-1 in sorted order of the distinct values (scikit-learn's LabelEncoder). */
export interface EncodedLabels {
  codes: Int32Array;
  classes: (number | string)[];
  counts: Int32Array;
}

/**
 * Encodes cluster labels (numbers or strings, not a mix) as 0..n-1 in sorted order.
 *
 * @example
 * encodeLabels(['b', 'a', 'b']).codes // => Int32Array [1, 0, 1]
 */
export function encodeLabels(labels: ArrayLike<number | string>): EncodedLabels {
  const n = labels.length;
  if (n === 0) return { codes: new Int32Array(0), classes: [], counts: new Int32Array(0) };
  const kind = typeof labels[0];
  const distinct = new Set<number | string>();
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (typeof v !== kind || (kind !== 'number' && kind !== 'string')) throw new InputError(`labels: item ${i} is not a ${kind}`);
    if (typeof v === 'number' && Number.isNaN(v)) throw new InputError(`labels: item ${i} is NaN`);
    distinct.add(v);
  }
  const classes = [...distinct].sort((a, b) => (kind === 'number' ? (a as number) - (b as number) : a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<number | string, number>();
  classes.forEach((c, i) => index.set(c, i));
  const codes = new Int32Array(n);
  const counts = new Int32Array(classes.length);
  for (let i = 0; i < n; i++) {
    codes[i] = index.get(labels[i])!;
    counts[codes[i]]++;
  }
  return { codes, classes, counts };
}
