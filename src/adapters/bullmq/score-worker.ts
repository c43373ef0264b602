import type * as BullMQ from 'bullmq';
import { InputError } from '../../errors.js';
import { loadScoreModel } from '../../node/load-score-model.js';
import { scoreFile } from '../../node/score-file.js';
import type { ScoreModel } from '../../node/score-stream.js';
import { DEFAULT_SCORE_QUEUE, loadBullMQ, redisConnection } from './driver.js';
import { modelSha256 } from './model-hash.js';
import type { ScoreChunkJob } from './score-job.js';

/** Options for {@link startScoreWorker}. */
export interface ScoreWorkerOptions {
  /** `redis://host:port[/db]`. */
  redis: string;
  queue?: string;
  /** Jobs scored at once by this process (default 1). */
  concurrency?: number;
  /** Threads per job (default 1: the calling thread). */
  threads?: number;
  /**
   * How long a job's lock lasts without renewal, in ms (default 30,000). A worker that dies
   * (SIGKILL, lost machine) stops renewing; after this, another worker's stalled-job check
   * re-queues the chunk. Also the stalled-check interval.
   */
  lockMs?: number;
  /** Called when a job finishes or fails, for logs. */
  onJob?(event: { chunk: number; rows: number; state: 'completed' | 'failed'; error?: string }): void;
}

/** A running worker; `close()` lets the jobs in hand finish, then disconnects. */
export interface ScoreWorker {
  close(): Promise<void>;
  /** Resolves once the worker is connected and taking jobs. */
  ready(): Promise<void>;
}

/**
 * Starts a BullMQ worker that scores chunks enqueued by {@link scoreFileDistributed}. Each
 * job's model is loaded once per content hash and kept; each part is written under a
 * temporary name and renamed when complete, so a retried or re-queued job overwrites its
 * part rather than duplicating rows.
 *
 * @example
 * const worker = await startScoreWorker({ redis: 'redis://127.0.0.1:6379' });
 * process.once('SIGTERM', () => void worker.close());
 */
export async function startScoreWorker(options: ScoreWorkerOptions): Promise<ScoreWorker> {
  const { Worker } = await loadBullMQ();
  const lockMs = options.lockMs ?? 30000;
  const models = new Map<string, ScoreModel>();
  const modelFor = async (job: ScoreChunkJob): Promise<ScoreModel> => {
    const cached = models.get(job.modelSha256);
    if (cached) return cached;
    const sha = await modelSha256(job.modelPath);
    if (sha !== job.modelSha256) throw new InputError(`model ${job.modelPath} changed since the run started (sha256 ${sha.slice(0, 12)}…, expected ${job.modelSha256.slice(0, 12)}…)`);
    // Any model the local scorer takes: XGBoost files, JSON models, pickles, MLflow folders.
    const model = loadScoreModel(job.modelPath);
    models.set(sha, model);
    return model;
  };
  const processor = async (job: BullMQ.Job<ScoreChunkJob>): Promise<{ rows: number; rejected: number }> => {
    const data = job.data;
    const model = await modelFor(data);
    let reported = 0;
    const summary = await scoreFile(model, data.input, data.part, {
      byteRange: [data.start, data.end],
      columnNames: data.columnNames,
      firstRow: data.firstRow,
      header: data.chunk === 0,
      ids: data.ids,
      output: data.output,
      method: data.method,
      outputFormat: data.format,
      threads: options.threads ?? 1,
      skipBadRows: data.rejectsPart ?? undefined,
      onProgress: (p) => {
        // Progress is a Redis round trip; a few per chunk are plenty.
        if (p.rows - reported >= Math.max(1, data.rows / 10)) {
          reported = p.rows;
          void job.updateProgress(p.rows).catch(() => undefined);
        }
      },
    });
    if (summary.rows + summary.rejected !== data.rows) {
      throw new InputError(`chunk ${data.chunk} read ${summary.rows + summary.rejected} rows, expected ${data.rows}: the input changed since the run started`);
    }
    return summary;
  };
  const worker = new Worker<ScoreChunkJob>(options.queue ?? DEFAULT_SCORE_QUEUE, processor, {
    connection: redisConnection(options.redis),
    concurrency: options.concurrency ?? 1,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    // A chunk whose worker died is re-queued, however often that happens; a chunk that throws is retried per the job's attempts.
    maxStalledCount: 1000,
    autorun: true,
  });
  worker.on('completed', (job) => options.onJob?.({ chunk: job.data.chunk, rows: job.data.rows, state: 'completed' }));
  worker.on('failed', (job, error) => job && options.onJob?.({ chunk: job.data.chunk, rows: job.data.rows, state: 'failed', error: error.message }));
  // Connection errors while Redis restarts are retried by the client; without a listener Node would throw them.
  worker.on('error', () => undefined);
  return {
    close: () => worker.close(),
    ready: () => worker.waitUntilReady().then(() => undefined),
  };
}
