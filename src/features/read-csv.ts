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
import { Table } from './table.js';
import { checkTableSize, resolveTableLimits, type TableLimits } from './table-limits.js';

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
  /** Bounds on columns, rows, cells and field length, checked before allocating (see {@link TableLimits}). */
  limits?: TableLimits;
}

interface RawCsv {
  header: string[] | null;
  /** cells[c][r]; null = missing. */
  cells: (string | null)[][];
  /** Line (1-based) where each record starts, for error messages. */
  lines: number[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

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
  const delimiter = options.delimiter ?? ',';
  if (![',', '\t', ';', '|'].includes(delimiter)) throw new InputError(`unsupported delimiter ${JSON.stringify(delimiter)}`);
  const missing = new Set(options.missing ?? DEFAULT_MISSING_MARKERS);
  const limits = resolveTableLimits(options.limits);
  const raw = parseRecords(text, delimiter.charCodeAt(0), missing, options.columnNames, limits);
  const names = uniqueColumnNames(raw.header ?? []);
  const inferTypes = options.inferTypes ?? true;
  const dates = options.dates ?? true;
  const entries: [string, Column][] = names.map((name, c) => {
    const cells = raw.cells[c];
    const kind = ownSetting(options.types, name) ?? (inferTypes ? inferTextKind(cells, dates) : 'string');
    return [name, textColumn(cells, kind, name, raw.lines)];
  });
  if (options.types) {
    const known = new Set(names);
    const forced = options.types instanceof Map ? [...options.types.keys()] : Object.keys(options.types);
    for (const name of forced) if (!known.has(name)) throw new InputError(`types names unknown column '${name}'`);
  }
  return Table.fromColumns(entries);
}

function parseRecords(
  text: string,
  delimiter: number,
  missing: ReadonlySet<string>,
  givenNames: readonly string[] | undefined,
  limits: Required<TableLimits>,
): RawCsv {
  if (givenNames) checkTableSize(0, givenNames.length, limits, 'columnNames');
  let header: string[] | null = givenNames ? [...givenNames] : null;
  let width = header ? header.length : -1;
  let cells: (string | null)[][] = header ? header.map(() => []) : [];
  const lines: number[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let record: (string | null)[] = [];
  let recordLine = 1;

  const finishRecord = () => {
    if (header === null) {
      checkTableSize(0, record.length, limits, `line ${recordLine}`);
      header = record.map((f) => f ?? '');
      width = header.length;
      cells = header.map(() => []);
    } else {
      if (record.length > width) {
        throw new DataFormatError(`line ${recordLine}`, `has ${record.length} fields, expected ${width}`);
      }
      const r = lines.length;
      // Padding makes every record cost `width` cells, whatever its length in the text.
      checkTableSize(r + 1, width, limits, `line ${recordLine}`);
      for (let c = 0; c < width; c++) cells[c][r] = c < record.length ? record[c] : null;
      lines.push(recordLine);
    }
    record = [];
  };

  while (i < n) {
    const atRecordStart = record.length === 0;
    if (atRecordStart) {
      recordLine = line;
      const ch = text.charCodeAt(i);
      if (ch === LF || ch === CR) {
        // blank line: skipped, as pandas does
        i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        continue;
      }
    }
    // one field starting at i
    let value: string | null;
    if (text.charCodeAt(i) === QUOTE) {
      const openLine = line;
      let j = i + 1;
      let parts = '';
      let segmentStart = j;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) throw new DataFormatError(`line ${openLine}`, 'unterminated quoted field');
        // Escaped quotes take two characters each, so the raw extent is at most twice the field.
        if (q - i > 2 * limits.maxFieldLength + 2) throw new DataFormatError(`line ${openLine}`, `a field of over ${limits.maxFieldLength} characters exceeds the limit (maxFieldLength)`);
        for (let k = j; k < q; k++) if (text.charCodeAt(k) === LF || (text.charCodeAt(k) === CR && text.charCodeAt(k + 1) !== LF)) line++;
        if (text.charCodeAt(q + 1) === QUOTE) {
          parts += text.slice(segmentStart, q + 1);
          j = q + 2;
          segmentStart = j;
          continue;
        }
        parts += text.slice(segmentStart, q);
        i = q + 1;
        break;
      }
      if (parts.length > limits.maxFieldLength) throw new DataFormatError(`line ${openLine}`, `a field of ${parts.length} characters exceeds the limit ${limits.maxFieldLength} (maxFieldLength)`);
      value = parts;
      const next = i < n ? text.charCodeAt(i) : LF;
      if (next !== delimiter && next !== LF && next !== CR) {
        throw new DataFormatError(`line ${line}`, 'unexpected text after a closing quote');
      }
    } else {
      let j = i;
      const stop = Math.min(n, i + limits.maxFieldLength + 1);
      while (j < stop) {
        const ch = text.charCodeAt(j);
        if (ch === delimiter || ch === LF || ch === CR) break;
        j++;
      }
      if (j - i > limits.maxFieldLength) throw new DataFormatError(`line ${line}`, `a field of ${j - i} characters exceeds the limit ${limits.maxFieldLength} (maxFieldLength)`);
      const s = text.slice(i, j);
      value = missing.has(s) ? null : s;
      i = j;
    }
    record.push(value);
    if (record.length > limits.maxColumns) checkTableSize(0, record.length, limits, `line ${recordLine}`);
    if (i >= n) {
      finishRecord();
      break;
    }
    const ch = text.charCodeAt(i);
    if (ch === delimiter) {
      i++;
      if (i >= n) {
        record.push(missing.has('') ? null : '');
        finishRecord();
      }
      continue;
    }
    // end of line
    i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    finishRecord();
  }
  return { header, cells: header === null ? [] : cells, lines };
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
    throw new DataFormatError(`line ${lines[r]}`, `column '${name}': ${JSON.stringify(cells[r])} is not ${what}`);
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
