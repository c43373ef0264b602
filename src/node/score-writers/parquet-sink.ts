import type { Writable } from 'node:stream';
import type { Writer } from 'hyparquet-writer';
import type { ScoreCell } from '../score-input.js';
import { loadWriterPeer } from './load-writer-peer.js';
import { outputColumns, outputColumnTypes, type OutputColumnType } from './output-columns.js';
import type { ScoreSink, ScoreValues } from './score-sink.js';
import { writeWithBackpressure } from './write-bytes.js';

/** Parquet's physical type (and UTF8 annotation) for each output column type. */
const PARQUET_TYPES: Record<OutputColumnType, { type: 'BYTE_ARRAY' | 'DOUBLE' | 'FLOAT' | 'INT32' | 'INT64' | 'BOOLEAN'; converted_type?: 'UTF8' }> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  float64: { type: 'DOUBLE' },
  float32: { type: 'FLOAT' },
  int32: { type: 'INT32' },
  int64: { type: 'INT64' },
  bool: { type: 'BOOLEAN' },
};

/**
 * A Parquet sink: one row group per block (snappy-compressed, with statistics), written
 * through hyparquet-writer's `ParquetWriter` onto a byte writer that hands each finished
 * row group to `output` and forgets it, waiting on backpressure. What stays in memory to
 * the end is the footer's metadata: a few hundred bytes per row group and column (the
 * row groups' offsets and statistics), written when the sink finishes. Columns are
 * OPTIONAL (nullable); the schema is fixed by the first block (see {@link outputColumnTypes}).
 *
 * @example
 * const sink = await createParquetSink(createWriteStream('scores.parquet'), ['customer_id', 'value'], 1);
 */
export async function createParquetSink(output: Writable, names: readonly string[], numIds: number): Promise<ScoreSink> {
  const { ByteWriter, ParquetWriter } = await loadWriterPeer('hyparquet-writer', () => import('hyparquet-writer'));
  // `index` is where the next byte goes in `buffer`; resetting it after a flush reuses the buffer.
  const bytes = new ByteWriter(1 << 20) as unknown as Writer & { index: number };
  // ParquetWriter calls flush() after each row group and waits for the promise; the
  // offsets it records are bytes.offset, which counts every byte ever written.
  bytes.flush = () => {
    const chunk = new Uint8Array(bytes.buffer.slice(0, bytes.index));
    bytes.index = 0;
    return writeWithBackpressure(output, chunk);
  };
  bytes.finish = () => bytes.flush!();
  const width = names.length - numIds;
  let writer: InstanceType<typeof ParquetWriter> | null = null;
  let types: OutputColumnType[] | null = null;
  const start = (ids: readonly (readonly ScoreCell[])[], values: ScoreValues | null) => {
    types = outputColumnTypes(ids, values, numIds, width);
    const schema = [
      { name: 'root', num_children: names.length },
      ...names.map((name, c) => ({ name, ...PARQUET_TYPES[types![c]], repetition_type: 'OPTIONAL' as const })),
    ];
    writer = new ParquetWriter({ writer: bytes, schema, createdBy: 'retail-ml' });
  };
  return {
    async write(ids, values) {
      if (!writer) start(ids, values);
      if (ids.length === 0) return;
      const columns = outputColumns(ids, values, names, types!);
      await writer!.write({ columnData: names.map((name, c) => ({ name, data: columns[c] })), rowGroupSize: ids.length });
    },
    async finish() {
      if (!writer) start([], null);
      await writer!.finish();
    },
  };
}
