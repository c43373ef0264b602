import type { Labels } from '../../estimator.js';
import type { ScoreCell } from '../score-input.js';

/**
 * How a block's scores are typed: `float32` (XGBoost: written as the shortest text that
 * reads back as the same float32, Float32 columns in Arrow/Parquet), `float64`
 * (probabilities, regressions, transforms), `int32` (cluster indices) or `label`
 * (class labels as the estimator returns them: strings, numbers or booleans).
 */
export type ScoreValueKind = 'float32' | 'float64' | 'int32' | 'label';

/**
 * One block's scores, row-major: `data[r * width + k]` is output column k of row r.
 *
 * @example
 * const values: ScoreValues = { kind: 'float32', width: 1, data: Float32Array.of(0.25, 0.75) };
 */
export interface ScoreValues {
  kind: ScoreValueKind;
  width: number;
  data: Float32Array | Float64Array | Int32Array | Labels;
}

/**
 * Where the scorer writes: one call per block, in input order, then `finish` once. Every
 * format writes as it goes (a CSV line, an Arrow record batch, a Parquet row group per
 * block), so memory stays one block's, whatever the number of rows.
 *
 * @example
 * const sink = await createScoreSink('parquet', createWriteStream('scores.parquet'), ['customer_id', 'value'], 1);
 * await sink.write([['c1']], { kind: 'float32', width: 1, data: Float32Array.of(0.5) });
 * await sink.finish();
 */
export interface ScoreSink {
  /** Writes one block (`ids[r]`: row r's id cells); resolves once the output can take more (backpressure). */
  write(ids: readonly (readonly ScoreCell[])[], values: ScoreValues): Promise<void>;
  /** Ends the output (a CSV header if no row came, the Arrow footer, the Parquet footer). Does not close the stream. */
  finish(): Promise<void>;
}
