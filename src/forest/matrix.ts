import { describeValue, InputError } from '../errors.js';
import { inputNumbers } from '../estimator-input.js';
import { isTable } from '../features/is-table.js';
import type { Table } from '../features/table.js';
import { denseMatrix, isDenseMatrix, type DenseMatrix } from '../matrix.js';

/** Rows of numbers, one array per row, all the same length. */
export type FeatureRows = ArrayLike<ArrayLike<number>>;

/**
 * A row-major matrix in one flat array: row `i`, feature `j` is `data[i * numFeatures + j]`.
 *
 * @deprecated Use the library's one matrix, `DenseMatrix` (`{ data: Float64Array, rows, cols }`);
 * this shape is still accepted everywhere it was (and its `data` may be a `Float32Array`).
 */
export interface RowMajorMatrix {
  data: ArrayLike<number>;
  numRows: number;
  numFeatures: number;
}

/**
 * What every `fit`/`predict` in this folder accepts as features: rows of numbers, the
 * library's {@link DenseMatrix}, a `Table` (matched by the model's feature names when it
 * has them, else by position) or the older {@link RowMajorMatrix}.
 */
export type FeatureInput = FeatureRows | DenseMatrix | Table | RowMajorMatrix;

/** A class label as given by the caller. */
export type ClassLabel = number | string | boolean;

/** Features as the tree engine reads them: row-major float32. */
export interface Float32Matrix {
  data: Float32Array;
  numRows: number;
  numFeatures: number;
}

/** What {@link toFloat32Matrix} checks the features against. */
export interface Float32MatrixOptions {
  /** The width the model expects; unset when fitting. */
  numFeatures?: number;
  /** The model's feature names: a `Table` is matched by them (extra columns are ignored). */
  featureNames?: readonly string[] | null;
  /** Let NaN and infinite values through (default false: scikit-learn 1.2 rejects them). */
  allowMissing?: boolean;
  /** Names the input in error messages (default 'X'). */
  what?: string;
}

function isRowMajor(x: FeatureInput): x is RowMajorMatrix {
  return typeof (x as RowMajorMatrix).numRows === 'number' && typeof (x as RowMajorMatrix).numFeatures === 'number' && 'data' in (x as object);
}

/**
 * Copies features into a row-major Float32Array, the precision scikit-learn compares in
 * (float32 input in a {@link RowMajorMatrix} is used as it is). Rejects ragged rows, a
 * wrong width, a `Table` without the model's columns and (unless `allowMissing`) NaN or
 * infinite values, each with an InputError.
 *
 * @example
 * toFloat32Matrix([[1, 2], [3, 4]]) // => { data: Float32Array [1, 2, 3, 4], numRows: 2, numFeatures: 2 }
 * toFloat32Matrix({ data: Float64Array.of(1, 2), rows: 1, cols: 2 }, { numFeatures: 2 }).data // => Float32Array [1, 2]
 */
export function toFloat32Matrix(x: FeatureInput, options: Float32MatrixOptions = {}): Float32Matrix {
  const what = options.what ?? 'X';
  if (x === null || typeof x !== 'object') throw new InputError(`${what} must be an array of rows, a Table or { data: Float64Array, rows, cols }`);
  let numRows: number;
  let numFeatures: number;
  let data: Float32Array;
  if (isTable(x)) {
    const names = options.featureNames ?? null;
    const m = inputNumbers(x, { featureNamesIn: names, numFeaturesIn: names?.length ?? options.numFeatures ?? x.columnNames.length }, what);
    ({ rows: numRows, cols: numFeatures } = m);
    data = Float32Array.from(m.data);
  } else if (isDenseMatrix(x)) {
    ({ rows: numRows, cols: numFeatures } = denseMatrix(x.data, x.rows, x.cols, what));
    data = Float32Array.from(x.data);
  } else if (isRowMajor(x)) {
    numRows = x.numRows;
    numFeatures = x.numFeatures;
    if (!Number.isInteger(numRows) || numRows < 0 || !Number.isInteger(numFeatures) || numFeatures < 0) {
      throw new InputError(`${what}: numRows and numFeatures must be non-negative integers`);
    }
    if (x.data.length !== numRows * numFeatures) {
      throw new InputError(`${what}: data has ${x.data.length} values, expected ${numRows} × ${numFeatures}`);
    }
    // Read-only from here on, so float32 input is used as it is; the typed-array constructor copies others fast.
    data = x.data instanceof Float32Array ? x.data : new Float32Array(x.data as ArrayLike<number>);
  } else {
    numRows = x.length;
    if (!Number.isInteger(numRows)) throw new InputError(`${what} must be an array of rows, a Table or { data: Float64Array, rows, cols }`);
    numFeatures = options.numFeatures ?? (numRows > 0 ? (x[0]?.length ?? 0) : 0);
    data = new Float32Array(numRows * numFeatures);
    for (let i = 0; i < numRows; i++) {
      const row = x[i];
      if (row === null || typeof row !== 'object' || row.length !== numFeatures) {
        throw new InputError(`${what}: row ${i} has ${row?.length ?? 'no'} values, expected ${numFeatures}`);
      }
      for (let j = 0; j < numFeatures; j++) data[i * numFeatures + j] = row[j];
    }
  }
  if (options.numFeatures !== undefined && numFeatures !== options.numFeatures) {
    throw new InputError(`${what} has ${numFeatures} features, the model expects ${options.numFeatures}`);
  }
  if (!options.allowMissing) {
    for (let k = 0; k < data.length; k++) {
      if (!Number.isFinite(data[k])) {
        const i = Math.floor(k / numFeatures);
        throw new InputError(`${what}: row ${i}, feature ${k - i * numFeatures} is ${data[k]} (only finite float32 values are allowed)`);
      }
    }
  }
  return { data, numRows, numFeatures };
}

/**
 * Maps labels to class indices. Classes are the sorted distinct labels, as `np.unique` sorts them.
 *
 * @example
 * encodeLabels(['b', 'a', 'b']) // => { classes: ['a', 'b'], indices: Int32Array [1, 0, 1] }
 */
export function encodeLabels(y: ArrayLike<ClassLabel>, numRows?: number): { classes: ClassLabel[]; indices: Int32Array } {
  if (y === null || typeof y !== 'object' || !Number.isInteger(y.length)) throw new InputError('y must be an array of labels');
  if (numRows !== undefined && y.length !== numRows) throw new InputError(`y has ${y.length} labels, X has ${numRows} rows`);
  const kind = y.length > 0 ? typeof y[0] : 'number';
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (typeof v !== kind || (kind !== 'number' && kind !== 'string' && kind !== 'boolean')) {
      throw new InputError(`y[${i}] is ${describeValue(v)}: labels must be all numbers, all strings or all booleans`);
    }
    if (kind === 'number' && !Number.isFinite(v)) throw new InputError(`y[${i}] is ${v}: numeric labels must be finite`);
  }
  const distinct = [...new Set(Array.from(y))];
  const classes =
    kind === 'string'
      ? (distinct as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      : (distinct as number[]).sort((a, b) => Number(a) - Number(b));
  const index = new Map<ClassLabel, number>(classes.map((c, i) => [c, i]));
  const indices = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) indices[i] = index.get(y[i])!;
  return { classes, indices };
}
