import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AbortedError, ChunkFailedError, InputError } from '../../errors.js';
import { planCsvChunks } from '../../node/csv-chunks.js';
import type { ScoreMethod } from '../../node/score-estimator.js';
import { scoreInputFormat } from '../../node/score-input.js';
import { scoreOutputFormat } from '../../node/score-file.js';
import { DEFAULT_SCORE_QUEUE, loadBullMQ, redisConnection } from './driver.js';
import { modelSha256 as hashModel } from './model-hash.js';
import { scoreJobId, type ScoreChunkJob } from './score-job.js';

/** Progress of a distributed run, from the jobs' states and progress. */
export interface DistributedProgress {
  rows: number;
  totalRows: number;
  chunksDone: number;
  chunks: number;
}

/** Options for {@link scoreFileDistributed}. */
export interface DistributedScoreOptions {
  redis: string;
  /** Model (any `loadScoreModel` reads: XGBoost file, JSON model, pickle, joblib, MLflow folder), on storage every worker reads. */
  model: string;
  /** CSV input, on storage every worker reads. */
  input: string;
  /** Output file (CSV or JSONL by extension: parts are concatenated, so Arrow and Parquet are not offered); parts are written beside it. */
  output: string;
  /** Rows per chunk (one job each); default 100,000. */
  chunkRows?: number;
  ids?: readonly string[];
  outputKind?: 'value' | 'margin';
  /** Estimators only: predict, predict_proba or transform (default: the model's, as `scoreFile`). */
  method?: ScoreMethod;
  /** Side file for rejected rows, as `scoreFile`'s `skipBadRows`. */
  skipBadRows?: string;
  queue?: string;
  /** Attempts per chunk before the run fails (default 3). */
  attempts?: number;
  /** Delay before a failed chunk is retried, ms (default 1,000). */
  retryDelayMs?: number;
  /** How often job states are read, ms (default 250). */
  pollMs?: number;
  onProgress?(progress: DistributedProgress): void;
  signal?: AbortSignal;
}

/** What a finished distributed run did. */
export interface DistributedSummary {
  rows: number;
  chunks: number;
  fingerprint: string;
}

/**
 * Scores a CSV file on BullMQ workers ({@link startScoreWorker}, or `retail-ml worker`):
 * cuts it into row-aligned chunks, enqueues one job per chunk with a deterministic id
 * (input and model fingerprint + chunk index), waits, and concatenates the parts in order
 * into `output`: the same bytes `scoreFile` writes on one machine. Job states are polled,
 * so a Redis restart only pauses the run. A chunk that exhausts its attempts fails the run
 * with a {@link ChunkFailedError} naming the chunk and its rows.
 *
 * @example
 * await scoreFileDistributed({ redis: 'redis://127.0.0.1:6379', model: 'churn.json', input: '/mnt/share/customers.csv', output: '/mnt/share/scores.csv', ids: ['customer_id'] });
 */
export async function scoreFileDistributed(options: DistributedScoreOptions): Promise<DistributedSummary> {
  const { Queue } = await loadBullMQ();
  const input = resolve(options.input);
  const output = resolve(options.output);
  const modelPath = resolve(options.model);
  if (scoreInputFormat(input) !== 'csv') throw new InputError('distributed scoring reads CSV input (Arrow and Parquet: score them with scoreFile)');
  const chunkRows = options.chunkRows ?? 100000;
  const attempts = options.attempts ?? 3;
  const signal = options.signal;
  const format = scoreOutputFormat(output);
  // Parts are concatenated byte for byte; Arrow and Parquet files have one header and footer each.
  if (format !== 'csv' && format !== 'jsonl') throw new InputError(`distributed scoring writes CSV or JSONL (got '${format}' for ${output}): score to CSV, or use scoreFile for Arrow and Parquet output`);
  const modelSha256 = await hashModel(modelPath);
  const plan = await planCsvChunks(input, chunkRows);
  const ids = [...(options.ids ?? [])];
  const kind = options.outputKind ?? 'value';
  // Same input bytes, model and options → same job ids, so a re-run finds its finished chunks.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([plan.sha256, modelSha256, chunkRows, ids, kind, format, !!options.skipBadRows, ...(options.method ? [options.method] : [])]))
    .digest('hex')
    .slice(0, 16);
  const partsDir = `${output}.parts-${fingerprint}`;
  await mkdir(partsDir, { recursive: true });
  const jobs: ScoreChunkJob[] = plan.chunks.map((c) => ({
    modelPath,
    modelSha256,
    input,
    start: c.start,
    end: c.end,
    columnNames: [...plan.columnNames],
    chunk: c.index,
    firstRow: c.firstRow,
    rows: c.rows,
    part: resolve(partsDir, `${c.index}.part`),
    rejectsPart: options.skipBadRows ? resolve(partsDir, `${c.index}.rejects`) : null,
    ids,
    output: kind,
    ...(options.method ? { method: options.method } : {}),
    format,
  }));
  const queue = new Queue<ScoreChunkJob>(options.queue ?? DEFAULT_SCORE_QUEUE, { connection: redisConnection(options.redis) });
  queue.on('error', () => undefined);
  const jobOptions = (data: ScoreChunkJob) => ({
    jobId: scoreJobId(fingerprint, data.chunk),
    attempts,
    backoff: { type: 'fixed' as const, delay: options.retryDelayMs ?? 1000 },
    removeOnComplete: false,
    removeOnFail: false,
  });
  try {
    // A finished chunk of an earlier run is kept if its part is there; a failed one is tried again.
    const toAdd: ScoreChunkJob[] = [];
    for (const data of jobs) {
      const existing = await queue.getJob(scoreJobId(fingerprint, data.chunk));
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' && existsSync(data.part)) continue;
        if (state === 'completed' || state === 'failed') await existing.remove();
        else continue;
      }
      toAdd.push(data);
    }
    if (toAdd.length > 0) await queue.addBulk(toAdd.map((data) => ({ name: 'score-chunk', data, opts: jobOptions(data) })));

    const done = new Set<number>();
    for (;;) {
      if (signal?.aborted) throw new AbortedError('distributed scoring', { cause: signal.reason });
      let rows = 0;
      try {
        for (const data of jobs) {
          if (done.has(data.chunk)) {
            rows += data.rows;
            continue;
          }
          const job = await queue.getJob(scoreJobId(fingerprint, data.chunk));
          if (!job) {
            // Lost (a Redis without persistence was restarted): enqueue it again.
            await queue.add('score-chunk', data, jobOptions(data));
            continue;
          }
          const state = await job.getState();
          if (state === 'completed') {
            done.add(data.chunk);
            rows += data.rows;
          } else if (state === 'failed') {
            throw new ChunkFailedError(data.chunk, data.firstRow, data.firstRow + data.rows - 1, job.attemptsMade, job.failedReason ?? 'unknown error');
          } else if (typeof job.progress === 'number') rows += job.progress;
        }
      } catch (error) {
        if (error instanceof ChunkFailedError) throw error;
        // Redis unreachable for a moment (restart, failover): keep waiting, the client reconnects.
      }
      options.onProgress?.({ rows, totalRows: plan.rows, chunksDone: done.size, chunks: jobs.length });
      if (done.size === jobs.length) break;
      await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
    }

    await concatenate(jobs.map((j) => j.part), output);
    if (options.skipBadRows) await concatenate(jobs.map((j) => j.rejectsPart!), resolve(options.skipBadRows));
    await Promise.all(jobs.map(async (data) => (await queue.getJob(scoreJobId(fingerprint, data.chunk)))?.remove().catch(() => undefined)));
    await rm(partsDir, { recursive: true, force: true });
    return { rows: plan.rows, chunks: jobs.length, fingerprint };
  } finally {
    await queue.close();
  }
}

/** Appends the parts, in order, into `target` (written under a temporary name, then renamed). */
async function concatenate(parts: readonly string[], target: string): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  const out = createWriteStream(temp);
  try {
    // Written by hand: pipeline(…, { end: false }) leaves listeners on `out`, one set per part.
    for (const part of parts) {
      for await (const bytes of createReadStream(part)) if (!out.write(bytes)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    await rename(temp, target);
  } catch (error) {
    out.on('error', () => undefined);
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
