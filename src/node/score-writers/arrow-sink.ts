import type { Writable } from 'node:stream';
import type * as Arrow from 'apache-arrow';
import type { ScoreCell } from '../score-input.js';
import { loadWriterPeer } from './load-writer-peer.js';
import { outputColumns, outputColumnTypes, type OutputColumnData, type OutputColumnType } from './output-columns.js';
import type { ScoreSink, ScoreValues } from './score-sink.js';
import { writeWithBackpressure } from './write-bytes.js';

/** Settles at once: raced against the writer's queue, it tells an empty queue from a chunk. */
const EMPTY = Symbol('empty');

/**
 * An Arrow IPC sink: one record batch per block, through apache-arrow's
 * `RecordBatchFileWriter` (`stream: false`, the `.arrow`/`.feather` file format with its
 * footer) or `RecordBatchStreamWriter` (`stream: true`, `.arrows`). The writer queues its
 * bytes; after each batch the queue is emptied into `output`, waiting on backpressure, so
 * at most one batch's bytes are held. The schema is fixed by the first block (see
 * {@link outputColumnTypes}); columns are nullable.
 *
 * @example
 * const sink = await createArrowSink(createWriteStream('scores.arrow'), ['customer_id', 'value'], 1, false);
 */
export async function createArrowSink(output: Writable, names: readonly string[], numIds: number, stream: boolean): Promise<ScoreSink> {
  const arrow = await loadWriterPeer('apache-arrow', () => import('apache-arrow'));
  const writer: Arrow.RecordBatchWriter = stream ? new arrow.RecordBatchStreamWriter() : new arrow.RecordBatchFileWriter();
  const queue = writer[Symbol.asyncIterator]();
  let waiting: Promise<IteratorResult<Uint8Array>> | null = null;
  let schema: Arrow.Schema | null = null;
  let types: OutputColumnType[] | null = null;
  const width = names.length - numIds;

  // Moves what the writer queued into `output`; with `all`, until the writer is closed.
  const drain = async (all: boolean): Promise<void> => {
    for (;;) {
      const chunks: Uint8Array[] = [];
      let done = false;
      for (;;) {
        const next = waiting ?? queue.next();
        waiting = null;
        // A queued chunk comes as an already-settled promise, which wins the race against EMPTY.
        const result = all && chunks.length === 0 ? await next : await Promise.race([next, Promise.resolve(EMPTY)]);
        if (result === EMPTY) {
          waiting = next;
          break;
        }
        if (result.done) {
          done = true;
          break;
        }
        chunks.push(result.value);
      }
      // One write per batch instead of one per Arrow buffer.
      if (chunks.length > 0) await writeWithBackpressure(output, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      if (done || !all) return;
    }
  };

  const batchOf = (columns: OutputColumnData[], numRows: number): Arrow.RecordBatch => {
    const children = columns.map((column, c) => columnData(arrow, column, types![c]));
    return new arrow.RecordBatch(schema!, arrow.makeData({ type: new arrow.Struct(schema!.fields), length: numRows, nullCount: 0, children }));
  };
  const start = (ids: readonly (readonly ScoreCell[])[], values: ScoreValues | null) => {
    types = outputColumnTypes(ids, values, numIds, width);
    schema = new arrow.Schema(names.map((name, c) => new arrow.Field(name, arrowType(arrow, types![c]), true)));
  };

  return {
    async write(ids, values) {
      if (!types) start(ids, values);
      if (ids.length === 0) return;
      writer.write(batchOf(outputColumns(ids, values, names, types!), ids.length));
      await drain(false);
    },
    async finish() {
      // No row at all: still a valid file, with the schema and no batch.
      if (!types) {
        start([], null);
        writer.write(batchOf(names.map(() => []), 0));
      }
      writer.close();
      await drain(true);
    },
  };
}

function arrowType(arrow: typeof Arrow, type: OutputColumnType): Arrow.DataType {
  switch (type) {
    case 'float32':
      return new arrow.Float32();
    case 'float64':
      return new arrow.Float64();
    case 'int32':
      return new arrow.Int32();
    case 'int64':
      return new arrow.Int64();
    case 'bool':
      return new arrow.Bool();
    default:
      return new arrow.Utf8();
  }
}

function columnData(arrow: typeof Arrow, column: OutputColumnData, type: OutputColumnType): Arrow.Data {
  if (!Array.isArray(column)) {
    const typed = column as Float32Array | Float64Array | Int32Array;
    return arrow.makeData({ type: arrowType(arrow, type) as Arrow.Float32, length: typed.length, nullCount: 0, data: typed as Float32Array });
  }
  // A builder flushed once gives one Data for the whole block (a record batch needs one per column).
  const builder = arrow.makeBuilder({ type: arrowType(arrow, type), nullValues: [null] });
  for (const cell of column) builder.append(cell as never);
  return builder.finish().flush();
}
