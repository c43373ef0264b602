import { ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputNumbers } from '../estimator-input.js';
import { checkJsonType, numberArrayField, requireFinite, stringsOrNullField, type DenseMatrix } from '../preprocess/matrix.js';
import { predictKMeans } from './kmeans.js';

/** JSON form of a {@link KMeansEstimator}. */
export interface KMeansEstimatorJSON {
  type: 'KMeans';
  /** k rows of `numFeatures` coordinates. */
  centroids: number[][];
  featureNamesIn: string[] | null;
}

/**
 * Fitted k-means centroids behind the estimator protocol: `predict` gives each row's
 * nearest centroid exactly as scikit-learn's `KMeans.predict` (see `assignNearest`).
 *
 * @example
 * const km = new KMeansEstimator({ data: Float64Array.of(0, 0, 9, 9), rows: 2, cols: 2 });
 * km.predict([[1, 1], [8, 9]]) // => Int32Array [0, 1]
 */
export class KMeansEstimator implements Estimator {
  readonly estimatorType = 'clusterer' as const;
  readonly numFeaturesIn: number;

  constructor(
    readonly centroids: DenseMatrix,
    readonly featureNamesIn: readonly string[] | null = null,
  ) {
    if (centroids.rows < 1 || centroids.data.length !== centroids.rows * centroids.cols) throw new ModelFormatError('KMeans.centroids', 'must be a non-empty k × features matrix');
    requireFinite(centroids, 'KMeans.centroids');
    if (featureNamesIn && featureNamesIn.length !== centroids.cols) throw new ModelFormatError('KMeans.featureNamesIn', `has ${featureNamesIn.length} names for ${centroids.cols} features`);
    this.numFeaturesIn = centroids.cols;
  }

  /**
   * The nearest centroid of each row (the first on an exact tie).
   *
   * @example
   * km.predict([{ x: 1, y: 1 }]); // named rows when fitted on named columns
   */
  predict(x: EstimatorInput): Int32Array {
    const m = inputNumbers(x, this, 'KMeans');
    requireFinite(m, 'KMeans');
    return predictKMeans(this.centroids, m);
  }

  /**
   * JSON that {@link KMeansEstimator.fromJSON} reads back.
   *
   * @example
   * KMeansEstimator.fromJSON(JSON.parse(JSON.stringify(km)));
   */
  toJSON(): KMeansEstimatorJSON {
    const { data, rows, cols } = this.centroids;
    return {
      type: 'KMeans',
      centroids: Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols))),
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
    };
  }

  /**
   * Restores an estimator from {@link KMeansEstimator.toJSON} output.
   *
   * @example
   * const km = KMeansEstimator.fromJSON({ type: 'KMeans', centroids: [[0, 0], [9, 9]], featureNamesIn: null });
   */
  static fromJSON(json: unknown): KMeansEstimator {
    const obj = checkJsonType(json, 'KMeans');
    const rows = obj.centroids;
    if (!Array.isArray(rows) || rows.length === 0) throw new ModelFormatError('KMeans.centroids', 'must be a non-empty array of rows');
    const first = numberArrayField({ row: rows[0] }, 'row', 'KMeans.centroids[0]');
    const data = new Float64Array(rows.length * first.length);
    rows.forEach((row, i) => data.set(numberArrayField({ row }, 'row', `KMeans.centroids[${i}]`, first.length), i * first.length));
    return new KMeansEstimator({ data, rows: rows.length, cols: first.length }, stringsOrNullField(obj, 'featureNamesIn', 'KMeans'));
  }
}
