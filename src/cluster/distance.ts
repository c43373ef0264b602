/**
 * Squared Euclidean distance summed in blocks of four, in the order of scikit-learn's
 * `_euclidean_dense_dense` (used for inertia and centre shifts).
 *
 * @example
 * squaredDistance(new Float64Array([0, 0]), 0, new Float64Array([3, 4]), 0, 2) // => 25
 */
export function squaredDistance(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let result = 0;
  const blocks = n >> 2;
  let p = 0;
  for (let i = 0; i < blocks; i++, p += 4) {
    const d0 = a[ao + p] - b[bo + p];
    const d1 = a[ao + p + 1] - b[bo + p + 1];
    const d2 = a[ao + p + 2] - b[bo + p + 2];
    const d3 = a[ao + p + 3] - b[bo + p + 3];
    result += d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
  }
  for (; p < n; p++) {
    const d = a[ao + p] - b[bo + p];
    result += d * d;
  }
  return result;
}
