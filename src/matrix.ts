import { describeValue, InputError } from './errors.js';
import { inputNumbers } from './estimator-input.js';
import { isTable } from './features/is-table.js';
import type { Table } from './features/table.js';

/**
 * The one numeric matrix of retail-ml: row-major numbers, `data[i * cols + j]` is row i,
 * column j (NaN = missing where the estimator allows it). Every estimator accepts it, and
 * every `transform` and `predictProba` returns it, so a pipeline passes it from step to step.
 *
 * @example
 * const m: DenseMatrix = { data: Float64Array.of(1, 2, 3, 4), rows: 2, cols: 2 };
 */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * What the numeric functions (scalers, PCA, k-means, cluster quality) accept: a
 * {@link DenseMatrix}, rows of numbers (arrays or typed arrays) or a `Table` whose columns
 * are read by position.
 *
 * @example
 * const x: MatrixInput = [[1, 2], [3, 4]];
 */
export type MatrixInput = DenseMatrix | readonly ArrayLike<number>[] | Table;

/**
 * Is `x` shaped like a {@link DenseMatrix} (a `Float64Array` `data` plus `rows` and
 * `cols`)? The shape is checked by {@link denseMatrix}, not here.
 *
 * @example
 * isDenseMatrix({ data: new Float64Array(0), rows: 0, cols: 3 }) // => true
 * isDenseMatrix([[1, 2]]) // => false
 */
export function isDenseMatrix(x: unknown): x is DenseMatrix {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && (x as DenseMatrix).data instanceof Float64Array;
}

/**
 * Builds a {@link DenseMatrix} from a flat row-major array, checking that `rows` and
 * `cols` are non-negative integers whose product is the number of values (the array is
 * used as it is, not copied). A wrong shape is an InputError.
 *
 * @example
 * denseMatrix(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3).cols // => 3
 */
export function denseMatrix(data: Float64Array, rows: number, cols: number, where = 'matrix'): DenseMatrix {
  if (!(data instanceof Float64Array)) throw new InputError(`${where}: data must be a Float64Array, got ${describeValue(data)}`);
  checkShape(data.length, rows, cols, where);
  return { data, rows, cols };
}

function checkShape(length: number, rows: unknown, cols: unknown, where: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || (rows as number) < 0 || (cols as number) < 0 || length !== (rows as number) * (cols as number)) {
    throw new InputError(`${where}: data has ${length} values, expected rows × cols = ${String(rows)} × ${String(cols)}`);
  }
}

/**
 * Checks the shape of any {@link MatrixInput} and returns a {@link DenseMatrix}: a matrix
 * as it is (not copied), rows copied (every value must be a number), a `Table`'s columns
 * in order (numbers as they are, booleans as 1/0, numeric text parsed; anything else is an
 * InputError naming the column). Ragged rows or a width other than `expectedCols` are an
 * InputError.
 *
 * @example
 * toDenseMatrix([[1, 2], [3, 4]]) // => { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 * toDenseMatrix(Table.fromRows([{ a: 1, b: 2 }])).data // => Float64Array [1, 2]
 */
export function toDenseMatrix(input: MatrixInput, expectedCols?: number, where = 'input'): DenseMatrix {
  let m: DenseMatrix;
  if (isDenseMatrix(input)) {
    checkShape(input.data.length, input.rows, input.cols, where);
    m = input;
  } else if (isTable(input)) {
    m = inputNumbers(input, { featureNamesIn: null, numFeaturesIn: expectedCols ?? input.columnNames.length }, where);
  } else if (Array.isArray(input)) {
    m = matrixFromRows(input, expectedCols, where);
  } else {
    throw new InputError(`${where}: expected an array of rows, a Table or { data: Float64Array, rows, cols }, got ${describeValue(input)}`);
  }
  if (expectedCols !== undefined && m.cols !== expectedCols) {
    throw new InputError(`${where}: has ${m.cols} columns, expected ${expectedCols}`);
  }
  return m;
}

/**
 * Copies rows of numbers (arrays or typed arrays, all the same length) into a
 * {@link DenseMatrix}. With no rows, the width is `cols` (default 0). A ragged row or a
 * value that is not a number is an InputError.
 *
 * @example
 * matrixFromRows([[1, 2], [3, 4]]).data // => Float64Array [1, 2, 3, 4]
 */
export function matrixFromRows(input: readonly ArrayLike<number>[], cols?: number, where = 'input'): DenseMatrix {
  if (!Array.isArray(input)) throw new InputError(`${where}: expected an array of rows, got ${describeValue(input)}`);
  const rows = input.length;
  const width = rows === 0 ? (cols ?? 0) : (input[0]?.length ?? -1);
  if (!Number.isInteger(width) || width < 0) throw new InputError(`${where}: row 0 is not an array of numbers`);
  const data = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) {
    const row = input[i];
    if (row === null || typeof row !== 'object' || row.length !== width) {
      throw new InputError(`${where}: row ${i} has ${row?.length ?? 'no'} values, expected ${width}`);
    }
    for (let j = 0; j < width; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new InputError(`${where}: row ${i}, column ${j} is not a number`);
      data[i * width + j] = v;
    }
  }
  return { data, rows, cols: width };
}

/**
 * Rows of a {@link DenseMatrix} as plain arrays (the inverse of {@link matrixFromRows}).
 *
 * @example
 * matrixRows({ data: Float64Array.of(1, 2, 3, 4), rows: 2, cols: 2 }) // => [[1, 2], [3, 4]]
 */
export function matrixRows(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * Throws an InputError naming the first NaN or infinite entry, for estimators that cannot
 * take missing values (scikit-learn rejects them in the same places).
 *
 * @example
 * requireFinite({ data: Float64Array.of(1, NaN), rows: 1, cols: 2 }) // throws InputError: row 0, column 1 is NaN
 */
export function requireFinite(m: DenseMatrix, where = 'input'): void {
  const { data, cols } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new InputError(`${where}: row ${Math.floor(i / cols)}, column ${i % cols} is ${data[i]} (missing values must be imputed first)`);
    }
  }
}
