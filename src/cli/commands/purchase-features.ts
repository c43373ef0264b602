import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ModelFormatError } from '../../errors.js';
import { Table, writeCsv } from '../../features/index.js';
import type { Column } from '../../features/index.js';
import { readCsvInput } from '../input.js';
import { readNamedFile } from '../system-error.js';
import { fitPurchaseFeatures, transformPurchaseFeatures } from '../../purchase/index.js';
import type { PurchaseFeatureSpec } from '../../purchase/index.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: retail-ml purchase-features --input <users.csv> --out <features.csv>
                                  [--spec <spec.json> | --save-spec <spec.json>]
  Computes the purchase-in-24h features (retail_app_data.csv layout): one row per user,
  user_id first, then the feature columns, then purchase_24h when the input has purchase_date.
  Categories are fitted on the input, or taken from --spec (a spec saved with --save-spec
  from the training users), so new users get the training columns.`;

export const purchaseFeaturesCommand: Command = {
  summary: 'compute purchase-in-24h features from app users (user_id + feature columns)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['input', 'out', 'spec', 'save-spec'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const specPath = option(args, 'spec');
    const savePath = option(args, 'save-spec');
    if (specPath && savePath) throw new UsageError('choose --spec or --save-spec');
    const out = requireOption(args, 'out');
    const users = await readCsvInput(requireOption(args, 'input'), io, { types: new Map([['user_id', 'string' as const]]) });
    let spec: PurchaseFeatureSpec;
    if (specPath) {
      const text = await readNamedFile(resolve(io.cwd, specPath));
      try {
        spec = JSON.parse(text);
      } catch (error) {
        throw new ModelFormatError(specPath, `not valid JSON: ${(error as Error).message}`);
      }
    } else spec = fitPurchaseFeatures(users);
    const features = transformPurchaseFeatures(users, spec);
    const columns: [string, Column][] = [];
    columns.push(['user_id', users.has('user_id') ? users.column('user_id') : { kind: 'string', values: Array.from({ length: users.numRows }, (_, i) => String(i + 1)) }]);
    for (const name of features.columnNames) columns.push([name, features.column(name)]);
    await writeFile(resolve(io.cwd, out), writeCsv(Table.fromColumns(columns)));
    if (savePath) await writeFile(resolve(io.cwd, savePath), JSON.stringify(spec, null, 1));
    io.stdout(`wrote ${out}: ${users.numRows} users × ${features.columnNames.length} columns\n`);
    return 0;
  },
};
