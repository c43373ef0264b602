/**
 * numpy's default (`method='linear'`) quantile of already sorted, NaN-free values, with
 * numpy's own lerp (computed from the upper end when the fraction is ≥ 0.5).
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.25) // => 1.75, as np.quantile([1, 2, 3, 4], 0.25)
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const virtual = (n - 1) * q;
  const lo = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const hi = Math.min(lo + 1, n - 1);
  const t = virtual - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * numpy-linear quantile of the non-NaN values (like pandas `Series.quantile`).
 *
 * @example
 * quantile([4, NaN, 1, 3, 2], 0.75) // => 3.25
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) kept.push(values[i]);
  return quantileSorted(Float64Array.from(kept).sort(), q);
}

/**
 * Median of the non-NaN values as numpy/pandas compute it (mean of the two middle values
 * for an even count); NaN when there are none.
 *
 * @example
 * median([3, NaN, 1, 4, 2]) // => 2.5
 */
export function median(values: ArrayLike<number>): number {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) kept.push(values[i]);
  const s = Float64Array.from(kept).sort();
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
