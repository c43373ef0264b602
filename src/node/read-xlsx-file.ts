import { readFile } from 'node:fs/promises';
import { DataFormatError, InputError } from '../errors.js';
import type { Table } from '../features/table.js';
import type { ReadXlsxOptions } from './xlsx/options.js';

export type { ReadXlsxOptions, XlsxLimits } from './xlsx/options.js';

const fileProblems: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a folder in the path is a file',
  ENAMETOOLONG: 'path too long',
};

/**
 * Reads one worksheet of an `.xlsx` file into a {@link Table}. The first row is the header
 * (empty names become `Unnamed: i`, repeats `name.1`). Every cell becomes a plain value:
 * numbers, strings (shared or inline; rich text → its text), booleans, dates (numbers whose
 * style has a date format, and `t="d"` cells); formulas → their cached result; hyperlinks →
 * their text; error cells (`#N/A`) and empty cells → missing. Trailing empty rows are
 * dropped, as pandas does. A column keeps the cells' type; a column mixing types becomes
 * strings (see `columnFromValues`).
 *
 * Hostile files cost bounded time and memory: at most `maxInflatedBytes` are inflated
 * (default 512 MiB), the table has at most `maxRows` data rows, `maxColumns` columns and
 * `maxCells` rows × columns (defaults 1,048,575, 16,384 and 20,000,000), each checked before
 * allocating; DTDs (and so entity expansion and external entities) are refused. A missing or
 * unreadable file is an InputError; a damaged or hostile one a DataFormatError naming the
 * file, part and cell.
 *
 * @example
 * const ages = await readXlsxFile('../shared/data/category-recommender/07_age_features.xlsx');
 * ages.columnNames // => ['customer_id', 'age']
 * ages.numRows     // => 99441
 */
export async function readXlsxFile(path: string, options: ReadXlsxOptions = {}): Promise<Table> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = String((error as NodeJS.ErrnoException)?.code ?? '');
    throw new InputError(`${path}: cannot read (${fileProblems[code] ?? (code || 'unreadable')})`, { cause: error });
  }
  // Loaded on first use: importing retail-ml/node stays cheap for callers that never read xlsx.
  const { readWorkbook } = await import('./xlsx/read-workbook.js');
  try {
    return readWorkbook(bytes, options);
  } catch (error) {
    if (error instanceof DataFormatError) {
      const prefix = `${error.where}: `;
      const detail = error.where && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      throw new DataFormatError(error.where ? `${path}: ${error.where}` : path, detail, { cause: error });
    }
    if (error instanceof InputError) throw new InputError(`${path}: ${error.message}`, { cause: error });
    throw error;
  }
}
