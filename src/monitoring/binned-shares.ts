import { InputError } from '../errors.js';

/**
 * The edges numpy's `np.histogram_bin_edges(values, bins)` gives: `bins` equal-width bins
 * from the minimum to the maximum (±0.5 around a single value), the last edge exactly the
 * maximum.
 *
 * @example
 * histogramEdges(0, 3, 3) // => Float64Array [0, 1, 2, 3]
 */
export function histogramEdges(min: number, max: number, bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) throw new InputError(`bins must be a positive integer, got ${bins}`);
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new InputError('histogram range must be finite');
  let lo = min;
  let hi = max;
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (hi - lo) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + lo;
  edges[bins] = hi;
  return edges;
}

/**
 * Counts of `values` in the bins (numpy's `np.histogram(values, edges)`): [eᵢ, eᵢ₊₁), the last
 * bin closed; values outside the edges are not counted.
 *
 * @example
 * histogramCounts([0, 1, 2, 3], Float64Array.of(0, 1.5, 3)) // => Float64Array [2, 2]
 */
export function histogramCounts(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const lo = edges[0];
  const hi = edges[bins];
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!(v >= lo && v <= hi)) continue;
    if (v === hi) {
      counts[bins - 1]++;
      continue;
    }
    // Binary search for the last edge ≤ v: the arithmetic guess can be off by one at an edge.
    let a = 0;
    let b = bins;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (edges[mid] <= v) a = mid;
      else b = mid;
    }
    counts[a]++;
  }
  return counts;
}

/**
 * Shares with every empty share replaced by `floor` (Evidently's guard, so the PSI's
 * logarithm stays finite).
 *
 * @example
 * floorShares([0.5, 0.5, 0], 0.0001) // => [0.5, 0.5, 0.0001]
 */
export function floorShares(shares: readonly number[], floor: number): number[] {
  return shares.map((s) => (s === 0 ? floor : s));
}
