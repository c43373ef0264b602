import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ColumnKind } from '../features/column.js';
import { readJsonRows } from '../features/from-rows.js';
import type { Table } from '../features/table.js';
import { DataFormatError } from '../errors.js';
import { readCsvFile } from './read-csv-file.js';
import { readXlsxFile } from './read-xlsx-file.js';

/**
 * Reads a table from a file, chosen by extension: `.xlsx` ({@link readXlsxFile}),
 * `.csv`/`.tsv`/`.tab`/`.txt` ({@link readCsvFile}), or `.json` (an array of row objects).
 * `types` forces column kinds, e.g. `{ customer_id: 'string' }`.
 *
 * @example
 * const recency = await readTableFile('05_customer_recency_features.xlsx', { types: { customer_id: 'string' } });
 */
export async function readTableFile(
  path: string,
  options: { types?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>> } = {},
): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return readXlsxFile(path, { types: options.types });
  if (ext === '.csv' || ext === '.tsv' || ext === '.tab' || ext === '.txt') return readCsvFile(path, { types: options.types });
  if (ext === '.json') return readJsonRows(await readFile(path, 'utf8'), { kinds: options.types });
  throw new DataFormatError(path, `unsupported file type '${ext || '(none)'}' (use .xlsx, .csv, .tsv or .json)`);
}
