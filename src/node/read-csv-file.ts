import { readCsvStream, type ReadCsvStreamOptions } from '../features/read-csv-stream.js';
import type { Table } from '../features/table.js';
import { openFileStream } from './open-file-stream.js';

/**
 * Reads a CSV file (UTF-8) into a {@link Table}; see {@link readCsv} for parsing and
 * type inference. A `.tsv`/`.tab` file defaults to a tab delimiter. The file is streamed
 * ({@link readCsvStream}), so its size is not limited by the longest string V8 can hold.
 *
 * @example
 * const t = await readCsvFile('../shared/data/customer-segmentation/marketing_campaign.csv', { delimiter: '\t' });
 * t.numRows // => 2240
 */
export async function readCsvFile(path: string, options: ReadCsvStreamOptions = {}): Promise<Table> {
  const delimiter = options.delimiter ?? (/\.(tsv|tab)$/i.test(path) ? '\t' : ',');
  return readCsvStream(await openFileStream(path), { ...options, delimiter });
}
