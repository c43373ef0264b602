import { CHUNK, scoreRows, type PackedCentroids } from './assign.js';
import { FitMemory } from './fit-memory.js';

/**
 * Scores the rows of one matrix against packed centroids, up to CHUNK rows per call, for the
 * passes of a fit, reusing its buffers.
 */
export interface RowScorer {
  /** The rows (rows × cols), to be filled by the caller before scoring. */
  readonly x: Float64Array;
  /** Where `x` lives, with room for the fit's other arrays (see {@link FitMemory}). */
  readonly memory: FitMemory;
  /** After {@link RowScorer.score}: `v[r·width + j]`, `width` the packed width, r < count. */
  readonly v: Float64Array;
  /** Centroids for the following calls to `score`. */
  setCentroids(p: PackedCentroids): void;
  /** Scores rows `first .. first+count)`, or rows `index[first .. first+count)`. */
  score(first: number, count: number, index?: Int32Array): void;
}

export { packedWidth } from './assign.js';

/**
 * @internal Below this many values a fit runs the JavaScript kernels: setting up a WebAssembly
 * memory and instance (tens of microseconds) costs more than the SIMD kernels save.
 *
 * @example
 * createRowScorer(rows, cols, 8, rows * cols >= SIMD_MIN_VALUES);
 */
export const SIMD_MIN_VALUES = 2048;

/**
 * A scorer for `rows × cols` with centroid sets up to `maxWidth` packed lanes, scoring
 * CHUNK rows at a time so each chunk's scores stay in cache. Its memory has room for the
 * arrays of one k-means++ and Lloyd run over these rows besides `x`, and the SIMD kernels
 * unless `simd` is false.
 *
 * @example
 * const scorer = createRowScorer(rows, cols, 8);
 * scorer.x.set(data); scorer.setCentroids(p); scorer.score(0, 256); // scorer.v
 */
export function createRowScorer(rows: number, cols: number, maxWidth: number, simd = true): RowScorer {
  // Per row: x, ‖x‖², the distances to the first centre (and to the closest centre in later
  // restarts), k-means++'s second-closest distances, running sums and owners (the labels), and
  // a distance array per candidate lane. Then the kernels' per-block buffers, centres and sums.
  const perRow = 8 * (cols + 5 + maxWidth) + 4;
  const bytes = rows * perRow + 8 * maxWidth * (128 + CHUNK + 4 * cols + 4) + 4 * (2 * 128 + 3 * CHUNK) + 64 * cols + 12 * maxWidth + 4096;
  const memory = simd ? FitMemory.create(bytes, cols) : FitMemory.plain;
  const x = memory.f64(rows * cols);
  const v = new Float64Array(CHUNK * maxWidth);
  let packed: PackedCentroids | null = null;
  return {
    x,
    memory,
    v,
    setCentroids(p: PackedCentroids): void {
      packed = p;
    },
    score(first: number, count: number, index?: Int32Array): void {
      scoreRows(x, first, count, packed!, v, undefined, index);
    },
  };
}
