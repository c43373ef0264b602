import { DataFormatError, InputError } from '../../errors.js';
import { columnFromValues, type Column } from '../../features/column.js';
import { ownSetting } from '../../features/own-setting.js';
import { uniqueColumnNames } from '../../features/read-csv.js';
import { Table } from '../../features/table.js';
import { readDateStyles } from './cell-styles.js';
import { resolveXlsxLimits, type ReadXlsxOptions } from './options.js';
import { readSharedStrings } from './shared-strings.js';
import { readSheetCells } from './sheet-cells.js';
import { readWorkbookStructure } from './workbook-structure.js';
import { ZipArchive } from './zip-archive.js';

/**
 * Reads one worksheet of an `.xlsx` workbook held in memory into a {@link Table}
 * (synchronously: nothing here waits, so nothing can be left pending). The first row is the
 * header (empty names become `Unnamed: i`, repeats `name.1`); see `readSheetCells` for
 * how cells become values. Damage anywhere is a DataFormatError naming the part and cell;
 * a missing sheet is an InputError.
 *
 * @example
 * const t = readWorkbook(await readFile('07_age_features.xlsx'), { types: { customer_id: 'string' } });
 * t.columnNames // => ['customer_id', 'age']
 */
export function readWorkbook(bytes: Uint8Array, options: ReadXlsxOptions = {}): Table {
  const limits = resolveXlsxLimits(options);
  const zip = new ZipArchive(bytes);
  const budget = { remaining: limits.maxInflatedBytes, limit: limits.maxInflatedBytes };
  const structure = readWorkbookStructure(zip, budget);
  if (structure.sheets.length === 0) throw new DataFormatError('xl/workbook.xml', 'no worksheets');
  const wanted = options.sheet ?? 1;
  const sheet = typeof wanted === 'number' ? structure.sheets[wanted - 1] : structure.sheets.find((s) => s.name === wanted);
  if (!sheet) throw new InputError(`no worksheet ${JSON.stringify(wanted)} (the workbook has ${structure.sheets.map((s) => JSON.stringify(s.name)).join(', ')})`);
  if (!zip.entry(sheet.part)) throw new DataFormatError(sheet.part, `missing (worksheet ${JSON.stringify(sheet.name)})`);
  const dateStyles = readDateStyles(zip, structure.styles, budget);
  const sharedStrings = readSharedStrings(zip, structure.sharedStrings, budget);
  const { header, columns, numRows } = readSheetCells(zip, sheet.part, budget, { ...limits, sharedStrings, dateStyles, date1904: structure.date1904 });
  const names = uniqueColumnNames(header);
  const entries: [string, Column][] = names.map((name, c) => [name, columnFromValues(columns[c], ownSetting(options.types, name), name)]);
  return Table.fromColumns(entries);
}
