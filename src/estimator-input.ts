import { describeValue, InputError } from './errors.js';
import type { EstimatorInput } from './estimator.js';
import { cellAt } from './features/column.js';
import { isTable } from './features/is-table.js';
import type { Table } from './features/table.js';
import { isDenseMatrix, type DenseMatrix } from './matrix.js';

/** One input column: numbers (NaN missing) or plain values (`null` missing). */
export type FrameColumn = Float64Array | readonly unknown[];

/**
 * The columns an estimator reads, in its own order: what every {@link EstimatorInput}
 * becomes once matched to the estimator's inputs. `names` are the matched names when the
 * input was named, else null.
 */
export interface Frame {
  readonly rows: number;
  readonly columns: readonly FrameColumn[];
  readonly names: readonly string[] | null;
}

/** What {@link inputFrame} needs to know about the estimator. */
export interface InputSpec {
  readonly featureNamesIn: readonly string[] | null;
  readonly numFeaturesIn: number;
}

const own = (row: object, key: string): boolean => Object.prototype.hasOwnProperty.call(row, key);

/**
 * Matches any {@link EstimatorInput} to an estimator's columns: named inputs (a `Table`,
 * object rows) by name when the estimator stored its input names (scikit-learn's
 * `feature_names_in_`), otherwise by position; a missing column or a wrong width is an
 * {@link InputError}. Columns are shared with the input where possible, never copied twice.
 *
 * @example
 * inputFrame([{ b: 2, a: 1 }], { featureNamesIn: ['a', 'b'], numFeaturesIn: 2 }, 'scaler').columns
 * // => [[1], [2]]
 */
export function inputFrame(x: EstimatorInput, spec: InputSpec, where: string): Frame {
  const width = spec.numFeaturesIn;
  const names = spec.featureNamesIn;
  if (isTable(x)) {
    const picked = names ?? x.columnNames;
    if (!names && x.columnNames.length !== width) throw new InputError(`${where}: the table has ${x.columnNames.length} columns, expected ${width}`);
    const columns = picked.map((name): FrameColumn => {
      if (!x.columnNames.includes(name)) throw new InputError(`${where}: column '${name}' is missing`);
      const column = x.column(name);
      if (column.kind === 'number') return column.values;
      return Array.from({ length: x.numRows }, (_, i) => cellAt(column, i));
    });
    return { rows: x.numRows, columns, names: picked };
  }
  if (isDenseMatrix(x)) {
    const { data, rows, cols } = x;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || data.length !== rows * cols) {
      throw new InputError(`${where}: data has ${data.length} values, expected rows × cols = ${rows} × ${cols}`);
    }
    if (cols !== width) throw new InputError(`${where}: has ${cols} columns, expected ${width}`);
    const columns = Array.from({ length: cols }, (_, j) => {
      const c = new Float64Array(rows);
      for (let i = 0; i < rows; i++) c[i] = data[i * cols + j];
      return c;
    });
    return { rows, columns, names: null };
  }
  if (!Array.isArray(x)) throw new InputError(`${where}: expected rows, a Table or { data: Float64Array, rows, cols }, got ${describeValue(x)}`);
  const rows = x.length;
  if (rows === 0) return { rows: 0, columns: Array.from({ length: width }, () => []), names: names };
  const first: unknown = x[0];
  if (Array.isArray(first) || ArrayBuffer.isView(first)) {
    const columns = Array.from({ length: width }, () => new Array<unknown>(rows));
    for (let i = 0; i < rows; i++) {
      const row = x[i] as ArrayLike<unknown>;
      if (row === null || typeof row !== 'object' || row.length !== width) {
        throw new InputError(`${where}: row ${i} has ${row?.length ?? 'no'} values, expected ${width}`);
      }
      for (let j = 0; j < width; j++) columns[j][i] = row[j];
    }
    return { rows, columns, names: null };
  }
  if (first === null || typeof first !== 'object') throw new InputError(`${where}: row 0 must be an array or an object, got ${describeValue(first)}`);
  // Rows keyed by name without stored names: the first row's key order is the column order.
  const picked = names ?? Object.keys(first);
  if (picked.length !== width) throw new InputError(`${where}: rows have ${picked.length} keys, expected ${width}`);
  const columns = picked.map((name) => {
    const values = new Array<unknown>(rows);
    for (let i = 0; i < rows; i++) {
      const row = x[i] as Readonly<Record<string, unknown>>;
      if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new InputError(`${where}: row ${i} must be an object like row 0`);
      if (!own(row, name)) throw new InputError(`${where}: row ${i} has no column '${name}'`);
      values[i] = row[name];
    }
    return values;
  });
  return { rows, columns, names: picked };
}

/**
 * Is the input keyed by column name (a `Table` or object rows)?
 *
 * @example
 * isNamedInput([{ a: 1 }]) // => true
 * isNamedInput([[1]]) // => false
 */
export function isNamedInput(x: EstimatorInput): boolean {
  if (isTable(x)) return true;
  if (!Array.isArray(x) || x.length === 0) return false;
  const first: unknown = x[0];
  return first !== null && typeof first === 'object' && !Array.isArray(first) && !ArrayBuffer.isView(first);
}

/**
 * How many columns an input has (for fitting, when no estimator says how many to expect):
 * a table's or a matrix's columns, the first row's length or keys, 0 for no rows.
 *
 * @example
 * inputWidth([{ a: 1, b: 2 }]) // => 2
 */
export function inputWidth(x: EstimatorInput): number {
  if (isTable(x)) return x.columnNames.length;
  if (isDenseMatrix(x)) return x.cols;
  if (!Array.isArray(x) || x.length === 0) return 0;
  const first: unknown = x[0];
  if (Array.isArray(first) || ArrayBuffer.isView(first)) return (first as ArrayLike<unknown>).length;
  return first !== null && typeof first === 'object' ? Object.keys(first).length : 0;
}

/**
 * One cell as a number, as NumPy's float conversion reads it: numbers as they are,
 * `null`/`undefined` as NaN (missing), booleans as 1/0, numeric strings parsed; other
 * values are an {@link InputError} naming the row and column.
 *
 * @example
 * cellNumber('2.5', 0, 'age') // => 2.5
 * cellNumber(null, 0, 'age') // => NaN
 */
export function cellNumber(v: unknown, row: number, column: string): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    const lower = t.toLowerCase();
    if (lower === 'nan') return NaN;
    if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
    if (lower === '-inf' || lower === '-infinity') return -Infinity;
    const n = t === '' ? NaN : Number(t);
    if (!Number.isNaN(n)) return n;
  }
  throw new InputError(`row ${row}, column ${column}: ${describeValue(v)} is not a number`);
}

/**
 * The frame as a row-major numeric matrix (see {@link cellNumber}).
 *
 * @example
 * frameNumbers({ rows: 1, columns: [Float64Array.of(1), ['2']], names: null }).data // => Float64Array [1, 2]
 */
export function frameNumbers(frame: Frame): DenseMatrix {
  const { rows, columns } = frame;
  const cols = columns.length;
  const data = new Float64Array(rows * cols);
  columns.forEach((column, j) => {
    const label = frame.names ? `'${frame.names[j]}'` : String(j);
    if (column instanceof Float64Array) for (let i = 0; i < rows; i++) data[i * cols + j] = column[i];
    else for (let i = 0; i < rows; i++) data[i * cols + j] = cellNumber(column[i], i, label);
  });
  return { data, rows, cols };
}

/**
 * Reads any input as the numeric matrix an estimator with `spec` expects.
 *
 * @example
 * inputNumbers([[1, null]], { featureNamesIn: null, numFeaturesIn: 2 }, 'scaler').data // => Float64Array [1, NaN]
 */
export function inputNumbers(x: EstimatorInput, spec: InputSpec, where: string): DenseMatrix {
  return frameNumbers(inputFrame(x, spec, where));
}

/**
 * A frame as an input again: object rows keyed by name when it has names (so the next
 * estimator can match them by name), arrays otherwise.
 *
 * @example
 * frameInput({ rows: 1, columns: [[1]], names: ['a'] }) // => [{ a: 1 }]
 */
export function frameInput(frame: Frame): EstimatorInput {
  const out: unknown[] = [];
  for (let i = 0; i < frame.rows; i++) {
    const cells = frame.columns.map((c) => c[i]);
    // fromEntries defines own properties, so names such as '__proto__' stay ordinary keys.
    out.push(frame.names ? Object.fromEntries(frame.names.map((n, j) => [n, cells[j]])) : cells);
  }
  return out as EstimatorInput;
}

