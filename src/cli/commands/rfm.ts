import { cleanTransactions } from '../../customers/retail-transactions.js';
import { rfmTable } from '../../customers/rfm.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { csvField, parseDateOption, readRetailTransactions } from './retail-input.js';

const usage = `usage: retail-ml rfm --input <transactions.csv|.xlsx> --snapshot <YYYY-MM-DD> [--cancellations net|ignore] [--json]
  Reads an Online-Retail-style log (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
  UnitPrice, CustomerID, Country), drops lines without a customer, and prints each customer's
  recency (days), frequency (invoices), monetary value, R/F/M quintile scores and segment as CSV
  (or JSON with --json). A segment count summary goes to stderr.`;

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
