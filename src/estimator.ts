import type { DenseMatrix } from './matrix.js';
import type { Table } from './features/table.js';

/** What an estimator is, as scikit-learn's `_estimator_type` (plus transformers). */
export type EstimatorType = 'classifier' | 'regressor' | 'clusterer' | 'transformer';

/**
 * What every estimator accepts: the numeric matrix (`{ data: Float64Array, rows, cols }`),
 * rows as arrays (numbers, or strings for encoders; `null`/`NaN` = missing), a `Table`,
 * or rows as objects keyed by column name. Named inputs (a `Table`, objects) are matched
 * by name when the estimator knows its input names (`featureNamesIn`), otherwise by position.
 */
export type EstimatorInput =
  | DenseMatrix
  | readonly (readonly unknown[] | ArrayLike<number>)[]
  | Table
  | readonly Readonly<Record<string, unknown>>[];

/** Class labels as the estimator returns them (strings for a string-labelled classifier). */
export type Labels = readonly (string | number | boolean)[];

/**
 * The one estimator protocol (scikit-learn's, in TypeScript): every model, preprocessor,
 * encoder and pipeline that retail-ml loads or fits implements the methods its kind has.
 * - classifiers: `predict` (labels) and `predictProba` (one column per class, `classes` order);
 * - regressors: `predict` (numbers); clusterers: `predict` (cluster indices);
 * - transformers: `transform` (one column per `outputNames()` entry).
 *
 * @example
 * function score(model: Estimator, rows: EstimatorInput) {
 *   return model.estimatorType === 'classifier' ? model.predictProba!(rows) : model.predict!(rows);
 * }
 */
export interface Estimator {
  readonly estimatorType: EstimatorType;
  /** Input names when fitted on named columns (scikit-learn's `feature_names_in_`), else null. */
  readonly featureNamesIn: readonly string[] | null;
  /** Number of input columns. */
  readonly numFeaturesIn: number;
  /** Class labels, for classifiers (scikit-learn's `classes_`). */
  readonly classes?: Labels;
  predict?(x: EstimatorInput): Float64Array | Int32Array | Labels;
  predictProba?(x: EstimatorInput): DenseMatrix;
  transform?(x: EstimatorInput): DenseMatrix;
  /** Names of `transform`'s output columns (scikit-learn's `get_feature_names_out()`). */
  outputNames?(): readonly string[];
  /** A JSON-serialisable description that the matching `fromJSON` reads back. */
  toJSON(): unknown;
}
