import type { ScoreMethod } from '../../node/score-estimator.js';
import type { ScoreOutputFormat } from '../../node/score-output.js';

/**
 * What one job asks a worker to do: score rows [firstRow, firstRow + rows) of a CSV file
 * (bytes [start, end)) with a model, into a part file. Paths are on storage every worker reads.
 */
export interface ScoreChunkJob {
  modelPath: string;
  /** SHA-256 of the model (file, or MLflow folder): workers cache models by it, and refuse a model that changed. */
  modelSha256: string;
  input: string;
  start: number;
  end: number;
  columnNames: string[];
  chunk: number;
  firstRow: number;
  rows: number;
  part: string;
  rejectsPart: string | null;
  ids: string[];
  output: 'value' | 'margin';
  /** Estimators only (see `ScoreOptions.method`); absent: the model's default. */
  method?: ScoreMethod;
  format: ScoreOutputFormat;
}

/**
 * The deterministic job id of a chunk: the same input, model and options give the same ids,
 * so a re-run coordinator finds its jobs instead of enqueuing duplicates.
 *
 * @example
 * scoreJobId('3f9a0c1d2e4b5a69', 7) // => '3f9a0c1d2e4b5a69-7'
 */
export function scoreJobId(fingerprint: string, chunk: number): string {
  return `${fingerprint}-${chunk}`;
}
