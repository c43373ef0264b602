import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { countPredictionsByTopCategory, readRecentPredictions, type PredictionRecord } from '../../adapters/log/index.js';
import { option, parseArgs, UsageError } from '../args.js';
import type { CliIO, Command } from '../command.js';

const usage = `usage: retail-ml log tail  [--limit N] [source] [--json]
       retail-ml log stats [source] [--json]
source: --file PATH (default .retail-ml/predictions.jsonl, the log npm start writes)
        or --mongodb-uri URI (default $MONGODB_URI) [--db NAME] [--collection NAME]
           (defaults $MONGODB_DB or ecommerce_db, $MONGODB_COLLECTION or category_predictions)
`;

interface Source {
  recent(limit: number): Promise<PredictionRecord[]>;
  counts(): Promise<Map<string, number>>;
  describe: string;
}

async function openSource(args: ReturnType<typeof parseArgs>, io: CliIO): Promise<Source> {
  const file = option(args, 'file');
  const uri = option(args, 'mongodb-uri') ?? (file === undefined ? io.env.MONGODB_URI?.trim() || undefined : undefined);
  if (file !== undefined && option(args, 'mongodb-uri') !== undefined) throw new UsageError('give --file or --mongodb-uri, not both');
  if (uri) {
    const mongo = await import('../../adapters/mongodb/index.js');
    const target = {
      uri,
      database: option(args, 'db') ?? (io.env.MONGODB_DB?.trim() || undefined),
      collection: option(args, 'collection') ?? (io.env.MONGODB_COLLECTION?.trim() || undefined),
    };
    return {
      describe: mongo.describeMongoTarget(uri, target.database ?? mongo.DEFAULT_DATABASE, target.collection ?? mongo.DEFAULT_COLLECTION),
      recent: (limit) => mongo.readRecentFromMongo(target, limit),
      counts: () => mongo.countTopCategoriesInMongo(target),
    };
  }
  if (option(args, 'db') !== undefined || option(args, 'collection') !== undefined) {
    throw new UsageError('--db and --collection need --mongodb-uri (or MONGODB_URI)');
  }
  const path = resolve(io.cwd, file ?? '.retail-ml/predictions.jsonl');
  if (!existsSync(path)) throw new InputError(`no prediction log at ${path} (run npm start, or pass --file / --mongodb-uri)`);
  return {
    describe: path,
    recent: (limit) => readRecentPredictions(path, limit),
    counts: () => countPredictionsByTopCategory(path),
  };
}

function formatRecord(r: PredictionRecord): string {
  const top = r.top.map((t) => `${t.label} ${(t.probability * 100).toFixed(1)}%`).join(' · ');
  return `${r.timestamp}  ${r.customerId ?? '-'}  ${top}  (${r.model.name} ${r.model.sha256.slice(0, 12)})`;
}

/** `retail-ml log tail|stats`: recent predictions and per-category counts, from the JSONL log or MongoDB. */
export const logCommand: Command = {
  summary: 'show recent predictions (tail) or counts per top category (stats) from the prediction log',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['limit', 'file', 'mongodb-uri', 'db', 'collection'], flags: ['json'] });
    const [action, ...extra] = args.positionals;
    if (action !== 'tail' && action !== 'stats') throw new UsageError(action === undefined ? 'say tail or stats' : `unknown action '${action}'`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const limitText = option(args, 'limit');
    if (action === 'stats' && limitText !== undefined) throw new UsageError('--limit is for tail');
    const limit = limitText === undefined ? 10 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) throw new UsageError(`--limit must be a whole number from 1 to 1000000, got ${limitText}`);
    const source = await openSource(args, io);
    const json = args.flags.has('json');

    if (action === 'tail') {
      const records = await source.recent(limit);
      if (json) {
        for (const r of records) io.stdout(JSON.stringify(r) + '\n');
        return 0;
      }
      io.stdout(`# ${records.length} most recent predictions, newest first, from ${source.describe}\n`);
      for (const r of records) io.stdout(formatRecord(r) + '\n');
      return 0;
    }

    const counts = await source.counts();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (json) {
      io.stdout(JSON.stringify({ total, byTopCategory: [...counts].map(([category, count]) => ({ category, count })) }) + '\n');
      return 0;
    }
    const width = Math.max(12, ...[...counts.keys()].map((k) => k.length));
    io.stdout(`# predictions per top category, from ${source.describe}\n`);
    io.stdout(`${'top category'.padEnd(width)}  ${'count'.padStart(7)}  share\n`);
    for (const [category, count] of counts) {
      io.stdout(`${category.padEnd(width)}  ${String(count).padStart(7)}  ${((count / total) * 100).toFixed(1).padStart(5)}%\n`);
    }
    io.stdout(`${'total'.padEnd(width)}  ${String(total).padStart(7)}\n`);
    return 0;
  },
};
