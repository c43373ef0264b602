import { InputError } from '../errors.js';
import { fmaDot, rowNormSquared } from './numeric.js';

const U = 2 ** -53;

/** Squared centroid norms in scikit-learn's `row_norms` order, reused across many assignments. */
export function centroidSquaredNorms(centers: Float64Array, k: number, cols: number): Float64Array {
  const c2 = new Float64Array(k);
  for (let j = 0; j < k; j++) c2[j] = rowNormSquared(centers, j * cols, cols);
  return c2;
}

/**
 * Nearest centroid for each row, agreeing exactly with scikit-learn's `KMeans.predict`.
 *
 * scikit-learn ranks centroids by `‖c‖² − 2·x·c` (it drops `‖x‖²`), with `x·c` from an
 * OpenBLAS dgemm (one fused multiply-add per feature, in feature order) and `‖c‖²` from
 * NumPy's `einsum`; the first centroid wins a tie. A plain dot product is used first; when
 * the runner-up is within a rigorous rounding-error bound of the winner the candidates are
 * recomputed with exact FMA emulation, so near-ties are settled the way scikit-learn settles
 * them without paying for FMA emulation on every row.
 *
 * @example
 * assignNearest(new Float64Array([0, 0, 9, 9]), 2, 2, new Float64Array([1, 1, 8, 8]), 2)
 * // => Int32Array [0, 1]
 */
export function assignNearest(
  data: Float64Array,
  rows: number,
  cols: number,
  centers: Float64Array,
  k: number,
  out: Int32Array = new Int32Array(rows),
  c2: Float64Array = centroidSquaredNorms(centers, k, cols),
): Int32Array {
  if (centers.length !== k * cols) throw new InputError(`centroids have ${centers.length} values, expected ${k} × ${cols}`);
  const cn = new Float64Array(k);
  for (let j = 0; j < k; j++) cn[j] = Math.sqrt(c2[j]) * (1 + 1e-12);
  // Each plain-arithmetic value lies within errScale·‖x‖·‖c‖ + 4u·|v| of the FMA result.
  const errScale = 8 * (cols + 2) * U;
  const v = new Float64Array(k);
  const sqrtCols = Math.sqrt(cols) * (1 + 1e-12);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    // Four centroids per pass over the row: independent accumulators, the row read once.
    let j = 0;
    for (; j + 3 < k; j += 4) {
      const c0 = j * cols, c1 = c0 + cols, c2b = c1 + cols, c3 = c2b + cols;
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let f = 0; f < cols; f++) {
        const xv = data[base + f];
        d0 += xv * centers[c0 + f];
        d1 += xv * centers[c1 + f];
        d2 += xv * centers[c2b + f];
        d3 += xv * centers[c3 + f];
      }
      v[j] = c2[j] - 2 * d0;
      v[j + 1] = c2[j + 1] - 2 * d1;
      v[j + 2] = c2[j + 2] - 2 * d2;
      v[j + 3] = c2[j + 3] - 2 * d3;
    }
    for (; j < k; j++) {
      const cb = j * cols;
      let dot = 0;
      for (let f = 0; f < cols; f++) dot += data[base + f] * centers[cb + f];
      v[j] = c2[j] - 2 * dot;
    }
    let best = 0;
    let bestV = v[0];
    for (let c = 1; c < k; c++) {
      if (v[c] < bestV) {
        bestV = v[c];
        best = c;
      }
    }
    if (!(bestV === bestV)) throw new InputError(`row ${i} has a missing or infinite value`);
    // ‖x‖ is only needed when some runner-up is within reach: bound it first with ‖x‖∞·√cols.
    let xmax = 0;
    for (let f = 0; f < cols; f++) {
      const a = Math.abs(data[base + f]);
      if (a > xmax) xmax = a;
    }
    if (!(xmax < Infinity)) throw new InputError(`row ${i} has a missing or infinite value`);
    const xn = xmax * sqrtCols;
    let certain = true;
    const bestErr = errScale * xn * cn[best] + 4 * U * Math.abs(bestV);
    for (let c = 0; c < k; c++) {
      if (c === best) continue;
      if (!(v[c] - (errScale * xn * cn[c] + 4 * U * Math.abs(v[c])) > bestV + bestErr)) {
        certain = false;
        break;
      }
    }
    if (!certain) best = settleNearTie(data, base, cols, centers, k, c2, v, bestV, bestErr, errScale * xn, cn);
    out[i] = best;
  }
  return out;
}

function settleNearTie(
  data: Float64Array,
  base: number,
  cols: number,
  centers: Float64Array,
  k: number,
  c2: Float64Array,
  v: Float64Array,
  bestV: number,
  bestErr: number,
  scaledNorm: number,
  cn: Float64Array,
): number {
  let best = -1;
  let bestExact = Infinity;
  for (let j = 0; j < k; j++) {
    const errJ = scaledNorm * cn[j] + 4 * U * Math.abs(v[j]);
    if (v[j] - errJ > bestV + bestErr) continue; // certainly worse than the plain winner
    const exact = c2[j] - 2 * fmaDot(data, base, centers, j * cols, cols);
    if (best === -1 || exact < bestExact) {
      bestExact = exact;
      best = j;
    }
  }
  return best;
}
