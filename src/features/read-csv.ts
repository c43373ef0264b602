import { DataFormatError, InputError } from '../errors.js';
import type { Column, ColumnKind } from './column.js';
import {
  DEFAULT_MISSING_MARKERS,
  inferTextKind,
  parseBooleanCell,
  parseIsoDateCell,
  parseNumberCell,
} from './parse-cell.js';
import { ownSetting } from './own-setting.js';
import { scanCsvRecords } from './csv-scan.js';
import { Table } from './table.js';

/** Options for {@link readCsv}. */
export interface ReadCsvOptions {
  /** Field separator; default `,`. */
  delimiter?: ',' | '\t' | ';' | '|';
  /**
   * Force the kind of some columns, e.g. `{ customer_id: 'string' }` so ids like `00123`
   * keep their zeros. A cell that does not fit a forced kind is a {@link DataFormatError}.
   */
  types?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>>;
  /** Infer number/boolean/date columns (default `true`); `false` reads every column as strings. */
  inferTypes?: boolean;
  /** Infer ISO 8601 date columns (default `true`). */
  dates?: boolean;
  /** Unquoted cell texts that mean missing; default {@link DEFAULT_MISSING_MARKERS} (pandas' list). */
  missing?: readonly string[];
  /**
   * Column names when the text has no header row; by default the first record is the
   * header. Empty header names become `Unnamed: i` and repeats `name.1`, `name.2`, as in pandas.
   */
  columnNames?: readonly string[];
}


/**
 * Parses CSV text (RFC 4180) into a {@link Table}: quoted fields with `""` escapes,
 * embedded delimiters and newlines, CRLF/LF/CR line ends, a leading BOM, and blank lines
 * skipped. Records shorter than the header are padded with missing cells; longer ones,
 * an unterminated quote, or text after a closing quote are a {@link DataFormatError}
 * naming the line.
 *
 * Each column's kind is inferred from all of its cells, predictably:
 * number (every present cell a decimal number or `inf`), else boolean (`true`/`false`, any
 * case), else date (strict ISO 8601, UTC when no zone), else string. Unquoted cells equal to
 * a missing marker (pandas' list: `''`, `NA`, `NaN`, `null`, …) are missing; quoted cells
 * never are. Force a kind per column with `types`.
 *
 * @example
 * const t = readCsv('id,age,vip\n00123,35,true\n"A,7",,false\n', { types: { id: 'string' } });
 * t.strings('id')   // => ['00123', 'A,7']
 * t.numbers('age')  // => Float64Array [35, NaN]
 * t.column('vip')   // => { kind: 'boolean', values: [true, false] }
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): Table {
  if (typeof text !== 'string') throw new InputError('readCsv expects a string');
  const collector = new CsvColumnCollector(options);
  const state = { pos: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: 1 };
  scanCsvRecords(text, state, collector.delimiter, collector.missing, true, collector.add);
  return collector.table();
}

/**
 * Gathers scanned CSV records column by column and builds the {@link Table} with
 * {@link readCsv}'s header rules, type inference and forced types; shared by `readCsv`
 * (whole text) and `readCsvStream` (chunks), so both read a file the same way.
 *
 * @example
 * const c = new CsvColumnCollector({});
 * c.add(['id', 'n'], 1); c.add(['a', '2'], 2);
 * c.table().numbers('n') // => Float64Array [2]
 */
export class CsvColumnCollector {
  readonly delimiter: number;
  readonly missing: ReadonlySet<string>;
  private header: string[] | null;
  private width: number;
  private cells: (string | null)[][];
  private readonly lines: number[] = [];

  constructor(private readonly options: ReadCsvOptions) {
    const delimiter = options.delimiter ?? ',';
    if (![',', '\t', ';', '|'].includes(delimiter)) throw new InputError(`unsupported delimiter ${JSON.stringify(delimiter)}`);
    this.delimiter = delimiter.charCodeAt(0);
    this.missing = new Set(options.missing ?? DEFAULT_MISSING_MARKERS);
    this.header = options.columnNames ? [...options.columnNames] : null;
    this.width = this.header ? this.header.length : -1;
    this.cells = this.header ? this.header.map(() => []) : [];
  }

  /** Takes one record (the header first, unless `columnNames` were given). */
  readonly add = (record: (string | null)[], recordLine: number): void => {
    if (this.header === null) {
      this.header = record.map((f) => f ?? '');
      this.width = this.header.length;
      this.cells = this.header.map(() => []);
      return;
    }
    if (record.length > this.width) {
      throw new DataFormatError(`line ${recordLine}`, `has ${record.length} fields, expected ${this.width}`);
    }
    const r = this.lines.length;
    for (let c = 0; c < this.width; c++) this.cells[c][r] = c < record.length ? record[c] : null;
    this.lines.push(recordLine);
  };

  /** The table of every record added so far. */
  table(): Table {
    const options = this.options;
    const names = uniqueColumnNames(this.header ?? []);
    const inferTypes = options.inferTypes ?? true;
    const dates = options.dates ?? true;
    const entries: [string, Column][] = names.map((name, c) => {
      const cells = this.cells[c];
      const kind = ownSetting(options.types, name) ?? (inferTypes ? inferTextKind(cells, dates) : 'string');
      return [name, textColumn(cells, kind, name, this.lines)];
    });
    if (options.types) {
      const known = new Set(names);
      const forced = options.types instanceof Map ? [...options.types.keys()] : Object.keys(options.types);
      for (const name of forced) if (!known.has(name)) throw new InputError(`types names unknown column '${name}'`);
    }
    return Table.fromColumns(entries);
  }
}

/**
 * Makes header names usable and distinct the way pandas does: an empty name at position
 * `i` becomes `Unnamed: i`, and a repeated name gets `.1`, `.2`, … appended.
 *
 * @example
 * uniqueColumnNames(['a', '', 'a']) // => ['a', 'Unnamed: 1', 'a.1']
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  const counts = new Map<string, number>();
  return names.map((raw, i) => {
    const base = raw === '' ? `Unnamed: ${i}` : raw;
    let name = base;
    let k = counts.get(base) ?? 0;
    while (used.has(name)) name = `${base}.${++k}`;
    counts.set(base, k);
    used.add(name);
    return name;
  });
}

function textColumn(cells: (string | null)[], kind: ColumnKind, name: string, lines: number[]): Column {
  const n = lines.length;
  const fail = (r: number, what: string): never => {
    // Rows count data records from 1 (the header is not one); the line finds it in an editor.
    throw new DataFormatError(`row ${r + 1}`, `column '${name}': ${JSON.stringify(cells[r])} is not ${what} (line ${lines[r]})`);
  };
  switch (kind) {
    case 'string':
      return { kind, values: cells.length === n ? cells : Array.from({ length: n }, (_, r) => cells[r] ?? null) };
    case 'number':
    case 'date': {
      const out = new Float64Array(n);
      const parse = kind === 'number' ? parseNumberCell : parseIsoDateCell;
      for (let r = 0; r < n; r++) {
        const cell = cells[r];
        if (cell === null || cell === undefined) out[r] = NaN;
        else {
          const v = parse(cell);
          out[r] = v === undefined ? fail(r, kind === 'number' ? 'a number' : 'an ISO 8601 date') : v;
        }
      }
      return { kind, values: out };
    }
    case 'boolean': {
      const out = new Array<boolean | null>(n);
      for (let r = 0; r < n; r++) {
        const cell = cells[r];
        if (cell === null || cell === undefined) out[r] = null;
        else {
          const v = parseBooleanCell(cell);
          out[r] = v === undefined ? fail(r, 'true or false') : v;
        }
      }
      return { kind, values: out };
    }
    default:
      throw new InputError(`unknown column kind ${JSON.stringify(kind)} for '${name}'`);
  }
}
