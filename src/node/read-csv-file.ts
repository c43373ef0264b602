import { readFile } from 'node:fs/promises';
import { readCsv, type ReadCsvOptions } from '../features/read-csv.js';
import type { Table } from '../features/table.js';

/**
 * Reads a CSV file (UTF-8) into a {@link Table}; see {@link readCsv} for parsing and
 * type inference. A `.tsv`/`.tab` file defaults to a tab delimiter.
 *
 * @example
 * const t = await readCsvFile('../shared/data/customer-segmentation/marketing_campaign.csv', { delimiter: '\t' });
 * t.numRows // => 2240
 */
export async function readCsvFile(path: string, options: ReadCsvOptions = {}): Promise<Table> {
  const text = await readFile(path, 'utf8');
  const delimiter = options.delimiter ?? (/\.(tsv|tab)$/i.test(path) ? '\t' : ',');
  return readCsv(text, { ...options, delimiter });
}
