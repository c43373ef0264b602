import { InputError } from '../errors.js';
import { fmaDot, rowNormSquared } from './numeric.js';

const U = 2 ** -53;
/** Absolute slack for products that underflow into the subnormal range. */
const TINY = 2 ** -1000;

/** Squared centroid norms in scikit-learn's `row_norms` order, reused across many assignments. */
export function centroidSquaredNorms(centers: Float64Array, k: number, cols: number): Float64Array {
  const c2 = new Float64Array(k);
  for (let j = 0; j < k; j++) c2[j] = rowNormSquared(centers, j * cols, cols);
  return c2;
}

/**
 * Centroids packed for the assignment kernel: blocks of 8 (or 4 for a last block of at most
 * four) centroids, feature-major inside a block, so one pass over a row's features feeds
 * eight independent accumulators from contiguous memory. Padding lanes have zero
 * coordinates and an infinite squared norm, so they never win.
 */
export interface PackedCentroids {
  k: number;
  cols: number;
  centers: Float64Array;
  /** Block widths, 8 or 4. */
  widths: Int32Array;
  packed: Float64Array;
  /** Squared norms in scikit-learn's order, padded with +Infinity to the packed width. */
  c2: Float64Array;
  /** Upper bounds on each centroid's Euclidean norm. */
  cn: Float64Array;
  cnMax: number;
  /** The plain-arithmetic error of ‖c‖² − 2·x·c is at most errScale·‖x‖·‖c‖ + 4u·|value|. */
  errScale: number;
}

/**
 * Packs centroids for {@link scoreRows}; `c2` must be {@link centroidSquaredNorms} of them.
 *
 * @example
 * const p = packCentroids(centers, k, cols); // then scoreRows / assignChunk with p
 */
export function packCentroids(centers: Float64Array, k: number, cols: number, c2 = centroidSquaredNorms(centers, k, cols)): PackedCentroids {
  if (centers.length !== k * cols) throw new InputError(`centroids have ${centers.length} values, expected ${k} × ${cols}`);
  const widths: number[] = [];
  let left = k;
  while (left > 0) {
    const w = left <= 4 ? 4 : 8;
    widths.push(w);
    left -= Math.min(w, left);
  }
  const padded = widths.reduce((a, b) => a + b, 0);
  const packed = new Float64Array(padded * cols);
  const c2p = new Float64Array(padded).fill(Infinity);
  let first = 0;
  for (const w of widths) {
    const blockBase = first * cols;
    for (let lane = 0; lane < w && first + lane < k; lane++) {
      const j = first + lane;
      for (let f = 0; f < cols; f++) packed[blockBase + f * w + lane] = centers[j * cols + f];
      c2p[j] = c2[j];
    }
    first += w;
  }
  const cn = new Float64Array(k);
  let cnMax = 0;
  for (let j = 0; j < k; j++) {
    cn[j] = Math.sqrt(c2[j]) * (1 + (cols + 8) * U) + TINY;
    if (cn[j] > cnMax) cnMax = cn[j];
  }
  return { k, cols, centers, widths: Int32Array.from(widths), packed, c2: c2p, cn, cnMax, errScale: 8 * (cols + 2) * U };
}

/**
 * For rows `first .. first+count)` (or rows `index[first .. first+count)` when `index` is
 * given) fills `v[r·width + j]` (r relative to `first`, `width` the packed width) with the
 * plain-arithmetic ‖c_j‖² − 2·x·c_j (padding lanes get +Infinity) and `xs[r]` with the
 * row's plain Σx².
 *
 * @example
 * scoreRows(x, 0, 256, packCentroids(centers, k, cols), v, xs); // v[r * width + j]
 */
export function scoreRows(
  x: Float64Array,
  first: number,
  count: number,
  p: PackedCentroids,
  v: Float64Array,
  xs: Float64Array,
  index?: Int32Array,
): void {
  const { cols } = p;
  if (index === undefined) scoreContiguous(x, first, count, p, v, xs);
  else {
    const scratch = new Float64Array(count * cols);
    for (let r = 0; r < count; r++) scratch.set(x.subarray(index[first + r] * cols, (index[first + r] + 1) * cols), r * cols);
    scoreContiguous(scratch, 0, count, p, v, xs);
  }
}

/**
 * The plain JavaScript scoring loop of {@link scoreRows}, over contiguous rows.
 *
 * @example
 * scoreContiguous(x, 0, 256, p, v, xs); // same values as scoreRows
 */
export function scoreContiguous(x: Float64Array, first: number, count: number, p: PackedCentroids, v: Float64Array, xs: Float64Array): void {
  const { cols, packed, c2, widths } = p;
  const width = c2.length;
  let o = 0;
  let j = 0;
  for (let b = 0; b < widths.length; b++) {
    if (widths[b] === 8) {
      const q0 = c2[j], q1 = c2[j + 1], q2 = c2[j + 2], q3 = c2[j + 3], q4 = c2[j + 4], q5 = c2[j + 5], q6 = c2[j + 6], q7 = c2[j + 7];
      for (let r = 0, base = first * cols, vo = j; r < count; r++, base += cols, vo += width) {
        let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0, s = 0;
        for (let f = 0, q = o; f < cols; f++, q += 8) {
          const a = x[base + f];
          d0 += a * packed[q]; d1 += a * packed[q + 1]; d2 += a * packed[q + 2]; d3 += a * packed[q + 3];
          d4 += a * packed[q + 4]; d5 += a * packed[q + 5]; d6 += a * packed[q + 6]; d7 += a * packed[q + 7];
          s += a * a;
        }
        v[vo] = q0 - 2 * d0; v[vo + 1] = q1 - 2 * d1; v[vo + 2] = q2 - 2 * d2; v[vo + 3] = q3 - 2 * d3;
        v[vo + 4] = q4 - 2 * d4; v[vo + 5] = q5 - 2 * d5; v[vo + 6] = q6 - 2 * d6; v[vo + 7] = q7 - 2 * d7;
        xs[r] = s;
      }
      o += 8 * cols;
      j += 8;
    } else {
      const q0 = c2[j], q1 = c2[j + 1], q2 = c2[j + 2], q3 = c2[j + 3];
      for (let r = 0, base = first * cols, vo = j; r < count; r++, base += cols, vo += width) {
        let d0 = 0, d1 = 0, d2 = 0, d3 = 0, s = 0;
        for (let f = 0, q = o; f < cols; f++, q += 4) {
          const a = x[base + f];
          d0 += a * packed[q]; d1 += a * packed[q + 1]; d2 += a * packed[q + 2]; d3 += a * packed[q + 3];
          s += a * a;
        }
        v[vo] = q0 - 2 * d0; v[vo + 1] = q1 - 2 * d1; v[vo + 2] = q2 - 2 * d2; v[vo + 3] = q3 - 2 * d3;
        xs[r] = s;
      }
      o += 4 * cols;
      j += 4;
    }
  }
}

/**
 * The exact scikit-learn label of one row, given its plain scores `v[vo ..]` and plain Σx²
 * `xs` from {@link scoreRows}. The plain argmin is kept when the runner-up is beyond the
 * rounding-error bound; otherwise the candidates within reach are recomputed with exact FMA
 * emulation.
 *
 * @example
 * const label = settleRow(x, i * cols, p, v, r * width, xs[r], i);
 */
export function settleRow(x: Float64Array, base: number, p: PackedCentroids, v: Float64Array, vo: number, xs: number, row: number): number {
  const k = p.k;
  let best = 0;
  let bestV = v[vo];
  let second = Infinity;
  for (let j = 1; j < k; j++) {
    const w = v[vo + j];
    if (w < bestV) {
      second = bestV;
      bestV = w;
      best = j;
    } else if (w < second) second = w;
  }
  const xn = rowNormBound(x, base, p.cols, xs, row);
  if (!(bestV === bestV)) throw new InputError(`row ${row} has a missing or infinite value`);
  if (k === 1) return 0;
  const scaled = p.errScale * xn;
  const bestErr = scaled * p.cn[best] + 4 * U * Math.abs(bestV) + TINY;
  // v − 4u|v| grows with v, so the runner-up with the largest norm bound covers every other centroid.
  if (second - (scaled * p.cnMax + 4 * U * Math.abs(second) + TINY) > bestV + bestErr) return best;
  return settleNearTie(x, base, p, v, vo, bestV, bestErr, scaled);
}

/**
 * An upper bound on ‖x‖ from the plain Σx²; throws on a missing or infinite value.
 *
 * @example
 * rowNormBound(new Float64Array([3, 4]), 0, 2, 25, 0) // => 5 × (1 + 10u)
 */
export function rowNormBound(x: Float64Array, base: number, cols: number, xs: number, row: number): number {
  if (xs >= 2 ** -900 && xs < Infinity) return Math.sqrt(xs) * (1 + (cols + 8) * U);
  // Underflow or overflow of Σx² (or a non-finite value): bound ‖x‖ from its largest entry.
  let xmax = 0;
  for (let f = 0; f < cols; f++) {
    const a = Math.abs(x[base + f]);
    if (!(a <= Number.MAX_VALUE)) throw new InputError(`row ${row} has a missing or infinite value`);
    if (a > xmax) xmax = a;
  }
  return xmax * Math.sqrt(cols) * (1 + 1e-12);
}

function settleNearTie(x: Float64Array, base: number, p: PackedCentroids, v: Float64Array, vo: number, bestV: number, bestErr: number, scaled: number): number {
  const { k, cols, centers, c2, cn } = p;
  let best = -1;
  let bestExact = Infinity;
  for (let j = 0; j < k; j++) {
    const errJ = scaled * cn[j] + 4 * U * Math.abs(v[vo + j]) + TINY;
    if (v[vo + j] - errJ > bestV + bestErr) continue; // certainly worse than the plain winner
    const exact = c2[j] - 2 * fmaDot(x, base, centers, j * cols, cols);
    if (best === -1 || exact < bestExact) {
      bestExact = exact;
      best = j;
    }
  }
  return best;
}

/** Rows scored per block: large enough to amortise the setup, small enough for L1/L2. */
export const CHUNK = 256;

/** Per-row results of {@link assignChunk}, chunk-relative, reused across chunks. */
export interface ChunkLabels {
  labels: Int32Array;
  /** Plain ‖c‖² − 2·x·c of the label's centroid. */
  own: Float64Array;
  /** The smallest plain value among the other centroids (+Infinity when k = 1). */
  other: Float64Array;
  /** Plain Σx² of the row. */
  xs: Float64Array;
}

/**
 * Buffers for {@link assignChunk} with centroids up to `width` packed lanes.
 *
 * @example
 * const buf = chunkLabels(packCentroids(centers, k, cols).c2.length);
 */
export function chunkLabels(width: number): ChunkLabels & { v: Float64Array } {
  return {
    labels: new Int32Array(CHUNK),
    own: new Float64Array(CHUNK),
    other: new Float64Array(CHUNK),
    xs: new Float64Array(CHUNK),
    v: new Float64Array(CHUNK * width),
  };
}

/**
 * Exact scikit-learn labels of rows `first .. first+count)` (or `index[first .. first+count)`),
 * at most CHUNK, into `out` (chunk-relative) with the plain values the Lloyd bounds start
 * from; rows whose rounding-error test cannot prove the winner go through {@link settleRow}.
 *
 * @example
 * const buf = chunkLabels(p.c2.length);
 * assignChunk(x, 0, 256, p, buf); // buf.labels[0..256)
 */
export function assignChunk(
  x: Float64Array,
  first: number,
  count: number,
  p: PackedCentroids,
  out: ChunkLabels & { v: Float64Array },
  index?: Int32Array,
): void {
  const width = p.c2.length;
  scoreRows(x, first, count, p, out.v, out.xs, index);
  for (let r = 0; r < count; r++) finishRow(x, first, r, p, out.v, r * width, out, index);
}

function finishRow(
  x: Float64Array,
  first: number,
  r: number,
  p: PackedCentroids,
  v: Float64Array,
  vo: number,
  out: ChunkLabels,
  index: Int32Array | undefined,
): void {
  const row = index === undefined ? first + r : index[first + r];
  const label = settleRow(x, row * p.cols, p, v, vo, out.xs[r], row);
  let other = Infinity;
  for (let j = 0; j < p.k; j++) if (j !== label && v[vo + j] < other) other = v[vo + j];
  out.labels[r] = label;
  out.own[r] = v[vo + label];
  out.other[r] = other;
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
  const p = packCentroids(centers, k, cols, c2);
  if (data.length < rows * cols) throw new InputError(`data has ${data.length} values, expected ${rows} × ${cols}`);
  const buffers = chunkLabels(p.c2.length);
  for (let first = 0; first < rows; first += CHUNK) {
    const count = Math.min(CHUNK, rows - first);
    assignChunk(data, first, count, p, buffers);
    out.set(buffers.labels.subarray(0, count), first);
  }
  return out;
}
