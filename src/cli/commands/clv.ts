import { InputError } from '../../errors.js';
import { expectedPurchases, fitBgNbd, probabilityAlive, type CustomerSummaryRow } from '../../customers/bgnbd.js';
import { fitGammaGamma } from '../../customers/gamma-gamma.js';
import { churnRisk, customerLifetimeValue } from '../../customers/lifetime-value.js';
import type { Table } from '../../features/table.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { csvField, parseNumberOption } from './retail-input.js';
import { readCsvInput } from '../input.js';

const usage = `usage: retail-ml clv --summary <customers.csv> [--json | --per-customer]
         [--months 12] [--discount 0.01] [--periods-per-month 30] [--horizon <periods>] [--threshold 0.5]
  Fits BG/NBD (and Gamma-Gamma when spend is given) to a customer summary with columns
  frequency (or x), recency (or t_x), T and optionally monetary_value (or zbar), and an id column
  (ID, id, customer_id or CustomerID) for --per-customer.
  --json prints {"bgnbd": {r, alpha, a, b, logLikelihood}, "gammaGamma": {p, q, v}}.
  --per-customer prints CSV: id, p_alive, churn_risk, churned, expected_purchases (over --horizon,
  default one month), clv (with spend; over --months at --discount per month).`;

function pick(table: Table, names: readonly string[], required: boolean): string | undefined {
  const found = names.find((n) => table.has(n));
  if (!found && required) throw new InputError(`the summary needs a column ${names.join(' or ')}`);
  return found;
}

export const clvCommand: Command = {
  summary: 'fit BG/NBD + Gamma-Gamma to a customer summary: parameters, churn risk, CLV',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['summary', 'months', 'discount', 'periods-per-month', 'horizon', 'threshold'], flags: ['json', 'per-customer'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    if (args.flags.has('json') && args.flags.has('per-customer')) throw new UsageError('choose --json or --per-customer');
    const months = parseNumberOption('months', option(args, 'months'), 12, (x) => Number.isInteger(x) && x >= 0);
    const discount = parseNumberOption('discount', option(args, 'discount'), 0.01, (x) => x > -1);
    const periodsPerMonth = parseNumberOption('periods-per-month', option(args, 'periods-per-month'), 30, (x) => x > 0);
    const horizon = parseNumberOption('horizon', option(args, 'horizon'), periodsPerMonth, (x) => x >= 0);
    const threshold = parseNumberOption('threshold', option(args, 'threshold'), 0.5, (x) => x >= 0 && x <= 1);

    const table = await readCsvInput(requireOption(args, 'summary'), io, { inferTypes: false });
    const xs = table.strings(pick(table, ['frequency', 'x'], true)!);
    const txs = table.strings(pick(table, ['recency', 't_x'], true)!);
    const Ts = table.strings(pick(table, ['T'], true)!);
    const spendCol = pick(table, ['monetary_value', 'zbar'], false);
    const spends = spendCol ? table.strings(spendCol) : undefined;
    const idCol = pick(table, ['ID', 'id', 'customer_id', 'CustomerID'], false);
    const ids = idCol ? table.strings(idCol) : undefined;
    const num = (text: string | null, row: number, col: string) => {
      const v = text === null ? NaN : Number(text);
      if (text === null || text.trim() === '' || !Number.isFinite(v)) throw new InputError(`row ${row + 1}, column ${col}: '${text ?? ''}' is not a number`);
      return v;
    };
    const rows: CustomerSummaryRow[] = [];
    for (let r = 0; r < table.numRows; r++) {
      rows.push({
        customerId: ids?.[r] ?? String(r + 1),
        frequency: num(xs[r], r, 'frequency'),
        recency: num(txs[r], r, 'recency'),
        T: num(Ts[r], r, 'T'),
        ...(spends ? { monetaryValue: num(spends[r], r, spendCol!) } : {}),
      });
    }
    const bgnbd = fitBgNbd(rows);
    const gammaGamma = spends ? fitGammaGamma(rows) : undefined;

    if (args.flags.has('json')) {
      const out: Record<string, unknown> = {
        bgnbd: { r: bgnbd.r, alpha: bgnbd.alpha, a: bgnbd.a, b: bgnbd.b, logLikelihood: bgnbd.logLikelihood },
      };
      if (gammaGamma) out.gammaGamma = { p: gammaGamma.p, q: gammaGamma.q, v: gammaGamma.v };
      io.stdout(JSON.stringify(out) + '\n');
      return 0;
    }
    if (args.flags.has('per-customer')) {
      const lines = [['id', 'p_alive', 'churn_risk', 'churned', 'expected_purchases', ...(gammaGamma ? ['clv'] : [])].join(',')];
      for (const row of rows) {
        const churn = churnRisk(bgnbd, row, threshold);
        const cells: (string | number)[] = [row.customerId!, probabilityAlive(bgnbd, row), churn.risk, String(churn.churned), expectedPurchases(bgnbd, horizon, row)];
        if (gammaGamma) cells.push(customerLifetimeValue(bgnbd, gammaGamma, row, { months, monthlyDiscountRate: discount, periodsPerMonth }));
        lines.push(cells.map(csvField).join(','));
      }
      io.stdout(lines.join('\n') + '\n');
      return 0;
    }
    const f = (x: number) => x.toFixed(4);
    let text = `BG/NBD (${rows.length} customers): r=${f(bgnbd.r)} alpha=${f(bgnbd.alpha)} a=${f(bgnbd.a)} b=${f(bgnbd.b)} log-likelihood=${bgnbd.logLikelihood.toFixed(2)}\n`;
    if (gammaGamma) text += `Gamma-Gamma (${rows.filter((r) => r.frequency > 0).length} repeat customers): p=${f(gammaGamma.p)} q=${f(gammaGamma.q)} v=${f(gammaGamma.v)}\n`;
    io.stdout(text);
    return 0;
  },
};
