import { InputError, ModelFormatError } from '../errors.js';

/** Row-major numbers: `data[i * cols + j]` is row i, column j. */
export interface DenseMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** A {@link DenseMatrix} or rows of numbers (arrays or typed arrays). */
export type MatrixInput = DenseMatrix | readonly ArrayLike<number>[];

function isDense(x: unknown): x is DenseMatrix {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && (x as DenseMatrix).data instanceof Float64Array;
}

/**
 * Checks the shape of rows or a dense matrix and returns a dense matrix (copying rows, not
 * a dense input). Throws InputError on ragged rows or a wrong width.
 *
 * @example
 * toDenseMatrix([[1, 2], [3, 4]]) // => { data: Float64Array [1, 2, 3, 4], rows: 2, cols: 2 }
 */
export function toDenseMatrix(input: MatrixInput, expectedCols?: number, where = 'input'): DenseMatrix {
  let m: DenseMatrix;
  if (isDense(input)) {
    const { data, rows, cols } = input;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
      throw new InputError(`${where}: data has ${data.length} values, expected rows × cols = ${rows} × ${cols}`);
    }
    m = input;
  } else if (Array.isArray(input)) {
    const rows = input.length;
    const cols = rows === 0 ? (expectedCols ?? 0) : (input[0]?.length ?? -1);
    if (!Number.isInteger(cols) || cols < 0) throw new InputError(`${where}: row 0 is not an array of numbers`);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = input[i];
      if (row === null || typeof row !== 'object' || row.length !== cols) {
        throw new InputError(`${where}: row ${i} has ${row?.length ?? 'no'} values, expected ${cols}`);
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new InputError(`${where}: row ${i}, column ${j} is not a number`);
        data[i * cols + j] = v;
      }
    }
    m = { data, rows, cols };
  } else {
    throw new InputError(`${where}: expected an array of rows or { data: Float64Array, rows, cols }`);
  }
  if (expectedCols !== undefined && m.cols !== expectedCols) {
    throw new InputError(`${where}: has ${m.cols} columns, expected ${expectedCols}`);
  }
  return m;
}

/** Throws InputError naming the first NaN or infinite entry. */
export function requireFinite(m: DenseMatrix, where = 'input'): void {
  const { data, cols } = m;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new InputError(`${where}: row ${Math.floor(i / cols)}, column ${i % cols} is ${data[i]} (missing values must be imputed first)`);
    }
  }
}

/** Rows of a dense matrix as plain arrays. */
export function matrixRows(m: DenseMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Validates that `json` is an object with `type` equal to `expected`. */
export function checkJsonType(json: unknown, expected: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelFormatError(expected, 'expected a JSON object');
  }
  const obj = json as Record<string, unknown>;
  if (obj.type !== expected) throw new ModelFormatError(`${expected}.type`, `is ${JSON.stringify(obj.type)}, expected "${expected}"`);
  return obj;
}

/** A finite-number array field of a JSON object, with the given length when known. */
export function numberArrayField(obj: Record<string, unknown>, key: string, owner: string, length?: number, allowNaN = false): Float64Array {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (!Array.isArray(v)) throw new ModelFormatError(`${owner}.${key}`, 'must be an array of numbers');
  if (length !== undefined && v.length !== length) throw new ModelFormatError(`${owner}.${key}`, `has ${v.length} values, expected ${length}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (allowNaN && x === null) {
      out[i] = NaN;
      continue;
    }
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelFormatError(`${owner}.${key}[${i}]`, 'is not a finite number');
    out[i] = x;
  }
  return out;
}

/**
 * A field of a JSON object that holds strings or null (e.g. `featureNamesIn`); absent counts as null.
 *
 * @example
 * stringsOrNullField({ names: ['a'] }, 'names', 'KMeans') // => ['a']
 */
export function stringsOrNullField(obj: Record<string, unknown>, key: string, owner: string): string[] | null {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ModelFormatError(`${owner}.${key}`, 'must be strings or null');
  return v as string[];
}
