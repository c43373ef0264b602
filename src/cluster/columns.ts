import { distancesToRow, type FirstCentre } from './kmeans-plus-plus.js';
import { rowNormSquared } from './numeric.js';
import type { FitMemory } from './fit-memory.js';
import type { SimdKernels } from './simd-kernels.js';

/** Rows per block: a block stays in L1 while each group of four columns is summed over it. */
const BLOCK = 128;

/**
 * Column sums of a row-major matrix, each column added in row order from zero, as NumPy's
 * `sum(axis=0)` on a C-contiguous array does, bit for bit.
 *
 * Adding row by row straight into `sums[j]` makes every addition wait for the store of the
 * previous one; instead, a block of rows at a time, four columns are summed in registers.
 *
 * @example
 * columnSums(new Float64Array([1, 2, 3, 4]), 2, 2) // => Float64Array [4, 6]
 */
export function columnSums(data: Float64Array, rows: number, cols: number): Float64Array {
  const sums = new Float64Array(cols);
  for (let first = 0; first < rows; first += BLOCK) addBlock(data, first, Math.min(rows, first + BLOCK), cols, sums, false);
  return sums;
}

/**
 * Centres the rows of `data` on `mean` into `out` (same shape), fills `xx` with each centred
 * row's squared norm ({@link rowNormSquared}, scikit-learn's `row_norms` order) and returns
 * the column sums of the squared centred values, each in row order (NumPy's `var(axis=0)`
 * numerator). With `distancesTo`, also fills `distancesTo.distances` with every centred row's
 * squared distance to centred row `distancesTo.row` ({@link distancesToRow}) while the rows
 * are in cache.
 *
 * @example
 * const out = new Float64Array(4), xx = new Float64Array(2);
 * centreRows(new Float64Array([1, 2, 3, 4]), 2, 2, new Float64Array([2, 3]), out, xx);
 * // => Float64Array [2, 2]; out = [-1, -1, 1, 1], xx = [2, 2]
 */
export function centreRows(
  data: Float64Array,
  rows: number,
  cols: number,
  mean: Float64Array,
  out: Float64Array,
  xx: Float64Array,
  distancesTo?: FirstCentre,
): Float64Array {
  const squares = new Float64Array(cols);
  // The target row, centred and normed as the pass below does every row.
  const target = new Float64Array(cols);
  if (distancesTo !== undefined) for (let j = 0; j < cols; j++) target[j] = data[distancesTo.row * cols + j] - mean[j];
  const targetNorm = rowNormSquared(target, 0, cols);
  for (let first = 0; first < rows; first += BLOCK) {
    const end = Math.min(rows, first + BLOCK);
    centreBlock(data, first, end, cols, mean, out, xx);
    addBlock(out, first, end, cols, squares, true);
    if (distancesTo !== undefined) distancesToRow(out, xx, cols, target, targetNorm, distancesTo.distances, first, end);
  }
  return squares;
}

/**
 * {@link columnSums} of `data`, copied into `x` (in `memory`) on the way, by the SIMD kernels.
 * The sums live in `memory` too.
 *
 * @example
 * const sums = copyAndSumColumns(data, rows, cols, scorer.x, scorer.memory, scorer.memory.kernels!);
 */
export function copyAndSumColumns(data: Float64Array, rows: number, cols: number, x: Float64Array, memory: FitMemory, kernels: SimdKernels): Float64Array {
  x.set(data.subarray(0, rows * cols));
  const sums = memory.f64(cols);
  if (!memory.holds(x) || !memory.holds(sums)) return columnSums(data, rows, cols);
  kernels.columnSums(x.byteOffset, 0, rows, sums.byteOffset);
  return sums;
}

/**
 * {@link centreRows} for rows `data` already copied into `x` (in `memory`), centred in place
 * by the SIMD kernels, with the same values bit for bit.
 *
 * @example
 * const squares = centreInPlace(data, scorer.x, rows, cols, mean, xx, scorer.memory, scorer.memory.kernels!);
 */
export function centreInPlace(
  data: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
  mean: Float64Array,
  xx: Float64Array,
  memory: FitMemory,
  kernels: SimdKernels,
  distancesTo?: FirstCentre,
): Float64Array {
  const squares = memory.f64(cols);
  const meanAt = inMemory(mean, memory);
  const norms = inMemory(xx, memory);
  const target = memory.f64(cols);
  if (distancesTo !== undefined) for (let j = 0; j < cols; j++) target[j] = data[distancesTo.row * cols + j] - mean[j];
  const targetNorm = rowNormSquared(target, 0, cols);
  const out = distancesTo === undefined ? target : inMemory(distancesTo.distances, memory);
  // Where the memory ran out of room, the JavaScript pass does it all again from `data`.
  if (![x, squares, meanAt, norms, target, out].every((a) => memory.holds(a))) return centreRows(data, rows, cols, mean, x, xx, distancesTo);
  for (let first = 0; first < rows; first += BLOCK) {
    const end = Math.min(rows, first + BLOCK);
    kernels.centre(x.byteOffset, first, end, meanAt.byteOffset, norms.byteOffset);
    kernels.columnSquares(x.byteOffset, first, end, squares.byteOffset);
    if (distancesTo !== undefined) kernels.distancesToRow(x.byteOffset, norms.byteOffset, first, end, target.byteOffset, targetNorm, out.byteOffset);
  }
  if (norms !== xx) xx.set(norms);
  if (distancesTo !== undefined && out !== distancesTo.distances) distancesTo.distances.set(out);
  return Float64Array.from(squares);
}

/** `a`, or a copy of it in `memory` (where room is left). */
function inMemory(a: Float64Array, memory: FitMemory): Float64Array {
  if (memory.holds(a)) return a;
  const copy = memory.f64(a.length);
  copy.set(a);
  return copy;
}

/** Rows first .. end) of `data` centred into `out`, and their squared norms into `xx`. */
function centreBlock(data: Float64Array, first: number, end: number, cols: number, mean: Float64Array, out: Float64Array, xx: Float64Array): void {
  for (let i = first, b = first * cols; i < end; i++, b += cols) {
    for (let j = 0; j < cols; j++) out[b + j] = data[b + j] - mean[j];
    xx[i] = rowNormSquared(out, b, cols);
  }
}

/** sums[j] += v (or v², with `square`) for v in column j of rows first .. end), in row order. */
function addBlock(data: Float64Array, first: number, end: number, cols: number, sums: Float64Array, square: boolean): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let a0 = sums[j], a1 = sums[j + 1], a2 = sums[j + 2], a3 = sums[j + 3];
    for (let b = first * cols + j, stop = end * cols; b < stop; b += cols) {
      const v0 = data[b], v1 = data[b + 1], v2 = data[b + 2], v3 = data[b + 3];
      if (square) {
        a0 += v0 * v0; a1 += v1 * v1; a2 += v2 * v2; a3 += v3 * v3;
      } else {
        a0 += v0; a1 += v1; a2 += v2; a3 += v3;
      }
    }
    sums[j] = a0; sums[j + 1] = a1; sums[j + 2] = a2; sums[j + 3] = a3;
  }
  for (; j < cols; j++) {
    let a = sums[j];
    for (let b = first * cols + j, stop = end * cols; b < stop; b += cols) a += square ? data[b] * data[b] : data[b];
    sums[j] = a;
  }
}
