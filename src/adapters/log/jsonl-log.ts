import { checkPredictionRecord, type PredictionRecord } from './record.js';
import { backoffDelay, warnReport, type PredictionLog, type ReportHandler } from './prediction-log.js';
import { forEachJsonLine, JsonlAppender, repairJsonlTail } from './jsonl-file.js';
import { RecentRecords, TopLabelCounter } from './summary.js';
import { registerLogWriter, type LogWriterOptions, type LogWriterSlot } from './writer-registry.js';

/** Options of {@link openJsonlPredictionLog}. */
export interface JsonlLogOptions extends LogWriterOptions {
  /** Receives retries, rejections and start-up repairs. Default: a process warning. */
  onReport?: ReportHandler;
  /** `fdatasync` after each batch (default true): a record survives a power cut once flushed. */
  sync?: boolean;
  /** Backoff between failed writes (disk full, permissions). Default 100 ms doubling to 10 s. */
  retry?: { baseMs: number; maxMs: number };
}

/**
 * Opens (creating when missing) an append-only JSON Lines prediction log: one record
 * per line. Several processes may write the same log: each registers as a writer under
 * an exclusive lock (`<path>.lock`, `<path>.writers`), and a torn last line from an
 * earlier crash is repaired (and reported as `recovered`) only when no other writer is
 * alive, so a line another process is still writing is never cut. Appends are batched
 * into single writes; a record appended twice with the same id (in this process) is
 * written once, and readers keep the first copy of an id, so replays never duplicate.
 *
 * @example
 * const log = await openJsonlPredictionLog('.retail-ml/predictions.jsonl');
 * log.append(createPredictionRecord({ input, features, top, model }));
 * await log.close();
 */
export async function openJsonlPredictionLog(path: string, options: JsonlLogOptions = {}): Promise<PredictionLog> {
  const report = options.onReport ?? warnReport;
  let repair = { droppedBytes: 0, completedLine: false };
  const slot = await registerLogWriter(
    path,
    async (others) => {
      if (others === 0) repair = await repairJsonlTail(path);
    },
    options,
  );
  if (repair.droppedBytes > 0) {
    report({ kind: 'recovered', message: `${path}: cut ${repair.droppedBytes} bytes of a torn last line left by an earlier crash` });
  } else if (repair.completedLine) {
    report({ kind: 'recovered', message: `${path}: completed a last record that was missing its newline` });
  }
  let file: JsonlAppender;
  try {
    file = await JsonlAppender.open(path, { sync: options.sync ?? true });
  } catch (error) {
    await slot.release();
    throw error;
  }
  return new JsonlPredictionLog(path, file, slot, report, options.retry ?? { baseMs: 100, maxMs: 10_000 });
}

interface Waiter {
  target: number;
  resolve(ok: boolean): void;
}

class JsonlPredictionLog implements PredictionLog {
  private pending: string[] = [];
  private readonly seen = new Set<string>();
  private accepted = 0;
  private written = 0;
  private attempt = 0;
  private pumping: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private waiters: Waiter[] = [];
  private closed = false;

  constructor(
    readonly location: string,
    private readonly file: JsonlAppender,
    private readonly slot: LogWriterSlot,
    private readonly report: ReportHandler,
    private readonly retry: { baseMs: number; maxMs: number },
  ) {}

  append(record: PredictionRecord): void {
    if (this.closed) {
      this.report({ kind: 'rejected', message: `${this.location}: append after close`, recordId: record?.id });
      return;
    }
    const issues = checkPredictionRecord(record);
    if (issues.length > 0) {
      const detail = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
      this.report({ kind: 'rejected', message: `invalid prediction record: ${detail}`, recordId: record?.id });
      return;
    }
    if (this.seen.has(record.id)) return;
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch (error) {
      this.report({ kind: 'rejected', message: `prediction record is not JSON: ${String(error)}`, recordId: record.id, error });
      return;
    }
    this.seen.add(record.id);
    this.pending.push(line);
    this.accepted++;
    this.kick();
  }

  private kick(): void {
    if (this.pumping || this.retryTimer) return;
    this.pumping = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.pump());
  }

  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.slice();
      try {
        await this.file.append(batch);
      } catch (error) {
        const delay = backoffDelay(this.attempt++, this.retry);
        this.report({
          kind: 'retry',
          message: `${this.location}: write failed (${(error as Error).message}); ${this.pending.length} records kept, retry in ${delay} ms`,
          error,
          attempt: this.attempt,
        });
        this.settle(false);
        if (!this.closed) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.kick();
          }, delay);
          this.retryTimer.unref();
        }
        break;
      }
      this.pending.splice(0, batch.length);
      this.written += batch.length;
      this.attempt = 0;
      this.settle(true);
    }
    this.pumping = null;
  }

  private settle(ok: boolean): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.written >= w.target) w.resolve(true);
      else if (!ok) w.resolve(false);
      else still.push(w);
    }
    this.waiters = still;
  }

  async flush(): Promise<boolean> {
    if (this.written >= this.accepted) return true;
    const done = new Promise<boolean>((resolve) => this.waiters.push({ target: this.accepted, resolve }));
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.kick();
    }
    return done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const ok = await this.flush();
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.pumping;
    if (!ok && this.pending.length > 0) {
      this.report({ kind: 'gave-up', message: `${this.location}: closed with ${this.pending.length} records unwritten` });
    }
    await this.file.close();
    await this.slot.release();
  }

  async recent(limit: number): Promise<PredictionRecord[]> {
    await this.flush();
    return readRecentPredictions(this.location, limit);
  }

  async countByTopCategory(): Promise<Map<string, number>> {
    await this.flush();
    return countPredictionsByTopCategory(this.location);
  }
}

/**
 * The `limit` most recent records of a JSON Lines prediction log, newest first, each
 * id once (its first copy). Reads the file in one streaming pass; a torn last line is skipped.
 *
 * @example
 * for (const r of await readRecentPredictions('.retail-ml/predictions.jsonl', 10)) console.log(r.top[0].label);
 */
export async function readRecentPredictions(path: string, limit: number): Promise<PredictionRecord[]> {
  const recent = new RecentRecords(limit);
  await forEachJsonLine(path, (value) => {
    if (checkPredictionRecord(value).length === 0) recent.add(value as PredictionRecord);
  });
  return recent.newestFirst();
}

/**
 * Counts the records of a JSON Lines prediction log per top-1 label (each id once),
 * most frequent first.
 *
 * @example
 * await countPredictionsByTopCategory('.retail-ml/predictions.jsonl') // => Map { 'Books' => 12, 'Toys' => 7 }
 */
export async function countPredictionsByTopCategory(path: string): Promise<Map<string, number>> {
  const counter = new TopLabelCounter();
  await forEachJsonLine(path, (value) => {
    if (checkPredictionRecord(value).length === 0) counter.add(value as PredictionRecord);
  });
  return counter.counts();
}
