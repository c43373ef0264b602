import { InputError } from '../errors.js';
import type { Column } from './column.js';
import { Table } from './table.js';

/** Options for {@link alignColumns}. */
export interface AlignOptions {
  /**
   * Value for an expected column the input lacks. Default NaN, i.e. "missing", which
   * XGBoost routes down each split's default branch; pass 0 only if that is what the
   * model was trained with. Every fill is reported either way.
   */
  fill?: number;
  /** Throw an {@link InputError} instead of filling when any expected column is missing. */
  strict?: boolean;
}

/** What {@link alignColumns} had to do. */
export interface AlignReport {
  /** Expected columns the input lacked, in expected order (each filled with `fill`). */
  missing: string[];
  /** The value the missing columns were filled with. */
  fill: number;
  /** Input columns that are not expected (dropped from the output). */
  extra: string[];
}

/**
 * Lines a table up with a model's feature list: exactly the expected columns, in that
 * order, as number columns (booleans 1/0, dates epoch ms). Expected columns the input
 * lacks are filled with `fill` (default NaN = missing) and listed in the report; input
 * columns the model does not use are listed too. Nothing is dropped or zeroed silently.
 * The feature list may come from a model (`model.featureNames`), a file such as
 * `features.xlsx` (see {@link featureListFromTable}), or be given.
 *
 * @example
 * const t = Table.fromRows([{ age: 35, location_Delhi: 1, name: 'Asha' }]);
 * const { table, report } = alignColumns(t, ['age', 'last_login_days', 'location_Delhi']);
 * table.columnNames // => ['age', 'last_login_days', 'location_Delhi']
 * report            // => { missing: ['last_login_days'], fill: NaN, extra: ['name'] }
 */
export function alignColumns(table: Table, featureNames: readonly string[], options: AlignOptions = {}): { table: Table; report: AlignReport } {
  const fill = options.fill ?? NaN;
  if (typeof fill !== 'number') throw new InputError('align fill must be a number');
  if (new Set(featureNames).size !== featureNames.length) throw new InputError('the feature list repeats a name');
  const missing = featureNames.filter((f) => !table.has(f));
  if (missing.length > 0 && options.strict) {
    throw new InputError(`missing expected feature${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }
  const expected = new Set(featureNames);
  const extra = table.columnNames.filter((n) => !expected.has(n));
  const entries: [string, Column][] = featureNames.map((name) => [
    name,
    { kind: 'number', values: table.has(name) ? table.numbers(name) : new Float64Array(table.numRows).fill(fill) },
  ]);
  const aligned = Table.fromColumns(entries);
  return { table: aligned, report: { missing, fill, extra } };
}

/**
 * The table's number columns as one row-major matrix (`numRows × names.length`), ready
 * for a model's `predict`. String columns are an {@link InputError}.
 *
 * @example
 * tableToMatrix(Table.fromRows([{ a: 1, b: 2 }, { a: 3, b: 4 }])) // => Float64Array [1, 2, 3, 4]
 */
export function tableToMatrix(table: Table, names: readonly string[] = table.columnNames): Float64Array {
  const width = names.length;
  const out = new Float64Array(table.numRows * width);
  names.forEach((name, c) => {
    const values = table.numbers(name);
    for (let r = 0; r < values.length; r++) out[r * width + c] = values[r];
  });
  return out;
}

/**
 * A feature list stored as a one-column sheet (like the seed's `features.xlsx`): the
 * first column's present values, as strings. With `includeHeader`, the header cell is the
 * first name too (for sheets written without a header).
 *
 * @example
 * featureListFromTable(Table.fromRows([{ feature: 'age' }, { feature: 'last_login_days' }]))
 * // => ['age', 'last_login_days']
 */
export function featureListFromTable(table: Table, options: { includeHeader?: boolean } = {}): string[] {
  if (table.columnNames.length === 0) throw new InputError('the feature list table has no columns');
  const first = table.columnNames[0];
  const names = table.strings(first).filter((v): v is string => v !== null);
  return options.includeHeader ? [first, ...names] : names;
}
