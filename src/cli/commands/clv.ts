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
         [--unit days|weeks|months | --periods-per-month N] [--months 12] [--discount 0.01]
         [--horizon <periods>] [--threshold 0.5]
  Fits BG/NBD (and Gamma-Gamma when spend is given) to a customer summary with columns
  frequency (or x), recency (or t_x), T and optionally monetary_value (or zbar), and an id column
  (ID, id, customer_id or CustomerID) for --per-customer.
  --json prints {"bgnbd": {r, alpha, a, b, logLikelihood}, "gammaGamma": {p, q, v}}.
  --per-customer prints CSV: id, p_alive, churn_risk, churned, expected_purchases (over --horizon,
  default one month), clv (with spend; over --months at --discount per month).
  The time unit of recency and T comes from --unit, --periods-per-month, or a unit column in the
  summary (days, weeks or months, the same on every row); a month is 30 days or 4.345 weeks.
  It is required where it matters (CLV, the default horizon), never guessed. - reads stdin.`;

/** Summary time units and how many of each make a month. */
const PERIODS_PER_MONTH = { days: 30, weeks: 4.345, months: 1 } as const;

/** The unit a summary's `unit` (or `time_unit`) column names: days/weeks/months, or D/W/M as lifetimes writes. */
function unitOfSummary(table: Table): keyof typeof PERIODS_PER_MONTH | undefined {
  const column = ['unit', 'time_unit'].find((n) => table.has(n));
  if (!column) return undefined;
  const aliases: Record<string, keyof typeof PERIODS_PER_MONTH> = { days: 'days', day: 'days', d: 'days', weeks: 'weeks', week: 'weeks', w: 'weeks', months: 'months', month: 'months', m: 'months' };
  const values = new Set(table.strings(column).map((v) => (v ?? '').trim().toLowerCase()));
  const units = new Set([...values].map((v) => aliases[v]));
  if (units.size !== 1 || units.has(undefined as never)) throw new InputError(`the summary's ${column} column must say days, weeks or months on every row, got ${[...values].slice(0, 3).map((v) => `'${v}'`).join(', ')}`);
  return [...units][0];
}

function pick(table: Table, names: readonly string[], required: boolean): string | undefined {
  const found = names.find((n) => table.has(n));
  if (!found && required) throw new InputError(`the summary needs a column ${names.join(' or ')}`);
  return found;
}

export const clvCommand: Command = {
  summary: 'fit BG/NBD + Gamma-Gamma to a customer summary: parameters, churn risk, CLV',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['summary', 'months', 'discount', 'periods-per-month', 'unit', 'horizon', 'threshold'], flags: ['json', 'per-customer'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    if (args.flags.has('json') && args.flags.has('per-customer')) throw new UsageError('choose --json or --per-customer');
    const months = parseNumberOption('months', option(args, 'months'), 12, (x) => Number.isInteger(x) && x >= 0);
    const discount = parseNumberOption('discount', option(args, 'discount'), 0.01, (x) => x > -1);
    const givenPeriods = option(args, 'periods-per-month');
    const unitText = option(args, 'unit');
    if (givenPeriods !== undefined && unitText !== undefined) throw new UsageError('choose --unit or --periods-per-month');
    if (unitText !== undefined && !(unitText in PERIODS_PER_MONTH)) throw new UsageError(`--unit must be days, weeks or months, got '${unitText}'`);
    const horizonText = option(args, 'horizon');
    const threshold = parseNumberOption('threshold', option(args, 'threshold'), 0.5, (x) => x >= 0 && x <= 1);

    const table = await readCsvInput(requireOption(args, 'summary'), io, { inferTypes: false });
    const [xCol, txCol, TCol] = [pick(table, ['frequency', 'x'], true)!, pick(table, ['recency', 't_x'], true)!, pick(table, ['T'], true)!];
    const [xs, txs, Ts] = [table.strings(xCol), table.strings(txCol), table.strings(TCol)];
    const spendCol = pick(table, ['monetary_value', 'zbar'], false);
    const spends = spendCol ? table.strings(spendCol) : undefined;
    const idCol = pick(table, ['ID', 'id', 'customer_id', 'CustomerID'], false);
    const ids = idCol ? table.strings(idCol) : undefined;
    const summaryUnit = unitOfSummary(table);
    if (unitText !== undefined && summaryUnit !== undefined && unitText !== summaryUnit) throw new InputError(`--unit ${unitText}, but the summary's unit column says ${summaryUnit}`);
    const unit = unitText ?? summaryUnit;
    const knownPeriods =
      givenPeriods !== undefined ? parseNumberOption('periods-per-month', givenPeriods, 0, (x) => x > 0) : unit !== undefined ? PERIODS_PER_MONTH[unit as keyof typeof PERIODS_PER_MONTH] : undefined;
    // Days, weeks and months give CLVs 30 times apart: ask rather than assume.
    const needPeriods = (why: string): number => {
      if (knownPeriods === undefined) throw new UsageError(`${why} needs the summary's time unit: give --unit days|weeks|months or --periods-per-month N, or add a unit column`);
      return knownPeriods;
    };
    const num = (text: string | null, row: number, col: string) => {
      const v = text === null ? NaN : Number(text);
      if (text === null || text.trim() === '' || !Number.isFinite(v)) throw new InputError(`row ${row + 1}, column ${col}: '${text ?? ''}' is not a number`);
      return v;
    };
    const rows: CustomerSummaryRow[] = [];
    for (let r = 0; r < table.numRows; r++) {
      rows.push({
        customerId: ids?.[r] ?? String(r + 1),
        frequency: num(xs[r], r, xCol),
        recency: num(txs[r], r, txCol),
        T: num(Ts[r], r, TCol),
        ...(spends ? { monetaryValue: num(spends[r], r, spendCol!) } : {}),
      });
    }
    // Checked before the fit, so a missing unit fails at once.
    const perCustomer = args.flags.has('per-customer');
    const horizon = !perCustomer ? 0 : horizonText !== undefined ? parseNumberOption('horizon', horizonText, 0, (x) => x >= 0) : needPeriods('the default --horizon (one month)');
    const periodsPerMonth = perCustomer && spends ? needPeriods('CLV') : 0;
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
