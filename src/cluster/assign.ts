import { InputError } from '../errors.js';
import { fmaDot, rowNormSquared } from './numeric.js';
import { U, TINY } from './rounding.js';

/**
 * @internal Row `i` of a block: `i` itself, or the row `index` lists at `i`.
 *
 * @example
 * rowAt(undefined, 5) // => 5
 * rowAt(Int32Array.from([7, 3]), 1) // => 3
 */
export function rowAt(index: Int32Array | undefined, i: number): number {
  return index === undefined ? i : index[i];
}

/**
 * Squared centroid norms in scikit-learn's `row_norms` order, reused across many assignments.
 *
 * @example
 * centroidSquaredNorms(Float64Array.from([3, 4, 1, 0]), 2, 2) // => Float64Array [25, 1]
 */
export function centroidSquaredNorms(centers: Float64Array, k: number, cols: number): Float64Array {
  const c2 = new Float64Array(k);
  for (let j = 0; j < k; j++) c2[j] = rowNormSquared(centers, j * cols, cols);
  return c2;
}

/**
 * Centroids packed for the scoring kernel: blocks of four centroids, feature-major inside a
 * block, so one pass over four rows' features feeds sixteen independent accumulators from
 * contiguous memory. Padding lanes have zero coordinates and an infinite squared norm, so
 * they never win. (A class rather than an object literal, so V8 keeps one hidden class for
 * it across fits instead of discarding the compiled code that reads it.)
 *
 * @example
 * const p = new PackedCentroids(3, 2, centers, packed, c2, cn, cnMax, errScale); // usually from packCentroids
 */
export class PackedCentroids {
  constructor(
    readonly k: number,
    readonly cols: number,
    readonly centers: Float64Array,
    readonly packed: Float64Array,
    /** Squared norms in scikit-learn's order, padded with +Infinity to the packed width. */
    readonly c2: Float64Array,
    /** Upper bounds on each centroid's Euclidean norm. */
    readonly cn: Float64Array,
    readonly cnMax: number,
    /** The plain-arithmetic error of ‖c‖² − 2·x·c is at most errScale·‖x‖·‖c‖ + 4u·|value|. */
    readonly errScale: number,
  ) {}
}

/**
 * Packs centroids for {@link scoreRows}; `c2` must be {@link centroidSquaredNorms} of them.
 *
 * @example
 * const p = packCentroids(centers, k, cols); // then scoreRows / assignChunk with p
 */
export function packCentroids(centers: Float64Array, k: number, cols: number, c2 = centroidSquaredNorms(centers, k, cols)): PackedCentroids {
  if (centers.length !== k * cols) throw new InputError(`centroids have ${centers.length} values, expected ${k} × ${cols}`);
  const width = packedWidth(k);
  const packed = new Float64Array(width * cols);
  const c2p = new Float64Array(width).fill(Infinity);
  for (let j = 0; j < k; j++) {
    const blockBase = (j - (j & 3)) * cols;
    for (let f = 0; f < cols; f++) packed[blockBase + f * 4 + (j & 3)] = centers[j * cols + f];
    c2p[j] = c2[j];
  }
  const cn = new Float64Array(k);
  let cnMax = 0;
  for (let j = 0; j < k; j++) {
    cn[j] = Math.sqrt(c2[j]) * (1 + (cols + 8) * U) + TINY;
    if (cn[j] > cnMax) cnMax = cn[j];
  }
  return new PackedCentroids(k, cols, centers, packed, c2p, cn, cnMax, 8 * (cols + 2) * U);
}

/**
 * Packed width for `k` centroids: whole blocks of four lanes.
 *
 * @example
 * packedWidth(3) // => 4
 * packedWidth(8) // => 8
 * packedWidth(13) // => 16
 */
export function packedWidth(k: number): number {
  return 4 * Math.ceil(k / 4);
}

/**
 * For rows `first .. first+count)` (or rows `index[first .. first+count)` when `index` is
 * given) fills `v[r·width + j]` (r relative to `first`, `width` the packed width) with the
 * plain-arithmetic ‖c_j‖² − 2·x·c_j (padding lanes get +Infinity) and, when `xs` is given,
 * `xs[r]` with the row's plain Σx². Every dot product is summed in feature order, whatever
 * the blocking, so the values never depend on which rows are scored together.
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
  xs?: Float64Array,
  index?: Int32Array,
): void {
  const { cols, packed } = p;
  const norms = p.c2;
  const width = norms.length;
  for (let j = 0; j < width; j += 4) {
    const o = j * cols;
    const n0 = norms[j], n1 = norms[j + 1], n2 = norms[j + 2], n3 = norms[j + 3];
    // Four rows at a time: each centroid value loaded once feeds four rows, and sixteen
    // independent sums keep the multipliers busy.
    let r = 0;
    for (; r + 3 < count; r += 4) {
      const a = rowAt(index, first + r) * cols;
      const b = rowAt(index, first + r + 1) * cols;
      const c = rowAt(index, first + r + 2) * cols;
      const d = rowAt(index, first + r + 3) * cols;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let f = 0, q = o; f < cols; f++, q += 4) {
        const xa = x[a + f], xb = x[b + f], xc = x[c + f], xd = x[d + f];
        let w = packed[q];
        a0 += xa * w; b0 += xb * w; c0 += xc * w; d0 += xd * w;
        w = packed[q + 1];
        a1 += xa * w; b1 += xb * w; c1 += xc * w; d1 += xd * w;
        w = packed[q + 2];
        a2 += xa * w; b2 += xb * w; c2 += xc * w; d2 += xd * w;
        w = packed[q + 3];
        a3 += xa * w; b3 += xb * w; c3 += xc * w; d3 += xd * w;
      }
      let vo = r * width + j;
      v[vo] = n0 - 2 * a0; v[vo + 1] = n1 - 2 * a1; v[vo + 2] = n2 - 2 * a2; v[vo + 3] = n3 - 2 * a3;
      vo += width;
      v[vo] = n0 - 2 * b0; v[vo + 1] = n1 - 2 * b1; v[vo + 2] = n2 - 2 * b2; v[vo + 3] = n3 - 2 * b3;
      vo += width;
      v[vo] = n0 - 2 * c0; v[vo + 1] = n1 - 2 * c1; v[vo + 2] = n2 - 2 * c2; v[vo + 3] = n3 - 2 * c3;
      vo += width;
      v[vo] = n0 - 2 * d0; v[vo + 1] = n1 - 2 * d1; v[vo + 2] = n2 - 2 * d2; v[vo + 3] = n3 - 2 * d3;
    }
    for (; r < count; r++) {
      const a = rowAt(index, first + r) * cols;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let f = 0, q = o; f < cols; f++, q += 4) {
        const xa = x[a + f];
        a0 += xa * packed[q]; a1 += xa * packed[q + 1]; a2 += xa * packed[q + 2]; a3 += xa * packed[q + 3];
      }
      const va = r * width + j;
      v[va] = n0 - 2 * a0; v[va + 1] = n1 - 2 * a1; v[va + 2] = n2 - 2 * a2; v[va + 3] = n3 - 2 * a3;
    }
  }
  if (xs === undefined) return;
  // Four rows at a time: each sum is a chain of dependent additions, so one row alone would
  // wait on the adder's latency.
  let r = 0;
  for (; r + 3 < count; r += 4) {
    const a = rowAt(index, first + r) * cols;
    const b = rowAt(index, first + r + 1) * cols;
    const c = rowAt(index, first + r + 2) * cols;
    const d = rowAt(index, first + r + 3) * cols;
    let sa = 0, sb = 0, sc = 0, sd = 0;
    for (let f = 0; f < cols; f++) {
      const xa = x[a + f], xb = x[b + f], xc = x[c + f], xd = x[d + f];
      sa += xa * xa; sb += xb * xb; sc += xc * xc; sd += xd * xd;
    }
    xs[r] = sa; xs[r + 1] = sb; xs[r + 2] = sc; xs[r + 3] = sd;
  }
  for (; r < count; r++) {
    const a = rowAt(index, first + r) * cols;
    let sa = 0;
    for (let f = 0; f < cols; f++) sa += x[a + f] * x[a + f];
    xs[r] = sa;
  }
}

/**
 * {@link scoreRows} over contiguous rows.
 *
 * @example
 * scoreContiguous(x, 0, 256, p, v, xs); // same values as scoreRows
 */
export function scoreContiguous(x: Float64Array, first: number, count: number, p: PackedCentroids, v: Float64Array, xs?: Float64Array): void {
  scoreRows(x, first, count, p, v, xs);
}

/**
 * The exact scikit-learn label of one row, given its plain scores `v[vo ..]`, their plain
 * winner `best` (value `bestV`), the smallest other value `second` and the row's Σx² `xs`.
 * The plain winner is kept when the runner-up is beyond the rounding-error bound; otherwise
 * the candidates within reach are recomputed with exact FMA emulation.
 */
function settleRow(x: Float64Array, base: number, p: PackedCentroids, v: Float64Array, vo: number, xs: number, row: number, best: number, bestV: number, second: number): number {
  const xn = rowNormBound(x, base, p.cols, xs, row);
  if (!(bestV === bestV)) throw new InputError(`row ${row} has a missing or infinite value`);
  if (p.k === 1) return 0;
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

/** @internal Rows scored per block: large enough to amortise the setup, small enough for L1/L2. */
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
 * Buffers for {@link assignChunk} with centroids up to `width` packed lanes; the scores go to
 * `v` when given (at least CHUNK × width values).
 *
 * @example
 * const buf = chunkLabels(packCentroids(centers, k, cols).c2.length);
 */
export function chunkLabels(width: number, v: Float64Array = new Float64Array(CHUNK * width)): ChunkLabels & { v: Float64Array } {
  return new ChunkBuffers(v);
}

/** {@link ChunkLabels} and the scores they come from; a class for the reason given at {@link PackedCentroids}. */
class ChunkBuffers implements ChunkLabels {
  readonly labels = new Int32Array(CHUNK);
  readonly own = new Float64Array(CHUNK);
  readonly other = new Float64Array(CHUNK);
  readonly xs = new Float64Array(CHUNK);
  constructor(readonly v: Float64Array) {}
}

/**
 * Exact scikit-learn labels of rows `first .. first+count)` (or `index[first .. first+count)`),
 * at most CHUNK, into `out` (chunk-relative) with the plain values the Lloyd bounds start
 * from; rows whose rounding-error test cannot prove the winner are recomputed exactly.
 * `xx`, the rows' squared norms when the caller already has them (any summation order: they
 * only bound ‖x‖), saves computing them again.
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
  xx?: Float64Array,
): void {
  scoreRows(x, first, count, p, out.v, xx === undefined ? out.xs : undefined, index);
  labelChunk(x, first, count, p, out, index, xx);
}

/**
 * The second half of {@link assignChunk}, for a caller that has scored the rows into `out.v`
 * itself (with {@link scoreRows}' values) and passes their squared norms `xx`, or `out.xs`
 * filled as scoreRows does when `xx` is undefined.
 *
 * @example
 * scoreRows(x, 0, 256, p, buf.v, buf.xs); labelChunk(x, 0, 256, p, buf); // as assignChunk(x, 0, 256, p, buf)
 */
export function labelChunk(
  x: Float64Array,
  first: number,
  count: number,
  p: PackedCentroids,
  out: ChunkLabels & { v: Float64Array },
  index?: Int32Array,
  xx?: Float64Array,
): void {
  const width = p.c2.length;
  for (let r = 0; r < count; r++) {
    const row = rowAt(index, first + r);
    finishRow(x, row, r, p, out.v, r * width, out, xx === undefined ? out.xs[r] : xx[row]);
  }
}

/**
 * {@link labelChunk} for the chunk rows r listed in `list[0 .. n)` only (rows
 * `index[first + r]`, or `first + r`).
 *
 * @example
 * labelListed(x, 0, p, buf, pending, xx, hard, nHard);
 */
export function labelListed(
  x: Float64Array,
  first: number,
  p: PackedCentroids,
  out: ChunkLabels & { v: Float64Array },
  index: Int32Array | undefined,
  xx: Float64Array,
  list: Int32Array,
  n: number,
): void {
  const width = p.c2.length;
  for (let h = 0; h < n; h++) {
    const r = list[h];
    const row = rowAt(index, first + r);
    finishRow(x, row, r, p, out.v, r * width, out, xx[row]);
  }
}

/** Scratch for branch-free selections; never held across calls. */
const pick = new Float64Array(4);

function finishRow(x: Float64Array, row: number, r: number, p: PackedCentroids, v: Float64Array, vo: number, out: ChunkLabels, xs: number): void {
  const k = p.k;
  // The plain winner (the first of equals) and the smallest other value. Which centroid
  // leads is data-dependent, so the running choices are made by index, not by branches.
  let best = 0;
  let bestV = v[vo];
  let second = Infinity;
  for (let j = 1; j < k; j++) {
    const w = v[vo + j];
    const m = +(w < bestV);
    pick[0] = second;
    pick[1] = w;
    pick[2] = pick[+(w < second)];
    pick[3] = bestV;
    second = pick[2 + m];
    pick[0] = bestV;
    bestV = pick[m];
    best += m * (j - best);
  }
  const label = settleRow(x, row * p.cols, p, v, vo, xs, row, best, bestV, second);
  let other = second;
  if (label !== best) {
    other = Infinity;
    for (let j = 0; j < k; j++) if (j !== label && v[vo + j] < other) other = v[vo + j];
  }
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
