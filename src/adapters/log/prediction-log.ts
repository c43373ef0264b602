import type { PredictionRecord } from './record.js';

/**
 * Something an adapter wants its owner to know about, reported instead of thrown so
 * that logging and mailing never fail a prediction.
 * - `retry`: a write/send failed and will be retried (nothing is lost);
 * - `rejected`: a record/message is invalid and was not accepted;
 * - `recovered`: start-up repaired a torn line or found records to replay;
 * - `gave-up`: retries are exhausted (e-mail only; the message stays in the outbox folder).
 */
export interface AdapterReport {
  kind: 'retry' | 'rejected' | 'recovered' | 'gave-up';
  message: string;
  error?: unknown;
  recordId?: string;
  attempt?: number;
}

/** Receives {@link AdapterReport}s. */
export type ReportHandler = (report: AdapterReport) => void;

/**
 * The default report handler: a process warning on stderr, one line each.
 *
 * @example
 * warnReport({ kind: 'retry', message: 'mongodb unreachable, 12 records in outbox' });
 */
export function warnReport(report: AdapterReport): void {
  process.emitWarning(report.message, { type: 'RetailMlAdapterWarning', code: report.kind });
}

/**
 * An append-only store of prediction records. `append` returns at once and never
 * throws: writes are queued and batched in the background, problems go to the
 * log's report handler. Records carry idempotent ids, so a replay stores each once.
 *
 * @example
 * const log = await openJsonlPredictionLog('.retail-ml/predictions.jsonl');
 * log.append(record);                    // no await: the prediction is not slowed
 * await log.close();                     // writes what is queued, then releases the file
 */
export interface PredictionLog {
  /** Where records go, printable (passwords hidden): a file path or `mongodb://host/db.collection`. */
  readonly location: string;
  /** Queues one record. Invalid records are reported as `rejected`, never thrown. */
  append(record: PredictionRecord): void;
  /**
   * Resolves once every record appended before the call is durable: `true` when all
   * are, `false` when some are still waiting for a retry (already reported).
   */
  flush(): Promise<boolean>;
  /** Flushes, stops retrying, and releases files/connections. Idempotent. */
  close(): Promise<void>;
  /** The `limit` most recent records, newest first (each id once). */
  recent(limit: number): Promise<PredictionRecord[]>;
  /** How many records have each top-1 label, most frequent first. */
  countByTopCategory(): Promise<Map<string, number>>;
}

/**
 * Exponential backoff with jitter: attempt 0 waits about `baseMs`, each later one about
 * twice as long, capped at `maxMs`; the wait is drawn from [½, 1] of that.
 *
 * @example
 * backoffDelay(3, { baseMs: 100, maxMs: 5000 }, () => 1) // => 800
 */
export function backoffDelay(
  attempt: number,
  { baseMs, maxMs }: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}
