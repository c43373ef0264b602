import type { Writable } from 'node:stream';
import { InputError } from '../../errors.js';
import type { ScoreOutputFormat } from '../score-output.js';
import { createArrowSink } from './arrow-sink.js';
import { createParquetSink } from './parquet-sink.js';
import type { ScoreSink } from './score-sink.js';
import { createTextSink } from './text-sink.js';

/**
 * The sink for an output format. `header` is for CSV only (parts of a chunked run after the
 * first leave it out); Arrow and Parquet load their optional peer here.
 *
 * @example
 * const sink = await createScoreSink('arrow', createWriteStream('scores.arrow'), ['customer_id', 'value'], 1);
 */
export async function createScoreSink(format: ScoreOutputFormat, output: Writable, names: readonly string[], numIds: number, options: { header?: boolean } = {}): Promise<ScoreSink> {
  switch (format) {
    case 'csv':
    case 'jsonl':
      return createTextSink(format, output, names, numIds, options.header !== false);
    case 'arrow':
    case 'arrows':
      return createArrowSink(output, names, numIds, format === 'arrows');
    case 'parquet':
      return createParquetSink(output, names, numIds);
    default:
      throw new InputError(`format must be 'csv', 'jsonl', 'arrow', 'arrows' or 'parquet', got '${String(format)}'`);
  }
}
