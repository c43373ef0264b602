import { join, resolve } from 'node:path';
import { openJsonlPredictionLog } from './jsonl-log.js';
import type { PredictionLog, ReportHandler } from './prediction-log.js';

/** Options of {@link openPredictionLogFromEnv}. */
export interface PredictionLogFromEnvOptions {
  /** Folder for the JSON Lines log or the MongoDB outbox (default `.retail-ml` under `cwd`). */
  dir?: string;
  /** Resolves a relative `dir` (default the process working directory). */
  cwd?: string;
  onReport?: ReportHandler;
}

/** Which log {@link openPredictionLogFromEnv} chose. */
export type PredictionLogKind = 'jsonl' | 'mongodb';

/**
 * The prediction log the environment asks for: MongoDB when `MONGODB_URI` is set
 * (database `MONGODB_DB`, default `ecommerce_db`; collection `MONGODB_COLLECTION`,
 * default `category_predictions`; outbox `<dir>/mongodb-outbox.jsonl`), otherwise the
 * embedded JSON Lines file `<dir>/predictions.jsonl`, which needs nothing installed.
 *
 * @example
 * const { log, kind } = await openPredictionLogFromEnv(process.env);
 * log.append(record);
 * await log.close();
 * console.log(`prediction logged to ${log.location} (${kind})`);
 */
export async function openPredictionLogFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: PredictionLogFromEnvOptions = {},
): Promise<{ log: PredictionLog; kind: PredictionLogKind }> {
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? '.retail-ml');
  const uri = env.MONGODB_URI?.trim();
  if (uri) {
    const { openMongoPredictionLog } = await import('../mongodb/index.js');
    const log = await openMongoPredictionLog({
      uri,
      database: env.MONGODB_DB?.trim() || undefined,
      collection: env.MONGODB_COLLECTION?.trim() || undefined,
      outboxPath: join(dir, 'mongodb-outbox.jsonl'),
      onReport: options.onReport,
    });
    return { log, kind: 'mongodb' };
  }
  return { log: await openJsonlPredictionLog(join(dir, 'predictions.jsonl'), { onReport: options.onReport }), kind: 'jsonl' };
}
