import { InputError } from '../errors.js';

/**
 * The Jensen–Shannon distance (natural log) between two discrete distributions, as scipy's
 * `spatial.distance.jensenshannon(p, q)`: both are normalised to sum 1 first, and
 * the result is the square root of the divergence.
 *
 * @example
 * jensenShannonDistance([1, 0], [0, 1]) // => Math.sqrt(Math.LN2)
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  if (p.length !== q.length || p.length === 0) throw new InputError('Jensen–Shannon needs two distributions of equal length');
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  if (!(sp > 0 && sq > 0)) throw new InputError('Jensen–Shannon needs distributions with positive mass');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) left += a * Math.log(a / m);
    if (b > 0) right += b * Math.log(b / m);
  }
  // Rounding can leave the divergence a hair below zero for identical inputs.
  return Math.sqrt(Math.max(0, (left + right) / 2));
}
