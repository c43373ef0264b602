import { cleanTransactions } from '../../customers/retail-transactions.js';
import { rfmTable } from '../../customers/rfm.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { csvField, parseDateOption, readRetailTransactions } from './retail-input.js';
import { InputError } from '../../errors.js';
import type { RetailTransaction } from '../../customers/retail-transactions.js';

/** Why no customer has an RFM row: an empty or customer-less log, or a snapshot before every purchase. */
function emptyReason(purchases: readonly RetailTransaction[], snapshot: number): string {
  const dated = purchases.filter((t) => t.customerId !== null);
  if (dated.length === 0) return 'no purchases with a CustomerID in the input, so no customer to score';
  let first = Infinity;
  let last = -Infinity;
  for (const t of dated) {
    if (t.invoiceDate < first) first = t.invoiceDate;
    if (t.invoiceDate > last) last = t.invoiceDate;
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `no purchase on or before the snapshot ${day(snapshot)}: the data runs from ${day(first)} to ${day(last)}`;
}

const usage = `usage: retail-ml rfm --input <transactions.csv|.xlsx> --snapshot <YYYY-MM-DD> [--cancellations net|ignore] [--json]
  Reads an Online-Retail-style log (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
  UnitPrice, CustomerID, Country), drops lines without a customer, and prints each customer's
  recency (days), frequency (invoices), monetary value, R/F/M quintile scores and segment as CSV
  (or JSON with --json). A segment count summary goes to stderr. --snapshot is an ISO date;
  a snapshot before every purchase is an error that says the data's date range. - reads CSV from stdin.`;

export const rfmCommand: Command = {
  summary: 'RFM scores and named segments per customer from a transaction log',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['input', 'snapshot', 'cancellations'], flags: ['json'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const snapshot = parseDateOption('snapshot', requireOption(args, 'snapshot'));
    const cancellations = option(args, 'cancellations') ?? 'net';
    if (cancellations !== 'net' && cancellations !== 'ignore') throw new UsageError(`--cancellations must be net or ignore`);
    const cleaned = cleanTransactions(await readRetailTransactions(requireOption(args, 'input'), io));
    const rows = rfmTable(cleaned, snapshot, { cancellations });
    if (rows.length === 0) throw new InputError(emptyReason(cleaned.purchases, snapshot));
    if (args.flags.has('json')) io.stdout(JSON.stringify(rows) + '\n');
    else {
      const lines = ['customer_id,recency,frequency,monetary,r,f,m,segment'];
      for (const r of rows) lines.push([r.customerId, r.recency, r.frequency, Math.round(r.monetary * 100) / 100, r.r, r.f, r.m, r.segment].map(csvField).join(','));
      io.stdout(lines.join('\n') + '\n');
    }
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.segment, (counts.get(r.segment) ?? 0) + 1);
    io.stderr([...counts].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s}: ${n}`).join(', ') + '\n');
    return 0;
  },
};
