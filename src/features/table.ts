import { TABLE_MARK } from './is-table.js';
import { InputError } from '../errors.js';
import {
  cellAt,
  columnAsNumbers,
  columnAsStrings,
  columnFromValues,
  columnLength,
  takeColumn,
  type CellValue,
  type Column,
  type ColumnKind,
} from './column.js';
import { ownSetting } from './own-setting.js';

/**
 * A small immutable columnar table: named, typed columns of equal length. Numbers and
 * dates live in Float64Arrays (NaN = missing), strings and booleans in arrays (null =
 * missing). Column names are kept in a Map, so any name (`__proto__`, `constructor`) is safe.
 *
 * Columns are shared, not copied, between tables derived from one another: treat the
 * arrays you get from {@link Table.column} as read-only.
 *
 * @example
 * const t = Table.fromRows([{ id: 'a', age: 35 }, { id: 'b', age: null }]);
 * t.numRows                // => 2
 * t.numbers('age')         // => Float64Array [35, NaN]
 * t.strings('id')          // => ['a', 'b']
 */
export class Table {
  /** Lets {@link isTable} recognise a table without importing this class. */
  get [TABLE_MARK](): true {
    return true;
  }

  readonly columnNames: readonly string[];
  readonly numRows: number;
  readonly #columns: Map<string, Column>;

  private constructor(names: string[], columns: Map<string, Column>, numRows: number) {
    this.columnNames = Object.freeze(names);
    this.#columns = columns;
    this.numRows = numRows;
  }

  /**
   * A table from `[name, column]` pairs, in order. Names must be distinct and columns
   * of equal length ({@link InputError} otherwise).
   *
   * @example
   * Table.fromColumns([['x', { kind: 'number', values: Float64Array.of(1, 2) }]]).numRows // => 2
   */
  static fromColumns(entries: Iterable<readonly [string, Column]>): Table {
    const names: string[] = [];
    const columns = new Map<string, Column>();
    let numRows = -1;
    for (const [name, column] of entries) {
      if (typeof name !== 'string') throw new InputError('column names must be strings');
      if (columns.has(name)) throw new InputError(`duplicate column name '${name}'`);
      const length = columnLength(column);
      if (numRows === -1) numRows = length;
      else if (length !== numRows) {
        throw new InputError(`column '${name}' has ${length} rows, expected ${numRows}`);
      }
      names.push(name);
      columns.set(name, column);
    }
    return new Table(names, columns, Math.max(numRows, 0));
  }

  /**
   * A table from plain rows: objects (columns in order of first appearance, read with
   * `Object.keys`, so only own keys count) or arrays (with `columnNames`). Values keep
   * their JavaScript types: numbers, strings, booleans, `Date`s; `null`/`undefined`/NaN
   * are missing; a column mixing types becomes a string column. Pass `kinds` to force
   * column kinds. Text is never re-parsed here (use {@link readCsv} for text).
   *
   * @example
   * Table.fromRows([[1, 'a'], [2, 'b']], ['n', 's']).strings('s') // => ['a', 'b']
   * Table.fromRows([{ id: '007' }]).strings('id')                 // => ['007']
   */
  static fromRows(
    rows: readonly (Readonly<Record<string, unknown>> | readonly unknown[])[],
    columnNames?: readonly string[],
    options: { kinds?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>> } = {},
  ): Table {
    if (!Array.isArray(rows)) throw new InputError('rows must be an array');
    const names: string[] = columnNames ? [...columnNames] : [];
    const position = new Map<string, number>();
    names.forEach((n, i) => {
      if (position.has(n)) throw new InputError(`duplicate column name '${n}'`);
      position.set(n, i);
    });
    const cells: unknown[][] = names.map(() => new Array(rows.length).fill(null));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (Array.isArray(row)) {
        if (!columnNames) throw new InputError('array rows need columnNames');
        if (row.length > names.length) {
          throw new InputError(`row ${r} has ${row.length} values, expected at most ${names.length}`);
        }
        for (let c = 0; c < row.length; c++) cells[c][r] = row[c];
      } else if (row !== null && typeof row === 'object') {
        for (const key of Object.keys(row)) {
          let c = position.get(key);
          if (c === undefined) {
            if (columnNames) throw new InputError(`row ${r} has unknown column '${key}'`);
            c = names.length;
            position.set(key, c);
            names.push(key);
            cells.push(new Array(rows.length).fill(null));
          }
          cells[c][r] = (row as Record<string, unknown>)[key];
        }
      } else {
        throw new InputError(`row ${r} is not an object or an array`);
      }
    }
    const kinds = options.kinds;
    return Table.fromColumns(
      names.map((name, c) => [name, columnFromValues(cells[c], ownSetting(kinds, name), name)] as const),
    );
  }

  /**
   * Does the table have this column?
   *
   * @example
   * Table.fromRows([{ a: 1 }]).has('a') // => true
   */
  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /**
   * The typed column; an unknown name is an {@link InputError} listing the columns.
   *
   * @example
   * Table.fromRows([{ a: 1 }]).column('a').kind // => 'number'
   */
  column(name: string): Column {
    const column = this.#columns.get(name);
    if (!column) {
      const have = this.columnNames.slice(0, 20).map((n) => `'${n}'`).join(', ');
      throw new InputError(`no column '${name}' (columns: ${have}${this.columnNames.length > 20 ? ', …' : ''})`);
    }
    return column;
  }

  /**
   * A column as numbers (booleans 1/0, dates epoch ms, NaN missing). A string column is
   * an {@link InputError}.
   *
   * @example
   * Table.fromRows([{ ok: true }, { ok: false }]).numbers('ok') // => Float64Array [1, 0]
   */
  numbers(name: string): Float64Array {
    return columnAsNumbers(this.column(name), name);
  }

  /**
   * A column as strings (numbers in shortest form, dates ISO 8601, null missing).
   *
   * @example
   * Table.fromRows([{ n: 2.5 }]).strings('n') // => ['2.5']
   */
  strings(name: string): (string | null)[] {
    return columnAsStrings(this.column(name));
  }

  /**
   * One cell as a plain value (dates as `Date`, missing `null`).
   *
   * @example
   * Table.fromRows([{ a: 1 }]).get('a', 0) // => 1
   */
  get(name: string, row: number): CellValue {
    if (!Number.isInteger(row) || row < 0 || row >= this.numRows) {
      throw new InputError(`row ${row} out of range [0, ${this.numRows})`);
    }
    return cellAt(this.column(name), row);
  }

  /**
   * One row as a Map from column name to plain value.
   *
   * @example
   * Table.fromRows([{ a: 1, b: 'x' }]).row(0) // => Map { 'a' => 1, 'b' => 'x' }
   */
  row(row: number): Map<string, CellValue> {
    if (!Number.isInteger(row) || row < 0 || row >= this.numRows) {
      throw new InputError(`row ${row} out of range [0, ${this.numRows})`);
    }
    const out = new Map<string, CellValue>();
    for (const name of this.columnNames) out.set(name, cellAt(this.#columns.get(name)!, row));
    return out;
  }

  /**
   * Every row as a Map (see {@link Table.row}).
   *
   * @example
   * Table.fromRows([{ a: 1 }, { a: 2 }]).toRows().map((r) => r.get('a')) // => [1, 2]
   */
  toRows(): Map<string, CellValue>[] {
    const out: Map<string, CellValue>[] = [];
    for (let r = 0; r < this.numRows; r++) out.push(this.row(r));
    return out;
  }

  /**
   * Every row as a prototype-less object (safe for any column name), e.g. for JSON output.
   *
   * @example
   * JSON.stringify(Table.fromRows([{ a: 1 }]).toObjects()) // => '[{"a":1}]'
   */
  toObjects(): Record<string, CellValue>[] {
    const out: Record<string, CellValue>[] = [];
    for (let r = 0; r < this.numRows; r++) {
      const obj = Object.create(null) as Record<string, CellValue>;
      for (const name of this.columnNames) {
        Object.defineProperty(obj, name, {
          value: cellAt(this.#columns.get(name)!, r),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      out.push(obj);
    }
    return out;
  }

  /**
   * The named columns, in the order given.
   *
   * @example
   * Table.fromRows([{ a: 1, b: 2 }]).select(['b']).columnNames // => ['b']
   */
  select(names: readonly string[]): Table {
    return Table.fromColumns(names.map((n) => [n, this.column(n)] as const));
  }

  /**
   * Every column except the named ones (unknown names are ignored).
   *
   * @example
   * Table.fromRows([{ a: 1, b: 2 }]).drop(['a']).columnNames // => ['b']
   */
  drop(names: readonly string[]): Table {
    const gone = new Set(names);
    return Table.fromColumns(
      this.columnNames.filter((n) => !gone.has(n)).map((n) => [n, this.#columns.get(n)!] as const),
    );
  }

  /**
   * Renames columns (`[from, to]` pairs or a Map); other columns keep their names.
   *
   * @example
   * Table.fromRows([{ a: 1 }]).rename([['a', 'age']]).columnNames // => ['age']
   */
  rename(mapping: Iterable<readonly [string, string]>): Table {
    const map = new Map(mapping);
    for (const from of map.keys()) this.column(from);
    return Table.fromColumns(this.columnNames.map((n) => [map.get(n) ?? n, this.#columns.get(n)!] as const));
  }

  /**
   * A table with the column added at the end, or replaced in place if the name exists.
   *
   * @example
   * Table.fromRows([{ a: 1 }]).withColumn('b', { kind: 'string', values: ['x'] }).columnNames
   * // => ['a', 'b']
   */
  withColumn(name: string, column: Column): Table {
    const entries = this.columnNames.map((n) => [n, n === name ? column : this.#columns.get(n)!] as const);
    if (!this.#columns.has(name)) entries.push([name, column]);
    return Table.fromColumns(entries);
  }

  /**
   * The rows at `indices`, in that order (-1 gives an all-missing row).
   *
   * @example
   * Table.fromRows([{ a: 1 }, { a: 2 }]).take([1, 0]).numbers('a') // => Float64Array [2, 1]
   */
  take(indices: ArrayLike<number>): Table {
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i];
      if (!Number.isInteger(r) || r < -1 || r >= this.numRows) {
        throw new InputError(`row index ${r} out of range [-1, ${this.numRows})`);
      }
    }
    const t = Table.fromColumns(this.columnNames.map((n) => [n, takeColumn(this.#columns.get(n)!, indices)] as const));
    return this.columnNames.length === 0 ? new Table([], new Map(), indices.length) : t;
  }

  /**
   * Rows `[start, end)`.
   *
   * @example
   * Table.fromRows([{ a: 1 }, { a: 2 }, { a: 3 }]).slice(1).numRows // => 2
   */
  slice(start = 0, end = this.numRows): Table {
    const s = Math.max(0, Math.min(this.numRows, start));
    const e = Math.max(s, Math.min(this.numRows, end));
    const idx = new Int32Array(e - s);
    for (let i = 0; i < idx.length; i++) idx[i] = s + i;
    return this.take(idx);
  }
}
