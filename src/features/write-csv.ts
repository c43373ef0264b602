import { InputError } from '../errors.js';
import { DEFAULT_MISSING_MARKERS } from './parse-cell.js';
import type { Table } from './table.js';

/** Options for {@link writeCsv}. */
export interface WriteCsvOptions {
  /** Field separator; default `,`. */
  delimiter?: ',' | '\t' | ';' | '|';
  /** Line end; default `\n` (as pandas writes), `\r\n` for strict RFC 4180. */
  newline?: '\n' | '\r\n';
}

/**
 * Writes a {@link Table} as CSV text with a header row, so that {@link readCsv} reads the
 * same values back (given the same column kinds). Missing cells are empty (`NA` in a
 * one-column table, where an empty line would be skipped as blank); numbers use
 * JavaScript's shortest round-trip form; dates are ISO 8601 UTC; booleans `true`/`false`.
 * A field is quoted when it holds the delimiter, a quote, a line break, is empty, has
 * surrounding spaces, or equals a missing marker such as `NA`.
 *
 * @example
 * writeCsv(Table.fromRows([{ id: 'a,b', n: 1.5 }, { id: 'NA', n: null }]))
 * // => 'id,n\n"a,b",1.5\n"NA",\n'
 */
export function writeCsv(table: Table, options: WriteCsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const newline = options.newline ?? '\n';
  if (![',', '\t', ';', '|'].includes(delimiter)) throw new InputError(`unsupported delimiter ${JSON.stringify(delimiter)}`);
  const missingText = table.columnNames.length === 1 ? 'NA' : '';
  const quote = (s: string): string => (needsQuotes(s, delimiter) ? `"${s.replaceAll('"', '""')}"` : s);
  const columns = table.columnNames.map((name) => table.strings(name));
  const out: string[] = [table.columnNames.map(quote).join(delimiter)];
  for (let r = 0; r < table.numRows; r++) {
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) line += delimiter;
      const v = columns[c][r];
      line += v === null ? missingText : quote(v);
    }
    out.push(line);
  }
  return out.join(newline) + newline;
}

const MISSING = new Set(DEFAULT_MISSING_MARKERS);

function needsQuotes(s: string, delimiter: string): boolean {
  return (
    MISSING.has(s) ||
    s.includes(delimiter) ||
    s.includes('"') ||
    s.includes('\n') ||
    s.includes('\r') ||
    s.charCodeAt(0) === 0xfeff ||
    s.trim() !== s
  );
}
