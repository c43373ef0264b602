import { InputError } from '../errors.js';

/**
 * The first Wasserstein (earth mover's) distance between two samples (scipy's
 * `wasserstein_distance(a, b)`): ∫ |F_a − F_b|, summed exactly between consecutive values of
 * the pooled sample. Pass `sorted` when both inputs are already sorted ascending.
 *
 * @example
 * wassersteinDistance([0, 1, 3], [5, 6, 8]) // => 5
 */
export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>, sorted = false): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new InputError('the Wasserstein distance needs values on both sides');
  const x = sorted ? a : Float64Array.from(a).sort();
  const y = sorted ? b : Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let previous = Math.min(x[0], y[0]);
  // Neumaier summation: a million small positive areas would otherwise drift in the last digits.
  let sum = 0;
  let carry = 0;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
    const term = Math.abs(i / n1 - j / n2) * (v - previous);
    const t = sum + term;
    carry += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    previous = v;
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
  }
  const result = sum + carry;
  if (!Number.isFinite(result)) throw new InputError('the Wasserstein distance needs finite numbers');
  return result;
}

/**
 * The population standard deviation (numpy's `np.std`, ddof = 0).
 *
 * @example
 * populationStd([1, 2, 3, 4]) // ≈ 1.118033988749895
 */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / n);
}
