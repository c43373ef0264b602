import { DataFormatError, InputError } from '../errors.js';
import type { ColumnKind } from './column.js';
import { Table } from './table.js';
import { checkTableSize, resolveTableLimits, type TableLimits } from './table-limits.js';

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
 * dates, so date-like strings stay strings. Malformed JSON is a {@link DataFormatError},
 * and so is a table beyond `limits` (every distinct key is a column as long as all the
 * rows, so 250 KB of rows with distinct keys would otherwise ask for gigabytes): the
 * columns and cells are counted before any column is allocated.
 *
 * @example
 * readJsonRows('[{"id":"a","n":1},{"id":"b","n":null}]').numbers('n') // => Float64Array [1, NaN]
 * readJsonRows('[{"a":1},{"b":2},{"c":3}]', { limits: { maxColumns: 2 } }) // throws DataFormatError
 */
export function readJsonRows(
  text: string,
  options: { kinds?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>>; limits?: TableLimits } = {},
): Table {
  if (typeof text !== 'string') throw new InputError('readJsonRows expects a string');
  const limits = resolveTableLimits(options.limits);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError('JSON', (error as Error).message, { cause: error });
  }
  if (!Array.isArray(data)) throw new DataFormatError('JSON', 'expected an array of row objects');
  const keys = new Set<string>();
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new DataFormatError(`JSON row ${r}`, 'expected an object');
    }
    for (const key in row) {
      if (!Object.hasOwn(row, key) || keys.has(key)) continue;
      keys.add(key);
      checkTableSize(data.length, keys.size, limits, `JSON row ${r}`);
    }
  }
  checkTableSize(data.length, keys.size, limits, 'JSON');
  try {
    return Table.fromRows(data as Record<string, unknown>[], undefined, { kinds: options.kinds });
  } catch (error) {
    if (error instanceof InputError) throw new DataFormatError('JSON', error.message, { cause: error });
    throw error;
  }
}
