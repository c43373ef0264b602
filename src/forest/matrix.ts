import { describeValue, InputError } from '../errors.js';

/** Rows of numbers, one array per row, all the same length. */
export type FeatureRows = ArrayLike<ArrayLike<number>>;

/** A row-major matrix in one flat array: row `i`, feature `j` is `data[i * numFeatures + j]`. */
export interface RowMajorMatrix {
  data: ArrayLike<number>;
  numRows: number;
  numFeatures: number;
}

/** What every `fit`/`predict` in this folder accepts as features. */
export type FeatureInput = FeatureRows | RowMajorMatrix;

/** A class label as given by the caller. */
export type ClassLabel = number | string | boolean;

function isDense(x: FeatureInput): x is RowMajorMatrix {
  return typeof (x as RowMajorMatrix).numRows === 'number' && typeof (x as RowMajorMatrix).numFeatures === 'number' && 'data' in (x as object);
}

/**
 * Copies features into a row-major Float32Array, the precision scikit-learn compares in.
 * Rejects ragged rows, a wrong width and (unless `allowMissing`) NaN or infinite values.
 *
 * @example
 * toFloat32Rows([[1, 2], [3, 4]]) // => { data: Float32Array [1, 2, 3, 4], numRows: 2, numFeatures: 2 }
 */
export function toFloat32Rows(
  x: FeatureInput,
  options: { numFeatures?: number; allowMissing?: boolean; what?: string } = {},
): { data: Float32Array; numRows: number; numFeatures: number } {
  const what = options.what ?? 'X';
  if (x === null || typeof x !== 'object') throw new InputError(`${what} must be an array of rows or { data, numRows, numFeatures }`);
  let numRows: number;
  let numFeatures: number;
  let data: Float32Array;
  if (isDense(x)) {
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
    if (!Number.isInteger(numRows)) throw new InputError(`${what} must be an array of rows`);
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
