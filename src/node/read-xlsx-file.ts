import ExcelJS from 'exceljs';
import { DataFormatError, InputError } from '../errors.js';
import { columnFromValues, type Column, type ColumnKind } from '../features/column.js';
import { uniqueColumnNames } from '../features/read-csv.js';
import { ownSetting } from '../features/own-setting.js';
import { Table } from '../features/table.js';

/** Options for {@link readXlsxFile}. */
export interface ReadXlsxOptions {
  /** Worksheet by name or 1-based position; default the first. */
  sheet?: string | number;
  /** Force the kind of some columns, e.g. `{ customer_id: 'string' }`. */
  types?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>>;
}

/**
 * Reads one worksheet of an `.xlsx` file into a {@link Table}, streaming (exceljs'
 * `WorkbookReader` with cached styles, so date-formatted cells stay dates). The first row
 * is the header (empty names become `Unnamed: i`, repeats `name.1`). Every cell becomes a
 * plain value: numbers, strings, booleans, dates; rich text → its text; formulas → their
 * cached result; hyperlinks → their text; error cells (`#N/A`) and empty cells → missing.
 * A column keeps the cells' type; a column mixing types becomes strings (see
 * {@link columnFromValues}).
 *
 * @example
 * const ages = await readXlsxFile('../shared/data/category-recommender/07_age_features.xlsx');
 * ages.columnNames // => ['customer_id', 'age']
 * ages.numRows     // => 99441
 */
export async function readXlsxFile(path: string, options: ReadXlsxOptions = {}): Promise<Table> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    styles: 'cache',
    sharedStrings: 'cache',
    hyperlinks: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  const wanted = options.sheet ?? 1;
  let position = 0;
  let found = false;
  let header: string[] = [];
  let columns: unknown[][] = [];
  let numRows = 0;
  try {
    for await (const worksheet of reader) {
      position++;
      const ws = worksheet as unknown as { name?: string } & AsyncIterable<ExcelJS.Row>;
      const match = typeof wanted === 'number' ? position === wanted : ws.name === wanted;
      if (!match || found) {
        // a streamed sheet must be drained before the next one is emitted
        for await (const _row of ws) void _row;
        continue;
      }
      found = true;
      let sawHeader = false;
      for await (const row of ws) {
        const values = row.values as unknown[];
        if (!sawHeader) {
          sawHeader = true;
          header = [];
          for (let c = 1; c < values.length; c++) {
            const v = plainCell(values[c], `row ${row.number}`);
            header.push(v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
          }
          columns = header.map(() => []);
          continue;
        }
        const r = row.number - 2; // rows are 1-based, the header is row 1; skipped rows are missing
        if (r < numRows) throw new DataFormatError(`row ${row.number}`, 'rows out of order');
        if (r > 1_048_575) throw new DataFormatError(`row ${row.number}`, 'beyond the last Excel row');
        let present = false;
        for (let c = 1; c < values.length; c++) {
          const v = plainCell(values[c], `row ${row.number}`);
          if (v === null) continue;
          present = true;
          if (c > header.length) {
            if (c > 16384) throw new DataFormatError(`row ${row.number}`, 'too many columns');
            while (header.length < c) {
              header.push('');
              columns.push([]);
            }
          }
          columns[c - 1][r] = v;
        }
        // empty rows between data rows are all-missing rows; trailing ones are dropped, as pandas does
        if (present) numRows = r + 1;
      }
    }
  } catch (error) {
    if (error instanceof DataFormatError || error instanceof InputError) throw error;
    throw new DataFormatError(path, `not a readable .xlsx file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!found) throw new InputError(`${path}: no worksheet ${JSON.stringify(wanted)}`);
  const names = uniqueColumnNames(header);
  const entries: [string, Column][] = names.map((name, c) => {
    const cells = columns[c];
    cells.length = numRows;
    const dense = Array.from(cells, (v) => v ?? null);
    return [name, columnFromValues(dense, ownSetting(options.types, name), name)];
  });
  return Table.fromColumns(entries);
}

/**
 * One exceljs cell value as a plain value; `null` for empty and error cells.
 *
 * @example
 * plainCell({ richText: [{ text: 'a' }, { text: 'b' }] }, 'A1') // => 'ab'
 * plainCell({ formula: '1+1', result: 2 }, 'A1')               // => 2
 */
export function plainCell(value: unknown, where: string): number | string | boolean | Date | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? null : value;
    case 'string':
    case 'boolean':
      return value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return v.richText.map((run: { text?: unknown }) => String(run?.text ?? '')).join('');
    if ('error' in v) return null;
    if ('formula' in v || 'sharedFormula' in v) return plainCell(v.result, where);
    if ('hyperlink' in v) return plainCell(v.text ?? v.hyperlink, where);
    if ('text' in v) return plainCell(v.text, where);
  }
  throw new DataFormatError(where, `unsupported cell value ${JSON.stringify(value)?.slice(0, 60)}`);
}
