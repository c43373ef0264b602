import { resolve } from 'node:path';
import type { Collection, MongoClient, MongoClientOptions } from 'mongodb';
import { checkPredictionRecord, type PredictionRecord } from '../log/record.js';
import { backoffDelay, warnReport, type PredictionLog, type ReportHandler } from '../log/prediction-log.js';
import { forEachJsonLine, JsonlAppender, repairJsonlTail } from '../log/jsonl-file.js';
import { sortCounts } from '../log/summary.js';
import { registerLogWriter, type LogWriterSlot } from '../log/writer-registry.js';
import { createMongoClient, DEFAULT_COLLECTION, DEFAULT_DATABASE, describeMongoTarget } from './driver.js';
import { fromPredictionDocument, PREDICTION_INDEXES, toPredictionDocument, type PredictionDocument } from './document.js';
import { classifyCommandError, classifyDocumentError, type WriteErrorClass } from './write-error-class.js';

/** Options of {@link openMongoPredictionLog}. */
export interface MongoLogOptions {
  /** Connection string, e.g. `mongodb://127.0.0.1:27017` or a `mongodb+srv://` Atlas URI. */
  uri: string;
  /** Default `ecommerce_db`. */
  database?: string;
  /** Default `category_predictions`. */
  collection?: string;
  /**
   * The local outbox (JSON Lines): every record is written here before it is inserted and the
   * file is emptied once MongoDB has them all, so records survive an outage and a crash.
   * Default `.retail-ml/mongodb-outbox.jsonl` under the working directory.
   */
  outboxPath?: string;
  /** Most records per `insertMany` (default 500). */
  batchSize?: number;
  /** Backoff between failed deliveries (default 200 ms doubling to 30 s). */
  retry?: { baseMs: number; maxMs: number };
  /** How long `close()` keeps trying to deliver before leaving the rest in the outbox (default 5000 ms). */
  closeTimeoutMs?: number;
  /** Receives retries, rejections and replays. Default: a process warning. */
  onReport?: ReportHandler;
  /** Passed to the driver (e.g. `serverSelectionTimeoutMS`, TLS options). */
  clientOptions?: MongoClientOptions;
  /** `fdatasync` the outbox after each batch (default true). */
  sync?: boolean;
}

/** Counters of a {@link MongoPredictionLog}. */
export interface MongoLogStats {
  /** Records inserted by this process. */
  inserted: number;
  /** Records MongoDB already had (same `_id`): replays of an insert whose reply was lost. */
  alreadyStored: number;
  /** Records in the outbox waiting for MongoDB. */
  waiting: number;
  /** Records MongoDB refused for good (e.g. too large); kept in `<outbox>.rejected.jsonl`. */
  refused: number;
  /** Failed delivery attempts so far. */
  failedAttempts: number;
}

/** A {@link PredictionLog} in MongoDB, with delivery controls. */
export interface MongoPredictionLog extends PredictionLog {
  readonly outboxPath: string;
  /** Waits until MongoDB has every record appended so far: `true`, or `false` after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<boolean>;
  stats(): MongoLogStats;
}

/**
 * Opens a prediction log in MongoDB (`ecommerce_db.category_predictions` by default)
 * over the official driver. Records are written to a local outbox file first, then
 * inserted in ordered batches with `_id` = record id; the outbox is emptied once
 * MongoDB has them. While MongoDB is unreachable, deliveries back off and records
 * stay in the outbox; when it returns they are inserted in order, and a duplicate-key
 * answer (the record got there before a reply was lost) counts as delivered, so every
 * record is stored exactly once. Records left in the outbox by an earlier process are
 * replayed first. Opening never waits for MongoDB; indexes are created on first contact.
 *
 * @example
 * const log = await openMongoPredictionLog({ uri: process.env.MONGODB_URI! });
 * log.append(record);          // returns at once
 * await log.close();           // delivers (up to closeTimeoutMs), the rest stays in the outbox
 */
export async function openMongoPredictionLog(options: MongoLogOptions): Promise<MongoPredictionLog> {
  const database = options.database ?? DEFAULT_DATABASE;
  const collectionName = options.collection ?? DEFAULT_COLLECTION;
  const outboxPath = resolve(options.outboxPath ?? '.retail-ml/mongodb-outbox.jsonl');
  const report = options.onReport ?? warnReport;
  const client = await createMongoClient(options.uri, options.clientOptions);

  let repair = { droppedBytes: 0, completedLine: false };
  const slot = await registerLogWriter(outboxPath, async (others) => {
    if (others === 0) repair = await repairJsonlTail(outboxPath);
  });
  if (repair.droppedBytes > 0) {
    report({ kind: 'recovered', message: `${outboxPath}: cut ${repair.droppedBytes} bytes of a torn last line` });
  }
  const leftover: PredictionRecord[] = [];
  const seen = new Set<string>();
  await forEachJsonLine(outboxPath, (value) => {
    if (checkPredictionRecord(value).length > 0) return;
    const record = value as PredictionRecord;
    if (seen.has(record.id)) return;
    seen.add(record.id);
    leftover.push(record);
  });
  if (leftover.length > 0) {
    report({ kind: 'recovered', message: `${outboxPath}: ${leftover.length} records from an earlier run will be replayed to MongoDB` });
  }
  const outbox = await JsonlAppender.open(outboxPath, { sync: options.sync ?? true });
  const log = new OutboxMongoLog({
    location: describeMongoTarget(options.uri, database, collectionName),
    outboxPath,
    outbox,
    slot,
    client,
    collection: client.db(database).collection<PredictionDocument>(collectionName),
    report,
    batchSize: Math.max(1, Math.floor(options.batchSize ?? 500)),
    retry: options.retry ?? { baseMs: 200, maxMs: 30_000 },
    closeTimeoutMs: options.closeTimeoutMs ?? 5000,
    leftover,
    seen,
  });
  return log;
}

interface Parts {
  location: string;
  outboxPath: string;
  outbox: JsonlAppender;
  slot: LogWriterSlot;
  client: MongoClient;
  collection: Collection<PredictionDocument>;
  report: ReportHandler;
  batchSize: number;
  retry: { baseMs: number; maxMs: number };
  closeTimeoutMs: number;
  leftover: PredictionRecord[];
  seen: Set<string>;
}

interface Waiter {
  target: number;
  resolve(ok: boolean): void;
}

/** The records of a batch not yet settled, in order. */
interface Progress {
  remaining: PredictionRecord[];
}

/** One entry of a bulk write's `writeErrors`, as the driver gives it. */
interface WriteErrorLike {
  index?: unknown;
  code?: unknown;
  errmsg?: unknown;
  errInfo?: unknown;
}

class OutboxMongoLog implements MongoPredictionLog {
  readonly location: string;
  readonly outboxPath: string;
  private readonly p: Parts;
  /** Accepted, not yet in the outbox file. */
  private pending: PredictionRecord[] = [];
  /** In the outbox file, not yet confirmed by MongoDB; in append order. */
  private unsent: PredictionRecord[];
  private accepted = 0;
  private durable = 0;
  private delivered = 0;
  private outboxHasLines: boolean;
  private fileQueue: Promise<unknown> = Promise.resolve();
  private writing: Promise<void> | null = null;
  private writeTimer: NodeJS.Timeout | null = null;
  private writeAttempt = 0;
  private delivering: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private indexesDone = false;
  private down = false;
  private stopped = false;
  private closing: Promise<void> | null = null;
  private durableWaiters: Waiter[] = [];
  private deliveredWaiters: Waiter[] = [];
  private readonly counters: Omit<MongoLogStats, 'waiting'> = { inserted: 0, alreadyStored: 0, refused: 0, failedAttempts: 0 };

  constructor(parts: Parts) {
    this.p = parts;
    this.location = parts.location;
    this.outboxPath = parts.outboxPath;
    this.unsent = parts.leftover;
    this.outboxHasLines = parts.leftover.length > 0;
    this.accepted = this.durable = parts.leftover.length;
    if (this.unsent.length > 0) this.kickDelivery();
  }

  append(record: PredictionRecord): void {
    if (this.closing) {
      this.p.report({ kind: 'rejected', message: `${this.location}: append after close`, recordId: record?.id });
      return;
    }
    const issues = checkPredictionRecord(record);
    if (issues.length > 0) {
      const detail = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      this.p.report({ kind: 'rejected', message: `invalid prediction record: ${detail}`, recordId: record?.id });
      return;
    }
    if (this.p.seen.has(record.id)) return;
    this.p.seen.add(record.id);
    this.pending.push(record);
    this.accepted++;
    this.kickWrite();
  }

  stats(): MongoLogStats {
    return { ...this.counters, waiting: this.pending.length + this.unsent.length };
  }

  /** Serializes outbox appends and truncation so a truncate can never drop a fresh line. */
  private withFile<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.fileQueue.then(fn);
    this.fileQueue = run.catch(() => undefined);
    return run;
  }

  private kickWrite(): void {
    if (this.writing || this.writeTimer) return;
    this.writing = new Promise<void>((r) => setImmediate(r)).then(() => this.writeLoop());
  }

  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice();
      let lines: string[];
      try {
        lines = batch.map((r) => JSON.stringify(r));
        await this.withFile(() => this.p.outbox.append(lines));
      } catch (error) {
        const delay = backoffDelay(this.writeAttempt++, { baseMs: 100, maxMs: 10_000 });
        this.p.report({
          kind: 'retry',
          message: `${this.outboxPath}: outbox write failed (${(error as Error).message}); retry in ${delay} ms`,
          error,
          attempt: this.writeAttempt,
        });
        this.durableWaiters = settle(this.durableWaiters, this.durable, false);
        if (!this.stopped) {
          this.writeTimer = setTimeout(() => {
            this.writeTimer = null;
            this.kickWrite();
          }, delay);
          this.writeTimer.unref();
        }
        break;
      }
      this.writeAttempt = 0;
      this.outboxHasLines = true;
      this.pending.splice(0, batch.length);
      this.unsent.push(...batch);
      this.durable += batch.length;
      this.durableWaiters = settle(this.durableWaiters, this.durable, true);
      this.kickDelivery();
    }
    this.writing = null;
  }

  /** Starts delivering; `now` also cuts a backoff wait short (drain, close). */
  private kickDelivery(now = false): void {
    if (now && this.wake) this.wake();
    if (this.delivering || this.stopped) return;
    this.delivering = this.deliverLoop().finally(() => {
      this.delivering = null;
    });
  }

  private async deliverLoop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      if (this.unsent.length === 0) {
        await this.clearOutboxIfDelivered();
        if (this.unsent.length === 0) return;
        continue;
      }
      const batch = this.unsent.slice(0, this.p.batchSize);
      const progress: Progress = { remaining: batch.slice() };
      let failure: unknown;
      try {
        await this.ensureIndexes();
        await this.insertInOrder(progress);
      } catch (error) {
        failure = error;
      }
      // Records settled before a failure (inserted, already stored, set aside) leave the queue now, so a retry resends only the rest.
      this.unsent.splice(0, batch.length, ...progress.remaining);
      this.delivered += batch.length - progress.remaining.length;
      this.deliveredWaiters = settle(this.deliveredWaiters, this.delivered, true);
      if (failure !== undefined) {
        if (this.stopped) return;
        this.counters.failedAttempts++;
        this.down = true;
        const delay = backoffDelay(attempt++, this.p.retry);
        this.p.report({
          kind: 'retry',
          message: `${this.location}: ${describeError(failure)}; ${this.unsent.length + this.pending.length} records wait in ${this.outboxPath}, retry in ${delay} ms`,
          error: failure,
          attempt,
        });
        await this.sleep(delay);
        continue;
      }
      attempt = 0;
      if (this.down) {
        this.down = false;
        this.p.report({ kind: 'recovered', message: `${this.location}: reachable again, replaying the outbox in order` });
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Empties the outbox once MongoDB has all of it, unless another live process also writes there (its lines may still wait). */
  private async clearOutboxIfDelivered(): Promise<void> {
    await this.withFile(async () => {
      if (this.unsent.length > 0 || !this.outboxHasLines) return;
      const cleared = await this.p.slot.ifAlone(() => this.p.outbox.clear());
      if (cleared) this.outboxHasLines = false;
    }).catch((error) => {
      this.p.report({ kind: 'retry', message: `${this.outboxPath}: could not empty the outbox (${String(error)})`, error });
    });
  }

  private async ensureIndexes(): Promise<void> {
    if (this.indexesDone) return;
    try {
      await this.p.collection.createIndexes(PREDICTION_INDEXES.map((i) => ({ key: { ...i.key }, name: i.name })));
    } catch (error) {
      if (!isServerAnswer(error)) throw error;
      this.p.report({ kind: 'rejected', message: `${this.location}: could not create indexes (${describeError(error)}); logging continues without them`, error });
    }
    this.indexesDone = true;
  }

  /**
   * Inserts `progress.remaining` in order, removing each record from it once settled:
   * inserted, already stored, or set aside. Errors by class (see `write-error-class.ts`):
   * a duplicate key is looked up by `_id` (present: the record is already stored, an
   * earlier reply was lost; absent: another unique index refused it); a document MongoDB
   * refuses for good is set aside with the reason; a transient error throws, and the
   * caller retries what is left after a backoff. The lookup also finds which of the rest
   * MongoDB already has (a batch whose reply was lost), so they are not sent again. An
   * error that fails the whole insert but is about some document (a top-level duplicate,
   * validation or size error) has no index: the batch is then sent one record at a time.
   */
  private async insertInOrder(progress: Progress): Promise<void> {
    let oneByOne = false;
    while (progress.remaining.length > 0) {
      const sending = oneByOne ? progress.remaining.slice(0, 1) : progress.remaining;
      try {
        const result = await this.p.collection.insertMany(sending.map(toPredictionDocument), { ordered: true });
        this.counters.inserted += result.insertedCount;
        progress.remaining = progress.remaining.slice(sending.length);
        continue;
      } catch (error) {
        const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
        const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as WriteErrorLike | undefined;
        if (isServerAnswer(error) && typeof first?.index === 'number' && first.index < sending.length) {
          this.counters.inserted += first.index;
          progress.remaining = progress.remaining.slice(first.index);
          await this.settleFailed(progress, classifyDocumentError(first), describeWriteError(first), error);
          continue;
        }
        const kind = classifyCommandError(error);
        if (kind === 'transient') throw error;
        if (sending.length > 1) {
          oneByOne = true;
          continue;
        }
        await this.settleFailed(progress, kind, describeError(error), error);
      }
    }
  }

  /** Settles `progress.remaining[0]`, which MongoDB just answered with an error of class `kind`. */
  private async settleFailed(progress: Progress, kind: WriteErrorClass, reason: string, error: unknown): Promise<void> {
    if (kind === 'transient') throw error;
    const [failed] = progress.remaining;
    if (kind === 'refused') {
      await this.setAside(failed, reason, error);
      progress.remaining = progress.remaining.slice(1);
      return;
    }
    const present = await this.p.collection
      .find({ _id: { $in: progress.remaining.map((r) => r.id) } }, { projection: { _id: 1 } })
      .toArray();
    const stored = new Set(present.map((d) => String(d._id)));
    if (!stored.has(failed.id)) await this.setAside(failed, reason, error);
    this.counters.alreadyStored += stored.size;
    progress.remaining = progress.remaining.slice(1).filter((r) => !stored.has(r.id));
  }

  private async setAside(record: PredictionRecord, reason: string, error: unknown): Promise<void> {
    const rejected = await JsonlAppender.open(`${this.outboxPath}.rejected.jsonl`);
    try {
      await rejected.append([JSON.stringify({ ...record, rejected: { reason, at: new Date().toISOString() } })]);
    } finally {
      await rejected.close();
    }
    this.counters.refused++;
    this.p.report({
      kind: 'rejected',
      message: `${this.location}: MongoDB refused record ${record.id} (${reason}); kept in ${this.outboxPath}.rejected.jsonl`,
      recordId: record.id,
      error,
    });
  }

  async flush(): Promise<boolean> {
    if (this.durable >= this.accepted) return true;
    const done = new Promise<boolean>((resolve) => this.durableWaiters.push({ target: this.accepted, resolve }));
    if (this.writeTimer) {
      clearTimeout(this.writeTimer);
      this.writeTimer = null;
      this.kickWrite();
    }
    return done;
  }

  async drain(timeoutMs = 10_000): Promise<boolean> {
    await this.flush();
    if (this.delivered >= this.accepted) {
      await this.clearOutboxIfDelivered();
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    const ok = await new Promise<boolean>((resolve) => {
      waiter = { target: this.accepted, resolve };
      this.deliveredWaiters.push(waiter);
      timer = setTimeout(() => resolve(false), timeoutMs);
      this.kickDelivery(true);
    });
    clearTimeout(timer);
    this.deliveredWaiters = this.deliveredWaiters.filter((w) => w !== waiter);
    // The delivery loop empties the outbox too, but after the waiters: do it here so a drained log has an empty outbox.
    if (ok) await this.clearOutboxIfDelivered();
    return ok;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.flush();
    await this.drain(this.p.closeTimeoutMs);
    this.stopped = true;
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.wake?.();
    await this.p.client.close().catch(() => undefined);
    await this.writing;
    await this.delivering;
    await this.fileQueue;
    await this.p.outbox.close();
    await this.p.slot.release();
    const waiting = this.pending.length + this.unsent.length;
    if (waiting > 0) {
      this.p.report({ kind: 'retry', message: `${this.location}: closed with ${waiting} records in ${this.outboxPath}; they are replayed on next open` });
    }
  }

  async recent(limit: number): Promise<PredictionRecord[]> {
    return readRecentFromCollection(this.p.collection, limit);
  }

  async countByTopCategory(): Promise<Map<string, number>> {
    return countTopCategoriesInCollection(this.p.collection);
  }
}

function settle(waiters: Waiter[], reached: number, ok: boolean): Waiter[] {
  const still: Waiter[] = [];
  for (const w of waiters) {
    if (reached >= w.target) w.resolve(true);
    else if (!ok) w.resolve(false);
    else still.push(w);
  }
  return ok ? still : [];
}

/** An error that came back from a reachable server (as opposed to a network failure or timeout). */
function isServerAnswer(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'MongoServerError' || name === 'MongoBulkWriteError' || name === 'MongoWriteConcernError';
}

function describeWriteError(e: WriteErrorLike): string {
  const details = e.errInfo === undefined ? '' : ` ${JSON.stringify(e.errInfo)}`.slice(0, 300);
  return `code ${String(e.code)}: ${String(e.errmsg ?? 'write error')}${details}`.split('\n')[0];
}

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`.split('\n')[0];
}

/**
 * The `limit` most recent predictions in a collection, newest first.
 *
 * @example
 * await readRecentFromCollection(client.db('ecommerce_db').collection('category_predictions'), 10)
 */
export async function readRecentFromCollection(
  collection: Collection<PredictionDocument>,
  limit: number,
): Promise<PredictionRecord[]> {
  const docs = await collection
    .find({})
    .sort({ timestamp: -1, _id: -1 })
    .limit(Math.max(0, Math.floor(limit)))
    .toArray();
  return docs.map((d) => fromPredictionDocument(d as PredictionDocument));
}

/**
 * Predictions per top-1 category in a collection (a `$group` on `topCategory`), most frequent first.
 *
 * @example
 * await countTopCategoriesInCollection(collection) // => Map { 'Books' => 12, 'Toys' => 7 }
 */
export async function countTopCategoriesInCollection(collection: Collection<PredictionDocument>): Promise<Map<string, number>> {
  const rows = await collection
    .aggregate<{ _id: unknown; count: number }>([{ $group: { _id: '$topCategory', count: { $sum: 1 } } }])
    .toArray();
  return sortCounts(new Map(rows.map((r) => [String(r._id), Number(r.count)])));
}
