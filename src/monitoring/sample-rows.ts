import { InputError } from '../errors.js';
import { seededRandom } from '../forest/random.js';

/**
 * Row indices of a uniform sample of `k` rows out of `n`, without replacement, in row order:
 * Knuth's selection sampling (Algorithm S), one pass, driven by the library's seeded
 * xoshiro128** so a seed gives the same rows on every machine. `k ≥ n` returns every row.
 *
 * @example
 * sampleRowIndices(10_000_000, 1_000_000, 17).length // => 1000000
 */
export function sampleRowIndices(n: number, k: number, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k) || k < 1) {
    throw new InputError(`sample size must be a positive integer (got ${k} of ${n})`);
  }
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = seededRandom(seed);
  const out = new Int32Array(k);
  let chosen = 0;
  for (let i = 0; i < n && chosen < k; i++) {
    // Row i is taken with probability (still needed) / (still left).
    if ((n - i) * rng.nextDouble() < k - chosen) out[chosen++] = i;
  }
  return out;
}
