import { InputError } from '../errors.js';

/** A number column: NaN marks a missing value. */
export interface NumberColumn {
  kind: 'number';
  values: Float64Array;
}
/** A string column: `null` marks a missing value. */
export interface StringColumn {
  kind: 'string';
  values: (string | null)[];
}
/** A boolean column: `null` marks a missing value. */
export interface BooleanColumn {
  kind: 'boolean';
  values: (boolean | null)[];
}
/** A date column in epoch milliseconds (UTC): NaN marks a missing value. */
export interface DateColumn {
  kind: 'date';
  values: Float64Array;
}

/** One typed column of a {@link Table}. */
export type Column = NumberColumn | StringColumn | BooleanColumn | DateColumn;

/** The kinds a column can have. */
export type ColumnKind = Column['kind'];

/** One cell as a plain value; `null` is missing. Dates come back as `Date`. */
export type CellValue = number | string | boolean | Date | null;

/**
 * Number of rows in a column.
 *
 * @example
 * columnLength({ kind: 'string', values: ['a', null] }) // => 2
 */
export function columnLength(column: Column): number {
  return column.values.length;
}

/**
 * Is row `i` of the column missing?
 *
 * @example
 * isMissingAt({ kind: 'number', values: Float64Array.of(1, NaN) }, 1) // => true
 */
export function isMissingAt(column: Column, i: number): boolean {
  const v = column.values[i];
  return v === null || (typeof v === 'number' && Number.isNaN(v));
}

/**
 * Row `i` of a column as a plain value (dates as `Date`, missing as `null`).
 *
 * @example
 * cellAt({ kind: 'date', values: Float64Array.of(0) }, 0) // => new Date(0)
 */
export function cellAt(column: Column, i: number): CellValue {
  switch (column.kind) {
    case 'number': {
      const v = column.values[i];
      return Number.isNaN(v) ? null : v;
    }
    case 'date': {
      const v = column.values[i];
      return Number.isNaN(v) ? null : new Date(v);
    }
    default:
      return column.values[i];
  }
}

/**
 * A column with the rows at `indices`, in that order; index -1 yields a missing value
 * (how unmatched rows of an outer join are filled).
 *
 * @example
 * takeColumn({ kind: 'string', values: ['a', 'b'] }, Int32Array.of(1, -1, 0)).values
 * // => ['b', null, 'a']
 */
export function takeColumn(column: Column, indices: ArrayLike<number>): Column {
  const n = indices.length;
  if (column.kind === 'number' || column.kind === 'date') {
    const src = column.values;
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const i = indices[r];
      out[r] = i < 0 ? NaN : src[i];
    }
    return { kind: column.kind, values: out };
  }
  const src = column.values as (string | boolean | null)[];
  const out = new Array<string | boolean | null>(n);
  for (let r = 0; r < n; r++) {
    const i = indices[r];
    out[r] = i < 0 ? null : src[i];
  }
  return { kind: column.kind, values: out } as Column;
}

/**
 * The column as numbers: booleans become 1/0, dates epoch ms, missing NaN.
 * A string column is an {@link InputError} (say which column with `name`).
 *
 * @example
 * columnAsNumbers({ kind: 'boolean', values: [true, null] }) // => Float64Array [1, NaN]
 */
export function columnAsNumbers(column: Column, name = 'column'): Float64Array {
  switch (column.kind) {
    case 'number':
    case 'date':
      return column.values;
    case 'boolean':
      return Float64Array.from(column.values, (v) => (v === null ? NaN : v ? 1 : 0));
    case 'string':
      throw new InputError(`column '${name}' holds strings, not numbers`);
  }
}

/**
 * The column as strings: numbers in JavaScript's shortest form, booleans `true`/`false`,
 * dates as ISO 8601, missing `null`.
 *
 * @example
 * columnAsStrings({ kind: 'number', values: Float64Array.of(1.5, NaN) }) // => ['1.5', null]
 */
export function columnAsStrings(column: Column): (string | null)[] {
  switch (column.kind) {
    case 'string':
      return column.values;
    case 'number':
      return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
    case 'date':
      return Array.from(column.values, (v) => (Number.isNaN(v) ? null : new Date(v).toISOString()));
    case 'boolean':
      return column.values.map((v) => (v === null ? null : String(v)));
  }
}

/**
 * Builds a column from plain values. Without `kind` the kind is inferred: all numbers →
 * number, all booleans → boolean, all dates → date, all strings → string, and any mix → a
 * string column (numbers, booleans and dates written as by {@link columnAsStrings}).
 * `null`, `undefined` and NaN are missing. An all-missing column is a number column.
 * With `kind` the values are converted, and a value that does not fit is an {@link InputError}.
 *
 * @example
 * columnFromValues([1, null, 3]) // => { kind: 'number', values: Float64Array [1, NaN, 3] }
 * columnFromValues([1, 'a']).values // => ['1', 'a']
 */
export function columnFromValues(values: readonly unknown[], kind?: ColumnKind, name = 'column'): Column {
  const target = kind ?? inferKind(values, name);
  const n = values.length;
  switch (target) {
    case 'number':
    case 'date': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = toNumberCell(values[i], target, name, i);
      return { kind: target, values: out };
    }
    case 'boolean': {
      const out = new Array<boolean | null>(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (isMissingValue(v)) out[i] = null;
        else if (typeof v === 'boolean') out[i] = v;
        else throw new InputError(`column '${name}' row ${i}: ${describe(v)} is not a boolean`);
      }
      return { kind: 'boolean', values: out };
    }
    case 'string': {
      const out = new Array<string | null>(n);
      for (let i = 0; i < n; i++) out[i] = toStringCell(values[i], name, i);
      return { kind: 'string', values: out };
    }
  }
}

function isMissingValue(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

function isDate(v: unknown): v is Date {
  return v instanceof Date;
}

function inferKind(values: readonly unknown[], name: string): ColumnKind {
  let kind: ColumnKind | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissingValue(v)) continue;
    let k: ColumnKind;
    if (typeof v === 'number') k = 'number';
    else if (typeof v === 'string') k = 'string';
    else if (typeof v === 'boolean') k = 'boolean';
    else if (isDate(v)) k = 'date';
    else throw new InputError(`column '${name}' row ${i}: ${describe(v)} is not a plain value`);
    if (kind === undefined) kind = k;
    else if (kind !== k) return 'string';
  }
  return kind ?? 'number';
}

function toNumberCell(v: unknown, kind: 'number' | 'date', name: string, row: number): number {
  if (isMissingValue(v)) return NaN;
  if (typeof v === 'number') return v;
  if (isDate(v)) return v.getTime();
  if (kind === 'number' && typeof v === 'boolean') return v ? 1 : 0;
  throw new InputError(`column '${name}' row ${row}: ${describe(v)} is not a ${kind}`);
}

function toStringCell(v: unknown, name: string, row: number): string | null {
  if (isMissingValue(v)) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isDate(v)) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  throw new InputError(`column '${name}' row ${row}: ${describe(v)} is not a plain value`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : String(v);
}
