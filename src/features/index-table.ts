import { InputError } from '../errors.js';
import { isMissingAt } from './column.js';
import type { Table } from './table.js';

/** Row lookup by key value, built once by {@link indexTable}. */
export interface TableIndex {
  readonly table: Table;
  readonly key: string;
  /** Number of distinct present keys. */
  readonly size: number;
  /** The first row with this key, or -1. */
  firstRow(value: string | number | boolean): number;
  /** Every row with this key, in table order (empty when absent). */
  rows(value: string | number | boolean): readonly number[];
  /** Keys that occur on more than one row. */
  readonly duplicateKeys: readonly (string | number | boolean)[];
}

/**
 * Indexes a table by one key column, so single-customer lookups do not rescan the table.
 * Missing keys are not indexed. A string key is matched exactly (no trimming, case kept);
 * a number or date key by numeric value.
 *
 * @example
 * const ages = Table.fromRows([{ customer_id: 'c1', age: 56 }, { customer_id: 'c2', age: 69 }]);
 * const byId = indexTable(ages, 'customer_id');
 * ages.get('age', byId.firstRow('c2')) // => 69
 * byId.firstRow('nobody')             // => -1
 */
export function indexTable(table: Table, key: string): TableIndex {
  const column = table.column(key);
  const first = new Map<unknown, number>();
  const more = new Map<unknown, number[]>();
  for (let r = 0; r < table.numRows; r++) {
    if (isMissingAt(column, r)) continue;
    const value = column.values[r];
    const seen = first.get(value);
    if (seen === undefined) first.set(value, r);
    else {
      const list = more.get(value);
      if (list) list.push(r);
      else more.set(value, [seen, r]);
    }
  }
  const normalise = (value: unknown): unknown => {
    if (column.kind === 'string') return typeof value === 'string' ? value : undefined;
    if (column.kind === 'boolean') return typeof value === 'boolean' ? value : undefined;
    if (typeof value === 'number') return value;
    throw new InputError(`index on '${key}' holds ${column.kind}s; look up a number, not ${typeof value}`);
  };
  return {
    table,
    key,
    size: first.size,
    duplicateKeys: [...more.keys()] as (string | number | boolean)[],
    firstRow(value) {
      const r = first.get(normalise(value));
      return r === undefined ? -1 : r;
    },
    rows(value) {
      const k = normalise(value);
      const list = more.get(k);
      if (list) return list;
      const r = first.get(k);
      return r === undefined ? [] : [r];
    },
  };
}
