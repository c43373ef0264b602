import type { Table } from './table.js';

/**
 * The mark every {@link Table} carries. Code that only needs to recognise a table checks
 * it instead of importing the class, so importing a model loader does not also ship the
 * table code (about 2 KB gzipped) to a browser that never builds a table.
 */
export const TABLE_MARK: unique symbol = /*#__PURE__*/ Symbol.for('retail-ml.Table') as never;

/**
 * Whether `x` is a {@link Table}, without importing the class.
 *
 * @example
 * isTable(Table.fromRows([{ a: 1 }])) // => true
 * isTable([{ a: 1 }])                 // => false
 */
export function isTable(x: unknown): x is Table {
  return typeof x === 'object' && x !== null && (x as { [TABLE_MARK]?: unknown })[TABLE_MARK] === true;
}
