import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { readXlsxFile } from '../../node/read-xlsx-file.js';
import { retailTransactionsFromTable, type RetailTransaction } from '../../customers/retail-transactions.js';
import { UsageError } from '../args.js';
import type { CliIO } from '../command.js';
import { readCsvInput } from '../input.js';

/** Reads an Online-Retail-style transaction log (CSV or XLSX) for the rfm and recommend-items commands. */
export async function readRetailTransactions(path: string, io: CliIO): Promise<RetailTransaction[]> {
  const types = { InvoiceNo: 'string', StockCode: 'string', CustomerID: 'string' } as const;
  const table = /\.xlsx$/i.test(path) ? await readXlsxFile(resolve(io.cwd, path), { types }) : await readCsvInput(path, io, { types });
  return retailTransactionsFromTable(table);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Parses an ISO 8601 date option (`YYYY-MM-DD`, or with a time; UTC unless a zone is given).
 * Anything else is a usage error, because `Date.parse` would read `10/12/2010` as
 * 12 October in one place and 10 December in another.
 *
 * @example
 * parseDateOption('snapshot', '2011-12-10') // => 1323475200000
 */
export function parseDateOption(name: string, text: string): number {
  const m = ISO_DATE.exec(text);
  const ms = m ? Date.parse(m[4] === undefined ? `${text}T00:00:00Z` : m[7] === undefined ? `${text}Z` : text) : NaN;
  // Date.parse rolls 2011-02-30 over to March; a real date reads back as the same day.
  const real = m !== null && Number.isFinite(ms) && (m[7] !== undefined && m[7] !== 'Z' ? true : new Date(ms).toISOString().slice(0, 10) === `${m[1]}-${m[2]}-${m[3]}`);
  if (!real) throw new UsageError(`--${name} must be an ISO date like 2011-12-10 (YYYY-MM-DD), got '${text}'`);
  return ms;
}

/** Parses a numeric option within bounds. */
export function parseNumberOption(name: string, text: string | undefined, fallback: number, check: (x: number) => boolean): number {
  if (text === undefined) return fallback;
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name}: invalid value '${text}'`);
  return x;
}

/** Quotes a CSV field when needed. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function requireRows<T>(rows: T[], what: string): T[] {
  if (rows.length === 0) throw new InputError(`no ${what} in the input`);
  return rows;
}
