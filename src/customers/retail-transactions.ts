import { DataFormatError, InputError } from '../errors.js';
import { parseIsoDateCell } from '../features/parse-cell.js';
import type { Table } from '../features/table.js';

/** One line of an Online-Retail-style transaction log. */
export interface RetailTransaction {
  invoiceNo: string;
  stockCode: string;
  description: string | null;
  quantity: number;
  /** Epoch ms. */
  invoiceDate: number;
  unitPrice: number;
  /** `null` when the log has no customer (guest checkout). */
  customerId: string | null;
  country: string | null;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * Reads the UCI Online Retail columns (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
 * UnitPrice, CustomerID, Country) from a {@link Table}. InvoiceDate may be a date column, ISO
 * text, or Excel serial day numbers (as numbers or text); CustomerIDs like `17850.0` or 17850 become `'17850'`.
 * A row whose quantity, price or date cannot be read is a {@link DataFormatError} naming it.
 *
 * @example
 * const rows = retailTransactionsFromTable(readCsv(text, { types: { CustomerID: 'string', InvoiceNo: 'string', StockCode: 'string' } }));
 */
export function retailTransactionsFromTable(table: Table): RetailTransaction[] {
  const invoice = table.strings('InvoiceNo');
  const stock = table.strings('StockCode');
  const description = table.has('Description') ? table.strings('Description') : null;
  const quantity = table.numbers('Quantity');
  const price = table.numbers('UnitPrice');
  const customer = table.strings('CustomerID');
  const country = table.has('Country') ? table.strings('Country') : null;
  const dateColumn = table.column('InvoiceDate');
  const dates =
    dateColumn.kind === 'string'
      ? dateColumn.values.map((s) => (s === null ? NaN : parseIsoDateCell(s.trim()) ?? excelSerialMs(Number(s.trim() || NaN))))
      : dateColumn.kind === 'number'
        ? Array.from(dateColumn.values, excelSerialMs)
        : Array.from(table.numbers('InvoiceDate'));
  const out: RetailTransaction[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const where = `row ${r + 1}`;
    const inv = invoice[r];
    if (inv === null) throw new DataFormatError(where, 'InvoiceNo is missing');
    if (!Number.isFinite(quantity[r])) throw new DataFormatError(where, 'Quantity is not a number');
    if (!Number.isFinite(price[r])) throw new DataFormatError(where, 'UnitPrice is not a number');
    if (!Number.isFinite(dates[r])) throw new DataFormatError(where, 'InvoiceDate is not a date');
    out.push({
      invoiceNo: inv.trim(),
      stockCode: (stock[r] ?? '').trim(),
      description: description ? description[r] : null,
      quantity: quantity[r],
      invoiceDate: dates[r],
      unitPrice: price[r],
      customerId: normaliseCustomerId(customer[r]),
      country: country ? country[r] : null,
    });
  }
  return out;
}

function excelSerialMs(serial: number): number {
  return EXCEL_EPOCH_MS + Math.round(serial * 86_400_000);
}

function normaliseCustomerId(id: string | null): string | null {
  if (id === null) return null;
  const t = id.trim();
  if (t === '') return null;
  const m = /^(\d+)\.0*$/.exec(t);
  return m ? m[1] : t;
}

/** What {@link cleanTransactions} kept and why it dropped the rest. */
export interface CleanedTransactions {
  /** Customer purchases: positive quantity and price, not a cancellation. */
  purchases: RetailTransaction[];
  /** Cancellation lines of known customers (invoice `C…` or negative quantity). */
  cancellations: RetailTransaction[];
  dropped: { missingCustomer: number; nonPositivePriceOrQuantity: number };
}

/**
 * Is this line a cancellation? Invoice numbers starting with `C` are, as are negative quantities.
 *
 * @example
 * isCancellation({ invoiceNo: 'C536379', quantity: -1 }) // => true
 */
export function isCancellation(t: Pick<RetailTransaction, 'invoiceNo' | 'quantity'>): boolean {
  return /^c/i.test(t.invoiceNo) || t.quantity < 0;
}

/**
 * Splits a transaction log into purchases and cancellations of identified customers, dropping
 * lines without a customer and non-cancellation lines with a zero or negative price or quantity
 * (adjustments, samples, damages).
 *
 * @example
 * const { purchases, cancellations, dropped } = cleanTransactions(rows);
 */
export function cleanTransactions(rows: readonly RetailTransaction[]): CleanedTransactions {
  const purchases: RetailTransaction[] = [];
  const cancellations: RetailTransaction[] = [];
  let missingCustomer = 0;
  let nonPositivePriceOrQuantity = 0;
  for (const t of rows) {
    if (!Number.isFinite(t.invoiceDate)) throw new InputError(`invoice ${t.invoiceNo}: invalid date`);
    if (t.customerId === null || t.customerId === '') {
      missingCustomer++;
      continue;
    }
    if (isCancellation(t)) {
      cancellations.push(t);
      continue;
    }
    if (!(t.quantity > 0 && t.unitPrice > 0)) {
      nonPositivePriceOrQuantity++;
      continue;
    }
    purchases.push(t);
  }
  return { purchases, cancellations, dropped: { missingCustomer, nonPositivePriceOrQuantity } };
}
