import { DataFormatError, InputError } from '../errors.js';

/**
 * Bounds on what a table reader builds from untrusted text, checked before the memory
 * is allocated. A short CSV record is padded with missing cells and a JSON row with a new
 * key adds a whole column, so cell counts are not bounded by the bytes present: these are.
 *
 * @example
 * readCsv(text, { limits: { maxColumns: 500, maxCells: 1_000_000 } });
 */
export interface TableLimits {
  /** Most columns (default 100,000; Excel stops at 16,384). */
  maxColumns?: number;
  /** Most data rows (default 10,000,000). */
  maxRows?: number;
  /** Most cells, rows × columns including padding (default 10,000,000: about 80 MB of slots and 3 s of padding at worst). */
  maxCells?: number;
  /** Longest single field, in UTF-16 code units (default 10,000,000). */
  maxFieldLength?: number;
}

/**
 * The defaults of {@link TableLimits}.
 *
 * @example
 * DEFAULT_TABLE_LIMITS.maxColumns // => 100000
 */
export const DEFAULT_TABLE_LIMITS: Required<TableLimits> = {
  maxColumns: 100_000,
  maxRows: 10_000_000,
  maxCells: 10_000_000,
  maxFieldLength: 10_000_000,
};

/**
 * Fills in defaults and checks the caller's limits are positive integers.
 *
 * @example
 * resolveTableLimits({ maxColumns: 10 }).maxCells // => 50000000
 */
export function resolveTableLimits(limits: TableLimits | undefined): Required<TableLimits> {
  const out = { ...DEFAULT_TABLE_LIMITS };
  for (const key of Object.keys(DEFAULT_TABLE_LIMITS) as (keyof TableLimits)[]) {
    const v = limits?.[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new InputError(`limits.${key} must be a positive integer, got ${String(v)}`);
    out[key] = v;
  }
  return out;
}

/**
 * Throws a {@link DataFormatError} when a table of `rows × columns` would pass a limit.
 * Call it before allocating, with the counts the next step would reach.
 *
 * @example
 * checkTableSize(2_000, 1_000_000, resolveTableLimits({}), 'line 1') // throws: 1000000 columns exceed …
 */
export function checkTableSize(rows: number, columns: number, limits: Required<TableLimits>, where: string): void {
  if (columns > limits.maxColumns) throw new DataFormatError(where, `${columns} columns exceed the limit ${limits.maxColumns} (maxColumns)`);
  if (rows > limits.maxRows) throw new DataFormatError(where, `${rows} rows exceed the limit ${limits.maxRows} (maxRows)`);
  if (rows * columns > limits.maxCells) throw new DataFormatError(where, `${rows} rows × ${columns} columns exceed the limit ${limits.maxCells} cells (maxCells)`);
}
