import type { Table } from '../features/table.js';
import type { ReadXlsxOptions } from './xlsx/options.js';

/**
 * Reads one worksheet of an `.xlsx` workbook from its bytes into a {@link Table}; see
 * {@link readXlsxFile} for the cell rules, options and limits. The reader is loaded on the
 * first call, so importing `retail-ml/node` does not pay for it.
 *
 * @example
 * const res = await fetch(url);
 * const t = await readXlsx(new Uint8Array(await res.arrayBuffer()), { sheet: 'customers' });
 */
export async function readXlsx(bytes: Uint8Array, options: ReadXlsxOptions = {}): Promise<Table> {
  const { readWorkbook } = await import('./xlsx/read-workbook.js');
  return readWorkbook(bytes, options);
}
