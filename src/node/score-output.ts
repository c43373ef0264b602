import { float32Text } from '../features/float32-text.js';
import type { ScoreCell } from './score-input.js';
import type { RejectedRow } from './score-rows.js';

/**
 * The output formats the scorer writes (see `createScoreSink`): `arrow` is the Arrow IPC
 * file format, `arrows` the IPC stream format.
 *
 * @example
 * const format: ScoreOutputFormat = 'parquet';
 */
export type ScoreOutputFormat = 'csv' | 'jsonl' | 'arrow' | 'arrows' | 'parquet';

/**
 * The output columns: the id columns, then `value` (or `margin`) for one output per row,
 * `value_0 … value_{k-1}` for k.
 *
 * @example
 * scoreColumnNames(['customer_id'], 'value', 1) // => ['customer_id', 'value']
 */
export function scoreColumnNames(ids: readonly string[], kind: 'value' | 'margin', width: number): string[] {
  return [...ids, ...(width === 1 ? [kind] : Array.from({ length: width }, (_, k) => `${kind}_${k}`))];
}

/**
 * The header line of a CSV output ('' for JSONL, which names fields on every line).
 *
 * @example
 * formatScoreHeader('csv', ['customer_id', 'value']) // => 'customer_id,value\n'
 */
export function formatScoreHeader(format: 'csv' | 'jsonl', names: readonly string[]): string {
  return format === 'csv' ? names.map(csvCell).join(',') + '\n' : '';
}

/**
 * Rejected rows as CSV lines: row number, reason, then the row's cells as read.
 *
 * @example
 * formatRejectedRows([{ row: 7, reason: "column 'f1': 'x' is not a number", cells: ['c7', 'x'] }])
 * // => `7,"column 'f1': 'x' is not a number",c7,x\n`
 */
export function formatRejectedRows(rows: readonly RejectedRow[]): string {
  let text = '';
  for (const r of rows) text += [String(r.row), csvCell(r.reason), ...r.cells.map(csvCell)].join(',') + '\n';
  return text;
}

/** One CSV cell: quoted when it holds a quote, comma or line end. */
export function csvCell(cell: ScoreCell): string {
  if (cell === null || cell === undefined) return '';
  const text = typeof cell === 'string' ? cell : String(cell);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One JSON value; JSON has no NaN or Infinity, so those are null. */
export function jsonCell(cell: ScoreCell): string {
  if (cell === null || cell === undefined) return 'null';
  if (typeof cell === 'bigint') return cell.toString();
  if (typeof cell === 'number' && !Number.isFinite(cell)) return 'null';
  return JSON.stringify(cell);
}
