import { CHUNK, scoreRows, type PackedCentroids } from './assign.js';

/**
 * Scores the rows of one matrix against packed centroids, up to CHUNK rows per call, for the
 * passes of a fit, reusing its buffers.
 */
export interface RowScorer {
  /** The rows (rows × cols), to be filled by the caller before scoring. */
  readonly x: Float64Array;
  /** After {@link RowScorer.score}: `v[r·width + j]`, `width` the packed width, r < count. */
  readonly v: Float64Array;
  /** After {@link RowScorer.score}: the plain Σx² of each scored row. */
  readonly xs: Float64Array;
  /** Centroids for the following calls to `score`. */
  setCentroids(p: PackedCentroids): void;
  /** Scores rows `first .. first+count)`, or rows `index[first .. first+count)`. */
  score(first: number, count: number, index?: Int32Array): void;
}

/**
 * Largest packed width for `k` centroids (blocks of 8, a last block of 4 when it fits).
 *
 * @example
 * packedWidth(3) // => 4
 * packedWidth(8) // => 8
 * packedWidth(13) // => 16
 */
export function packedWidth(k: number): number {
  return 8 * Math.floor(k / 8) + (k % 8 === 0 ? 0 : k % 8 <= 4 ? 4 : 8);
}

/**
 * A scorer for `rows × cols` with centroid sets up to `maxWidth` packed lanes, scoring
 * CHUNK rows at a time so each chunk's scores stay in cache.
 *
 * @example
 * const scorer = createRowScorer(rows, cols, 8);
 * scorer.x.set(data); scorer.setCentroids(p); scorer.score(0, 256); // scorer.v, scorer.xs
 */
export function createRowScorer(rows: number, cols: number, maxWidth: number): RowScorer {
  const x = new Float64Array(rows * cols);
  const v = new Float64Array(CHUNK * maxWidth);
  const xs = new Float64Array(CHUNK);
  let packed: PackedCentroids | null = null;
  return {
    x,
    v,
    xs,
    setCentroids(p: PackedCentroids): void {
      packed = p;
    },
    score(first: number, count: number, index?: Int32Array): void {
      scoreRows(x, first, count, packed!, v, xs, index);
    },
  };
}
