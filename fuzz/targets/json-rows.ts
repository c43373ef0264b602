import { readJsonRows, type Table } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { checkTable } from './csv.js';

/** A JSON array of row objects through `readJsonRows`. */
export const target: FuzzTarget = {
  name: 'json-rows',
  seeds: () =>
    [
      [{ customer_id: 'c1', age: 35, vip: true, city: 'Delhi' }, { customer_id: 'c2', age: null, vip: false, city: 'Mumbai', extra: 1.5 }],
      [{ a: 1, b: 'x' }, { a: 2.5e10, b: '2024-01-01' }, { a: -0, c: true }, {}],
    ].map((rows) => new TextEncoder().encode(JSON.stringify(rows))),
  parse: (bytes) => readJsonRows(new TextDecoder().decode(bytes)),
  check: (result) => checkTable(result as Table),
};
