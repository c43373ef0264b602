import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Table } from '../../src/features/table.js';
import { readXlsx } from '../../src/node/read-xlsx.js';
import type { FuzzTarget } from '../target.js';
import { mutateXlsx, type Random } from '../xlsx-mutate.js';

// Small workbooks written by models/features/xlsx_fixtures.py (openpyxl and hand-written SpreadsheetML).
const seedDir = join(dirname(fileURLToPath(import.meta.url)), '../../models/features/xlsx');

/**
 * The xlsx reader as a fuzz target: seeds are the committed fixture workbooks; an
 * accepted result must be a Table whose columns all have `numRows` cells. `mutate` offers
 * structure-aware mutations (zip and XML level) for a runner that can use them.
 *
 * @example
 * const seeds = await target.seeds();
 * await target.parse(seeds[0]); // => a Table
 */
export const target: FuzzTarget & { mutate(seed: Uint8Array, seeds: readonly Uint8Array[], random: Random): Uint8Array } = {
  name: 'xlsx',
  seeds: () =>
    readdirSync(seedDir)
      .filter((f) => f.endsWith('.xlsx'))
      .sort()
      .map((f) => new Uint8Array(readFileSync(join(seedDir, f)))),
  parse: (bytes) => readXlsx(bytes),
  check(result) {
    if (!(result instanceof Table)) throw new Error('readXlsx accepted but returned no Table');
    const names = result.columnNames;
    if (new Set(names).size !== names.length) throw new Error('duplicate column names');
    for (const name of names) {
      const length = result.column(name).values.length;
      if (length !== result.numRows) throw new Error(`column ${JSON.stringify(name)} has ${length} cells, not ${result.numRows}`);
    }
  },
  mutate: mutateXlsx,
};
