import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { AbortedError, InputError } from '../errors.js';
import type { Estimator } from '../estimator.js';
import type { XGBoostModel } from '../formats/xgboost/xgboost-model.js';
import type { CsvSource } from '../features/read-csv-stream.js';
import { createPredictionPool, type PredictionPool } from './parallel-predict.js';
import { defaultScoreMethod, EstimatorBlockScorer, estimatorScoreNames, isEstimator, type ScoreMethod } from './score-estimator.js';
import { csvScoreBatches, type ScoreCell, type ScoreInputBatch } from './score-input.js';
import { writeWithBackpressure } from './score-writers/write-bytes.js';
import { formatRejectedRows, formatScoreHeader, scoreColumnNames, type ScoreOutputFormat } from './score-output.js';
import { FeatureBlockReader, type FeatureBlock, type RejectedRow } from './score-rows.js';
import { createScoreSink } from './score-writers/create-score-sink.js';
import type { ScoreSink, ScoreValues } from './score-writers/score-sink.js';

/**
 * What the scorer scores with: an XGBoost booster (scored in blocks of float32 features,
 * on the worker pool with `threads` > 1), or any estimator-protocol model (pickles, joblib
 * files, MLflow folders, forests, k-means, pipelines), scored on the calling thread.
 *
 * @example
 * const model: ScoreModel = loadScoreModel('pipeline.pkl');
 */
export type ScoreModel = XGBoostModel | Estimator;

/** Progress of a scoring run, reported after each block is written. */
export interface ScoreProgress {
  /** Rows written (rejected rows included). */
  rows: number;
  /** Input bytes read so far (CSV and Arrow: exact; Parquet: compressed size of the row groups reached). */
  bytes: number;
}

/** What a finished scoring run did. */
export interface ScoreSummary {
  /** Rows scored and written. */
  rows: number;
  /** Rows refused (only with `skipBadRows`). */
  rejected: number;
  bytes: number;
}

/** Options for {@link scoreStream} and {@link scoreFile}. */
export interface ScoreOptions {
  /** Input columns copied to every output line before the scores (e.g. `['customer_id']`). */
  ids?: readonly string[];
  /** 'value' (default) or 'margin', as `model.predict` (XGBoost boosters only). */
  output?: 'value' | 'margin';
  /**
   * Estimators only: `predict_proba` (one `proba_<class>` column per class), `predict` or
   * `transform`; default as `retail-ml predict`: probabilities for classifiers, predict for
   * regressors and k-means, transform for transformers.
   */
  method?: ScoreMethod;
  /** Output format; default 'csv' (scoreFile: from the output's extension). */
  format?: ScoreOutputFormat;
  /**
   * Worker threads for an XGBoost booster; 1 (default) scores on the calling thread.
   * Ignored when `pool` is given, and for estimators, which score on the calling thread.
   */
  threads?: number;
  /** A pool to score on instead of starting one (left open). */
  pool?: PredictionPool;
  /** Rows per block (default 16,384). */
  blockRows?: number;
  /** Blocks read ahead of the writer (default threads + 1): with the block size, this bounds memory. */
  maxInFlight?: number;
  /** Write the CSV header line (default true; chunk parts after the first leave it out). */
  header?: boolean;
  /**
   * Rejects rows whose features cannot be read instead of failing, writing each with its row
   * number and reason as CSV (`row,reason,<input columns>`) to this stream or file path.
   */
  skipBadRows?: Writable | string;
  /** Write the rejected rows' header line (default: as `header`). */
  rejectsHeader?: boolean;
  onProgress?(progress: ScoreProgress): void;
  signal?: AbortSignal;
}

/**
 * Scores CSV from a byte stream (a file stream, stdin, a web `ReadableStream`) and writes the
 * scores to `output` in input order, with bounded memory: at most `maxInFlight` blocks are
 * read ahead, and reading waits while `output` is full (backpressure). See {@link scoreBatches}.
 *
 * @example
 * await scoreStream(model, createReadStream('customers.csv'), process.stdout, { ids: ['customer_id'], threads: 2 });
 */
export async function scoreStream(model: ScoreModel, input: CsvSource, output: Writable, options: ScoreOptions = {}): Promise<ScoreSummary> {
  return scoreBatches(model, csvScoreBatches(input, { blockRows: options.blockRows, signal: options.signal }), output, options);
}

/**
 * Scores blocks of rows (from {@link readScoreInput} or {@link csvScoreBatches}) and writes
 * them in order, as CSV, JSONL, Arrow IPC or Parquet (one record batch or row group per
 * block). With an XGBoost booster and `threads` > 1 the blocks are scored on a worker pool
 * while the next ones are parsed; the results are bit-identical to `model.predict` either
 * way. An estimator scores each block on the calling thread (see {@link EstimatorBlockScorer}).
 *
 * @example
 * await scoreBatches(model, readScoreInput('rows.parquet'), createWriteStream('scores.csv'), { threads: 2 });
 */
export async function scoreBatches(model: ScoreModel, batches: AsyncIterable<ScoreInputBatch>, output: Writable, options: ScoreOptions = {}): Promise<ScoreSummary> {
  const kind = options.output ?? 'value';
  if (kind !== 'value' && kind !== 'margin') throw new InputError(`output must be 'value' or 'margin', got '${String(kind)}'`);
  const format = options.format ?? 'csv';
  if (!['csv', 'jsonl', 'arrow', 'arrows', 'parquet'].includes(format)) throw new InputError(`format must be 'csv', 'jsonl', 'arrow', 'arrows' or 'parquet', got '${String(format)}'`);
  const estimator = isEstimator(model) ? model : null;
  const booster = estimator ? null : (model as XGBoostModel);
  if (estimator && kind !== 'value') throw new InputError(`output '${kind}' needs an XGBoost model file (this model is a ${estimator.estimatorType})`);
  if (booster && options.method !== undefined) throw new InputError(`method '${options.method}' applies to estimators (pickles, forests, pipelines); an XGBoost booster scores its 'value' or 'margin'`);
  if (estimator && options.pool) throw new InputError('a prediction pool scores XGBoost boosters; an estimator scores on the calling thread');
  const requested = options.pool?.threads ?? options.threads ?? 1;
  if (!Number.isInteger(requested) || requested < 1) throw new InputError(`threads must be a positive integer, got ${requested}`);
  const threads = estimator ? 1 : requested;
  const maxInFlight = options.maxInFlight ?? threads + 1;
  const ids = options.ids ?? [];
  const signal = options.signal;
  const width = booster?.numOutputs ?? 1;
  const ownPool = booster && !options.pool && threads > 1 ? await createPredictionPool(booster, { threads }) : null;
  const pool = options.pool ?? ownPool;
  const rejects = typeof options.skipBadRows === 'string' ? createWriteStream(options.skipBadRows) : (options.skipBadRows ?? null);
  const summary: ScoreSummary = { rows: 0, rejected: 0, bytes: 0 };
  // Scored blocks waiting to be written, oldest first: output order is input order.
  const inFlight: { block: { ids: ScoreCell[][]; numRows: number; rejected: RejectedRow[] }; scores: Promise<ScoreValues>; bytes: number; buffer?: Float32Array }[] = [];
  // Feature buffers of written blocks, reused for the next ones (see submit).
  const spare: Float32Array[] = [];
  let reader: FeatureBlockReader | null = null;
  let scorer: EstimatorBlockScorer | null = null;
  // Made at the first block written: an estimator's column names may only be known from its first scores.
  let sink: ScoreSink | null = null;
  const openSink = async (): Promise<ScoreSink> => {
    // An estimator that scored nothing (no input rows) names what it can without scoring.
    const estimatorNames = () => scorer?.names() ?? estimatorScoreNames(estimator!, options.method ?? defaultScoreMethod(estimator!)) ?? ['predict'];
    const names = estimator ? [...ids, ...estimatorNames()] : scoreColumnNames(ids, kind, width);
    return createScoreSink(format, output, names, ids.length, { header: options.header !== false });
  };

  const flushOne = async (): Promise<void> => {
    const next = inFlight.shift()!;
    const values = await next.scores;
    if (next.buffer) spare.push(next.buffer);
    sink ??= await openSink();
    await sink.write(next.block.ids, values);
    if (rejects && next.block.rejected.length > 0) await writeWithBackpressure(rejects, formatRejectedRows(next.block.rejected));
    summary.rows += next.block.numRows;
    summary.rejected += next.block.rejected.length;
    summary.bytes = next.bytes;
    options.onProgress?.({ rows: summary.rows + summary.rejected, bytes: summary.bytes });
  };

  try {
    const blockRows = options.blockRows ?? 16384;
    if (!Number.isInteger(blockRows) || blockRows < 1) throw new InputError(`blockRows must be a positive integer, got ${blockRows}`);
    // The block being filled: input batches (small for CSV) are appended until it holds blockRows input rows.
    let open: { block: FeatureBlock; inputRows: number; bytes: number; buffer: Float32Array } | null = null;
    const submit = async (): Promise<void> => {
      const { block, bytes, buffer } = open!;
      open = null;
      block.values = block.values.subarray(0, block.numRows * booster!.numFeatures);
      const scores = (
        block.numRows === 0
          ? Promise.resolve(new Float32Array(0))
          : pool
            ? pool.predict(block.values, { output: kind })
            : Promise.resolve(booster!.predict(block.values, { output: kind }))
      ).then((data): ScoreValues => ({ kind: 'float32', width, data }));
      // A rejection is awaited in order by flushOne; this stops an unhandled-rejection report meanwhile.
      scores.catch(() => undefined);
      inFlight.push({ block, scores, bytes, buffer });
      while (inFlight.length >= maxInFlight) await flushOne();
    };
    // Estimators: input batches (small for CSV) gathered until they hold blockRows rows, then scored as one block.
    let gathered: ScoreInputBatch | null = null;
    const scoreGathered = async (): Promise<void> => {
      const block = gathered!;
      gathered = null;
      const scored = scorer!.score(block);
      inFlight.push({ block: scored, scores: Promise.resolve(scored.values), bytes: block.bytes });
      while (inFlight.length >= maxInFlight) await flushOne();
    };
    for await (const batch of batches) {
      if (signal?.aborted) throw new AbortedError('scoring', { cause: signal.reason });
      if (reader === null && scorer === null) {
        if (estimator) scorer = new EstimatorBlockScorer(estimator, options.method, batch.columnNames, ids, rejects !== null);
        else reader = new FeatureBlockReader(booster!, batch.columnNames, ids, rejects !== null);
        if (rejects && options.rejectsHeader !== false && (options.rejectsHeader || options.header !== false)) {
          await writeWithBackpressure(rejects, formatScoreHeader('csv', ['row', 'reason', ...batch.columnNames]));
        }
      }
      if (scorer) {
        if (gathered === null) gathered = { columnNames: batch.columnNames, rows: [], firstRow: batch.firstRow, bytes: 0 };
        for (const row of batch.rows) gathered.rows.push(row);
        gathered.bytes = batch.bytes;
        if (gathered.rows.length >= blockRows) await scoreGathered();
        continue;
      }
      for (let from = 0; from < batch.rows.length; ) {
        if (open === null) {
          // Blocks go in reused buffers, shared ones for the pool (which scores them in place): a
          // fresh (Shared)ArrayBuffer per block is garbage V8 collects late (RSS grew with the file).
          const size = blockRows * booster!.numFeatures;
          const buffer = spare.pop() ?? (pool ? new Float32Array(new SharedArrayBuffer(size * 4)) : new Float32Array(size));
          open = { block: { values: buffer, numRows: 0, ids: [], rejected: [] }, inputRows: 0, bytes: 0, buffer };
        }
        const to = Math.min(batch.rows.length, from + blockRows - open.inputRows);
        reader!.append(batch, from, to, open.block);
        open.inputRows += to - from;
        open.bytes = batch.bytes;
        from = to;
        if (open.inputRows === blockRows) await submit();
      }
    }
    if (open !== null) await submit();
    if (gathered !== null) await scoreGathered();
    while (inFlight.length > 0) await flushOne();
    sink ??= await openSink();
    await sink.finish();
    if (signal?.aborted) throw new AbortedError('scoring', { cause: signal.reason });
  } catch (error) {
    if (signal?.aborted && !(error instanceof AbortedError)) throw new AbortedError('scoring', { cause: signal.reason });
    throw error;
  } finally {
    await ownPool?.close({ mode: 'abort' });
    if (typeof options.skipBadRows === 'string' && rejects) {
      rejects.end();
      await once(rejects, 'close').catch(() => undefined);
    }
  }
  return summary;
}
