import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { readScoreInput, type ReadScoreInputOptions, type ScoreInputFormat } from './score-input.js';
import type { ScoreOutputFormat } from './score-output.js';
import { scoreBatches, type ScoreModel, type ScoreOptions, type ScoreSummary } from './score-stream.js';

/** Options for {@link scoreFile}: {@link ScoreOptions} plus where in the input to read. */
export interface ScoreFileOptions extends Omit<ScoreOptions, 'format'>, Pick<ReadScoreInputOptions, 'byteRange' | 'columnNames' | 'firstRow' | 'rowRange'> {
  /** Input format; default from the input's extension (see {@link scoreInputFormat}). */
  inputFormat?: ScoreInputFormat;
  /** Output format; default from the output's extension (see {@link scoreOutputFormat}). */
  outputFormat?: ScoreOutputFormat;
}

/**
 * The output format of a path, from its extension: `.jsonl`/`.ndjson`, `.arrow`/`.feather`/`.ipc`
 * (Arrow IPC file), `.arrows` (Arrow IPC stream), `.parquet`/`.pq`, else CSV.
 *
 * @example
 * scoreOutputFormat('scores.jsonl') // => 'jsonl'
 */
export function scoreOutputFormat(path: string): ScoreOutputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc') return 'arrow';
  if (ext === '.arrows') return 'arrows';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  return 'csv';
}

/**
 * Scores a CSV, Arrow IPC or Parquet file into a CSV, JSONL, Arrow IPC or Parquet file, in
 * input order, with flat memory (see {@link scoreBatches}), with an XGBoost booster or any
 * estimator (`loadScoreModel`). The output is written under a temporary name and
 * renamed when complete, so a reader (or a retried job) never sees half a file.
 *
 * @example
 * const { rows } = await scoreFile(model, 'customers.parquet', 'scores.csv', { ids: ['customer_id'], threads: 2, onProgress: (p) => console.log(p.rows) });
 */
export async function scoreFile(model: ScoreModel, inputPath: string, outputPath: string, options: ScoreFileOptions = {}): Promise<ScoreSummary> {
  const blocks = readScoreInput(inputPath, {
    format: options.inputFormat,
    blockRows: options.blockRows,
    byteRange: options.byteRange,
    columnNames: options.columnNames,
    firstRow: options.firstRow,
    rowRange: options.rowRange,
    signal: options.signal,
  });
  // A unique temporary name: two runs writing the same output never mix their bytes.
  const temp = `${outputPath}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  const rejectsPath = typeof options.skipBadRows === 'string' ? options.skipBadRows : null;
  const rejectsTemp = rejectsPath ? `${temp}.rejects` : null;
  const out = createWriteStream(temp);
  try {
    const summary = await scoreBatches(model, blocks, out, { ...options, format: options.outputFormat ?? scoreOutputFormat(outputPath), skipBadRows: rejectsTemp ?? options.skipBadRows });
    out.end();
    await once(out, 'close');
    if (rejectsTemp) await rename(rejectsTemp, rejectsPath!);
    await rename(temp, outputPath);
    return summary;
  } catch (error) {
    // A write still in flight fails once the stream is destroyed; that is expected here, not an error to report.
    out.on('error', () => undefined);
    out.destroy();
    await rm(temp, { force: true });
    if (rejectsTemp) await rm(rejectsTemp, { force: true });
    throw error;
  }
}
