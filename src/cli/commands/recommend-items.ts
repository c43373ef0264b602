import { cleanTransactions } from '../../customers/retail-transactions.js';
import { fitCoOccurrence, recommendItemsForAll, type ItemSimilarity } from '../../recommend/co-occurrence.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { csvField, parseDateOption, parseNumberOption, readRetailTransactions, requireRows } from './retail-input.js';

const usage = `usage: retail-ml recommend-items --input <transactions.csv|.xlsx> [--k 10] [--similarity jaccard|lift|counts]
         [--min-count 1] [--half-life-days <days> --now <YYYY-MM-DD>] [--user <CustomerID>]... [--include-seen]
  Fits an item co-occurrence (SAR-style) model on the purchases of an Online-Retail-style log
  (user = CustomerID, item = StockCode, weight 1 per line) and prints CSV: user, rank, item, score.
  Unknown users get the most popular items.`;

export const recommendItemsCommand: Command = {
  summary: 'item co-occurrence recommendations per customer from a transaction log',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['input', 'k', 'similarity', 'min-count', 'half-life-days', 'now', 'user'], flags: ['include-seen'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const k = parseNumberOption('k', option(args, 'k'), 10, (x) => Number.isInteger(x) && x >= 1);
    const similarity = (option(args, 'similarity') ?? 'jaccard') as ItemSimilarity;
    if (!['jaccard', 'lift', 'counts'].includes(similarity)) throw new UsageError('--similarity must be jaccard, lift or counts');
    const minCount = parseNumberOption('min-count', option(args, 'min-count'), 1, (x) => x >= 1);
    const halfLife = option(args, 'half-life-days');
    const nowText = option(args, 'now');
    if ((halfLife === undefined) !== (nowText === undefined)) throw new UsageError('--half-life-days and --now go together');
    const halfLifeDays = halfLife === undefined ? undefined : parseNumberOption('half-life-days', halfLife, 0, (x) => x > 0);
    const now = nowText === undefined ? undefined : parseDateOption('now', nowText);

    const { purchases } = cleanTransactions(await readRetailTransactions(requireOption(args, 'input'), io));
    requireRows(purchases, 'customer purchases');
    const model = fitCoOccurrence(
      purchases.map((t) => ({ user: t.customerId!, item: t.stockCode, timestamp: t.invoiceDate })),
      { similarity, minCount, halfLifeDays, now },
    );
    const users = args.options.get('user');
    const recs = recommendItemsForAll(model, { k, excludeSeen: !args.flags.has('include-seen'), users });
    const lines = ['user,rank,item,score'];
    for (const [user, list] of recs) list.forEach((r, i) => lines.push([user, i + 1, r.item, r.score].map(csvField).join(',')));
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
