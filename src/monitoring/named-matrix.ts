import { isTable } from '../features/is-table.js';
import { InputError } from '../errors.js';
import type { Column } from '../features/column.js';
import { Table } from '../features/table.js';
import type { DenseMatrix } from '../preprocess/matrix.js';

/** The library's numeric matrix with a name per column, as monitoring accepts it. */
export interface NamedMatrix extends DenseMatrix {
  names: readonly string[];
}

/**
 * A {@link Table} of number columns from a row-major matrix with column names (NaN = missing),
 * so matrices go wherever monitoring takes tables; a Table passes through unchanged.
 *
 * @example
 * asTable({ data: Float64Array.of(1, 2, 3, 4), rows: 2, cols: 2, names: ['a', 'b'] }).numbers('b') // => Float64Array [2, 4]
 */
export function asTable(input: Table | NamedMatrix): Table {
  if (isTable(input)) return input;
  if (input === null || typeof input !== 'object' || !(input.data instanceof Float64Array)) {
    throw new InputError('expected a Table or a matrix { data: Float64Array, rows, cols, names }');
  }
  const { data, rows, cols, names } = input;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
    throw new InputError(`matrix data has ${data.length} values, expected rows × cols = ${rows} × ${cols}`);
  }
  if (!Array.isArray(names) || names.length !== cols) throw new InputError(`matrix needs ${cols} column names, got ${Array.isArray(names) ? names.length : 'none'}`);
  return Table.fromColumns(
    names.map((name, j) => {
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = data[i * cols + j];
      return [name, { kind: 'number', values } as Column] as const;
    }),
  );
}
