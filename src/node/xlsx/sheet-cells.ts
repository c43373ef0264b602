import { DataFormatError } from '../../errors.js';
import type { CellValue } from '../../features/column.js';
import type { InflateBudget } from './inflate-entry.js';
import type { XlsxLimits } from './options.js';
import { readPart } from './read-part.js';
import { attribute } from './xml-tokenizer.js';
import type { ZipArchive } from './zip-archive.js';


/** A worksheet's header row and its data columns, dense and all `numRows` long. */
export interface SheetCells {
  header: string[];
  columns: CellValue[][];
  numRows: number;
}

/** What reading a sheet needs besides the part itself. */
export interface SheetContext extends Required<XlsxLimits> {
  sharedStrings: readonly string[];
  dateStyles: readonly boolean[];
  date1904: boolean;
}

const DAY_MS = 86_400_000;
// Days from Excel's day 0 to 1970-01-01: 1899-12-30 in the 1900 system (which counts a
// 29 February 1900 that never was), 1904-01-01 in the 1904 system.
const EPOCH_1900 = 25_569;
const EPOCH_1904 = 24_107;

/**
 * Streams one worksheet part into columns. Row 1 is the header (even when empty); every
 * cell becomes a plain value: numbers (dates when their style's number format is a date
 * format), shared and inline strings (rich text joined), booleans, formulas' cached
 * results; error cells and cells without a value are missing. Rows between data rows are
 * missing rows; trailing empty rows are dropped, as pandas does. The declared
 * `<dimension>` is ignored; the table grows with the cells present, and a cell that would
 * make rows × columns pass `maxCells` (or pass `maxRows`/`maxColumns`) is refused before
 * anything is allocated for it.
 *
 * @example
 * const { header, columns, numRows } = readSheetCells(zip, 'xl/worksheets/sheet1.xml', budget, context);
 */
export function readSheetCells(zip: ZipArchive, part: string, budget: InflateBudget, ctx: SheetContext): SheetCells {
  const header: CellValue[] = [];
  const columns: CellValue[][] = [];
  let rowNumber = 0;
  let numRows = 0;
  let width = 0;
  // the cell being read
  let inData = false;
  let col = 0;
  let ref = '';
  let type = '';
  let style = 0;
  let text = '';
  let hasValue = false;
  let capture = false;
  let inInline = false;
  let phonetic = 0;

  const fail = (where: string, detail: string): never => {
    throw new DataFormatError(`${part} ${where}`, detail);
  };

  const store = (value: CellValue) => {
    if (col > ctx.maxColumns) fail(`cell ${ref}`, `column ${col} is beyond maxColumns (${ctx.maxColumns})`);
    // Row 1 is the header even when it is empty, as pandas reads it.
    if (rowNumber === 1) {
      while (header.length < col - 1) header.push(null);
      header[col - 1] = value;
      if (col > width) width = col;
      return;
    }
    const r = rowNumber - 2;
    if (r >= ctx.maxRows) fail(`cell ${ref}`, `row ${rowNumber} is beyond maxRows (${ctx.maxRows} data rows)`);
    const rows = Math.max(numRows, r + 1);
    const cols = Math.max(width, col);
    if (rows * cols > ctx.maxCells) fail(`cell ${ref}`, `${rows} rows × ${cols} columns is beyond maxCells (${ctx.maxCells})`);
    while (columns.length < col) columns.push([]);
    const column = columns[col - 1];
    while (column.length < r) column.push(null);
    column[r] = value;
    numRows = rows;
    width = cols;
  };

  const finishCell = () => {
    const value = cellValue(text, hasValue, type, style, ctx, (detail) => fail(`cell ${ref}`, detail));
    if (value !== null) store(value);
  };

  readPart(zip, part, budget, {
    open(element, attrs, selfClosing) {
      switch (element) {
        case 'sheetData':
          inData = true;
          return;
        case 'row': {
          if (!inData) return;
          const r = attribute(attrs, 'r');
          const n = r === undefined ? rowNumber + 1 : /^[0-9]{1,7}$/.test(r) ? Number(r) : NaN;
          if (!(n >= 1)) fail(`row ${JSON.stringify(r)}`, 'not a row number');
          if (n <= rowNumber) fail(`row ${n}`, `rows out of order (after row ${rowNumber})`);
          rowNumber = n;
          col = 0;
          return;
        }
        case 'c': {
          if (!inData || rowNumber === 0) return;
          const r = attribute(attrs, 'r');
          if (r === undefined) {
            col++;
            ref = `${columnLetters(col)}${rowNumber}`;
          } else {
            const m = /^([A-Z]{1,3})([0-9]{1,7})$/.exec(r);
            if (!m) fail(`cell ${JSON.stringify(r)}`, 'not a cell reference');
            if (Number(m![2]) !== rowNumber) fail(`cell ${r}`, `outside its row ${rowNumber}`);
            col = columnNumber(m![1]);
            ref = r;
          }
          type = attribute(attrs, 't') ?? 'n';
          const s = attribute(attrs, 's');
          style = s === undefined ? 0 : /^[0-9]{1,9}$/.test(s) ? Number(s) : -1;
          if (style < 0) fail(`cell ${ref}`, `style ${JSON.stringify(s)} is not an index`);
          text = '';
          hasValue = false;
          capture = false;
          inInline = false;
          phonetic = 0;
          if (selfClosing) finishCell();
          return;
        }
        case 'v':
          if (!inData || inInline) return;
          capture = !selfClosing;
          hasValue = true;
          return;
        case 'is':
          if (!inData) return;
          inInline = true;
          hasValue = true;
          return;
        case 'rPh':
          phonetic++;
          return;
        case 't':
          if (inInline && phonetic === 0) capture = !selfClosing;
          return;
      }
    },
    close(element) {
      switch (element) {
        case 'sheetData':
          inData = false;
          return;
        case 'v':
        case 't':
          capture = false;
          return;
        case 'rPh':
          phonetic--;
          return;
        case 'is':
          inInline = false;
          return;
        case 'c':
          if (inData && rowNumber > 0) finishCell();
          return;
      }
    },
    text(t) {
      if (capture) text += t;
    },
  });

  const names = header.map((v) => (v === null ? '' : v instanceof Date ? v.toISOString() : String(v)));
  while (names.length < width) names.push('');
  for (let c = 0; c < width; c++) {
    const column = (columns[c] ??= []);
    while (column.length < numRows) column.push(null);
  }
  return { header: names, columns: columns.slice(0, width), numRows };
}

/** One cell's value from its type attribute, collected text and style. */
function cellValue(text: string, hasValue: boolean, type: string, style: number, ctx: SheetContext, fail: (detail: string) => never): CellValue {
  if (!hasValue) return null;
  switch (type) {
    case 'n': {
      if (text.trim() === '') return null;
      const x = Number(text);
      if (!Number.isFinite(x)) return fail(`${JSON.stringify(text.slice(0, 40))} is not a number`);
      if (style >= ctx.dateStyles.length && style > 0) return fail(`style ${style} is out of range (${ctx.dateStyles.length} styles)`);
      return ctx.dateStyles[style] ? serialToDate(x, ctx.date1904) : x;
    }
    case 's': {
      const t = text.trim();
      const index = /^[0-9]{1,10}$/.test(t) ? Number(t) : NaN;
      if (!(index < ctx.sharedStrings.length)) {
        return fail(`shared string index ${JSON.stringify(text.slice(0, 40))} is out of range (${ctx.sharedStrings.length} strings)`);
      }
      return ctx.sharedStrings[index];
    }
    case 'str':
    case 'inlineStr':
      return text;
    case 'b':
      if (text.trim() === '1') return true;
      if (text.trim() === '0') return false;
      return fail(`${JSON.stringify(text.slice(0, 40))} is not a boolean`);
    case 'e':
      return null;
    case 'd': {
      if (text.trim() === '') return null;
      // ISO 8601 without a zone is local time in Excel; here, as for serial dates, UTC.
      const t = text.trim();
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) || !t.includes('T') ? t : `${t}Z`);
      if (!Number.isFinite(ms)) return fail(`${JSON.stringify(t.slice(0, 40))} is not an ISO 8601 date`);
      return new Date(ms);
    }
    default:
      return fail(`unknown cell type ${JSON.stringify(type.slice(0, 20))}`);
  }
}

/** An Excel serial day number as a UTC date, rounded to the millisecond. */
function serialToDate(serial: number, date1904: boolean): Date | null {
  // Serials 1-59 of the 1900 system come before the phantom 29 February 1900: one day later, as openpyxl reads them.
  const days = date1904 ? serial - EPOCH_1904 : serial > 0 && serial < 60 ? serial - EPOCH_1900 + 1 : serial - EPOCH_1900;
  const d = new Date(Math.round(days * DAY_MS));
  return Number.isNaN(d.getTime()) ? null : d;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n;
}

function columnLetters(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}
