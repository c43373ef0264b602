import { DataFormatError, InputError } from '../errors.js';
import type { ColumnKind } from './column.js';
import { Table } from './table.js';

/**
 * A {@link Table} from plain rows (objects or, with `columnNames`, arrays); the same as
 * {@link Table.fromRows}.
 *
 * @example
 * tableFromRows([{ customer_id: 'c1', age: 35 }]).numbers('age') // => Float64Array [35]
 */
export function tableFromRows(
  rows: readonly (Readonly<Record<string, unknown>> | readonly unknown[])[],
  columnNames?: readonly string[],
  options: { kinds?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>> } = {},
): Table {
  return Table.fromRows(rows, columnNames, options);
}

/**
 * Parses JSON text holding an array of row objects into a {@link Table}. JSON has no
 * dates, so date-like strings stay strings. Malformed JSON is a {@link DataFormatError}.
 *
 * @example
 * readJsonRows('[{"id":"a","n":1},{"id":"b","n":null}]').numbers('n') // => Float64Array [1, NaN]
 */
export function readJsonRows(
  text: string,
  options: { kinds?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>> } = {},
): Table {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError('JSON', (error as Error).message, { cause: error });
  }
  if (!Array.isArray(data)) throw new DataFormatError('JSON', 'expected an array of row objects');
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new DataFormatError(`JSON row ${r}`, 'expected an object');
    }
  }
  try {
    return Table.fromRows(data as Record<string, unknown>[], undefined, options);
  } catch (error) {
    if (error instanceof InputError) throw new DataFormatError('JSON', error.message, { cause: error });
    throw error;
  }
}
