import { InputError } from '../errors.js';

/** A label as metrics accept it: 0/1, true/false, or any number or string with `positiveLabel` set. */
export type MetricLabel = number | string | boolean;

/**
 * Turns labels into 1 (positive) / 0 (negative). The positive label defaults to `1`
 * (or `true` for boolean labels), as scikit-learn's `pos_label=1`.
 *
 * @example
 * toBinary(['buy', 'no', 'buy'], 'buy', 'yTrue') // => Uint8Array [1, 0, 1]
 */
export function toBinary(labels: ArrayLike<MetricLabel>, positiveLabel: MetricLabel | undefined, what: string): Uint8Array {
  if (labels === null || typeof labels !== 'object' || !Number.isInteger(labels.length)) throw new InputError(`${what} must be an array of labels`);
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    const positive = positiveLabel === undefined ? (typeof v === 'boolean' ? true : 1) : positiveLabel;
    if (positiveLabel === undefined && !(v === 0 || v === 1 || typeof v === 'boolean')) {
      throw new InputError(`${what}[${i}] is ${JSON.stringify(v)}: labels other than 0/1 or booleans need a positiveLabel`);
    }
    out[i] = v === positive ? 1 : 0;
  }
  return out;
}

/**
 * Checks that scores are finite numbers, as many as the labels.
 *
 * @example
 * toScores([0.2, 0.9], 2) // => Float64Array [0.2, 0.9]
 */
export function toScores(scores: ArrayLike<number>, length: number, what = 'scores'): Float64Array {
  if (scores === null || typeof scores !== 'object' || !Number.isInteger(scores.length)) throw new InputError(`${what} must be an array of numbers`);
  if (scores.length !== length) throw new InputError(`${what} has ${scores.length} values, yTrue has ${length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) throw new InputError(`${what}[${i}] is ${String(s)}, expected a finite number`);
    out[i] = s;
  }
  return out;
}
