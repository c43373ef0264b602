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

/** Parses a `YYYY-MM-DD` (or full ISO) date option as UTC. */
export function parseDateOption(name: string, text: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be a date like 2011-12-10, got '${text}'`);
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
