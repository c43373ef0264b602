import { InputError } from '../../errors.js';
import type { ColumnKind } from '../../features/column.js';

/**
 * What one workbook may cost. Every bound is checked before the memory it guards is
 * allocated, so a small hostile file (a zip bomb, a cell at `XFD1048576`, a declared
 * `<dimension ref="A1:XFD1048576">`) is refused quickly instead of exhausting the process.
 *
 * @example
 * await readXlsxFile('big.xlsx', { maxInflatedBytes: 2 ** 30, maxCells: 50_000_000 });
 */
export interface XlsxLimits {
  /** Bytes inflated from all the parts read (workbook, relationships, styles, shared strings, the sheet); default 512 MiB. */
  maxInflatedBytes?: number;
  /** Data rows below the header; default 1,048,575 (Excel's last row is 1,048,576). */
  maxRows?: number;
  /** Columns; default 16,384 (Excel's last column is XFD). */
  maxColumns?: number;
  /** Rows × columns of the table built, empty cells included; default 20,000,000. */
  maxCells?: number;
}

/** Options for `readXlsxFile` and `readXlsx`. */
export interface ReadXlsxOptions extends XlsxLimits {
  /** Worksheet by name or 1-based position; default the first. */
  sheet?: string | number;
  /** Force the kind of some columns, e.g. `{ customer_id: 'string' }`. */
  types?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>>;
}

/**
 * The limits in force when none are given.
 *
 * @example
 * defaultXlsxLimits.maxColumns // => 16384
 */
export const defaultXlsxLimits: Readonly<Required<XlsxLimits>> = Object.freeze({
  maxInflatedBytes: 512 * 1024 * 1024,
  maxRows: 1_048_575,
  maxColumns: 16_384,
  maxCells: 20_000_000,
});

/**
 * The options' limits with defaults filled in; a limit that is not a positive whole
 * number is an InputError.
 *
 * @example
 * resolveXlsxLimits({ maxRows: 10 }).maxRows // => 10
 */
export function resolveXlsxLimits(options: XlsxLimits): Required<XlsxLimits> {
  const out = { ...defaultXlsxLimits };
  for (const key of Object.keys(defaultXlsxLimits) as (keyof XlsxLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new InputError(`${key} must be a positive whole number, got ${String(value)}`);
    }
    out[key] = value;
  }
  return out;
}
