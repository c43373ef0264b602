import { readCsv, type Table } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { inconsistent } from '../support/checks.js';

const head = (bytes: Uint8Array, lines: number) => new TextEncoder().encode(new TextDecoder().decode(bytes).split('\n').slice(0, lines).join('\n'));

/**
 * CSV text through `readCsv`: an accepted table must have columns of `numRows` values each
 * and distinct column names.
 */
export const target: FuzzTarget = {
  name: 'csv',
  seeds: async () => {
    const { repoFiles } = await import('../support/checks.js');
    return [
      ...repoFiles('models/features/merge/customers_left.csv', 'models/features/merge/stores_left.csv').map((b) => head(b, 40)),
      new TextEncoder().encode('id,age,vip,joined\n00123,35,true,2024-01-02\n"A,7",,false,2024-02-30T10:00:00Z\n"q""x","1e3",TRUE,\n'),
      new TextEncoder().encode('\uFEFFa;b;c\r\n1;2;3\r\n\r\n4;"5\r\n6";NA\r\n'),
    ];
  },
  parse: (bytes) => readCsv(new TextDecoder().decode(bytes), { delimiter: bytes.includes(0x3b) && !bytes.includes(0x2c) ? ';' : ',' }),
  check: (result) => checkTable(result as Table),
};

/** Columns agree with numRows and names are distinct. */
export function checkTable(table: Table): void {
  if (new Set(table.columnNames).size !== table.columnNames.length) inconsistent('repeated column names');
  for (const name of table.columnNames) {
    const column = table.column(name);
    if (column.values.length !== table.numRows) inconsistent(`column '${name}' has ${column.values.length} values for ${table.numRows} rows`);
  }
}
