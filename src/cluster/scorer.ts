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
  /** Centroids for the following calls to `score`. */
  setCentroids(p: PackedCentroids): void;
  /** Scores rows `first .. first+count)`, or rows `index[first .. first+count)`. */
  score(first: number, count: number, index?: Int32Array): void;
}

export { packedWidth } from './assign.js';

/**
 * A scorer for `rows × cols` with centroid sets up to `maxWidth` packed lanes, scoring
 * CHUNK rows at a time so each chunk's scores stay in cache.
 *
 * @example
 * const scorer = createRowScorer(rows, cols, 8);
 * scorer.x.set(data); scorer.setCentroids(p); scorer.score(0, 256); // scorer.v
 */
export function createRowScorer(rows: number, cols: number, maxWidth: number): RowScorer {
  const x = new Float64Array(rows * cols);
  const v = new Float64Array(CHUNK * maxWidth);
  let packed: PackedCentroids | null = null;
  return {
    x,
    v,
    setCentroids(p: PackedCentroids): void {
      packed = p;
    },
    score(first: number, count: number, index?: Int32Array): void {
      scoreRows(x, first, count, packed!, v, undefined, index);
    },
  };
}
