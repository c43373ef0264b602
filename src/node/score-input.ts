import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError, RetailMlError } from '../errors.js';
import { readCsvBatches, type CsvSource } from '../features/read-csv-stream.js';

/** A cell as an input format hands it over: text (CSV), a number, a bigint (Arrow int64) or missing. */
export type ScoreCell = string | number | bigint | boolean | null | undefined;

/** One block of input rows for the scorer, whatever the file format. */
export interface ScoreInputBatch {
  columnNames: readonly string[];
  /** `rows[r][c]`, every row as wide as `columnNames`. */
  rows: ScoreCell[][];
  /** The number of this block's first row in the whole input, counted from 1 after the header. */
  firstRow: number;
  /** Input bytes consumed so far (for progress), when known. */
  bytes: number;
}

/** The file formats {@link readScoreInput} reads. */
export type ScoreInputFormat = 'csv' | 'arrow' | 'parquet';

/** Options for {@link readScoreInput}. */
export interface ReadScoreInputOptions {
  /** Default: from the extension (`.arrow`/`.feather`/`.ipc`, `.parquet`, else CSV). */
  format?: ScoreInputFormat;
  /** Rows per block; default 16,384. */
  blockRows?: number;
  /** CSV only: read bytes [start, end) of the file, which must start at a record (a chunk of a bigger run). */
  byteRange?: readonly [number, number];
  /** CSV with `byteRange`: the header's names (the range holds no header). */
  columnNames?: readonly string[];
  /** Row number of the range's first row (default 1), so messages name rows of the whole file. */
  firstRow?: number;
  /** Parquet/Arrow: only rows [rowStart, rowEnd) (0-based), for chunked runs. */
  rowRange?: readonly [number, number];
  signal?: AbortSignal;
}

/**
 * The format of an input path, from its extension.
 *
 * @example
 * scoreInputFormat('rows.parquet') // => 'parquet'
 */
export function scoreInputFormat(path: string): ScoreInputFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc' || ext === '.arrows') return 'arrow';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  return 'csv';
}

/**
 * Reads a CSV, Arrow IPC or Parquet file as blocks of rows with bounded memory: CSV through
 * the streaming reader, Arrow one record batch at a time, Parquet one row group at a time.
 * The Arrow and Parquet readers are optional peers, loaded only here.
 *
 * @example
 * for await (const block of readScoreInput('rows.parquet')) console.log(block.firstRow, block.rows.length);
 */
export async function* readScoreInput(path: string, options: ReadScoreInputOptions = {}): AsyncGenerator<ScoreInputBatch, void, undefined> {
  const format = options.format ?? scoreInputFormat(path);
  const blockRows = options.blockRows ?? 16384;
  if (!Number.isInteger(blockRows) || blockRows < 1) throw new InputError(`blockRows must be a positive integer, got ${blockRows}`);
  if (format === 'csv') yield* readCsvInput(path, blockRows, options);
  else if (format === 'arrow') yield* readArrowInput(path, blockRows, options);
  else if (format === 'parquet') yield* readParquetInput(path, blockRows, options);
  else throw new InputError(`unknown input format '${String(format)}'`);
}

/**
 * Rows per batch of parsed CSV text (at most). Each cell of a batch is a string, ~1.3 KB a
 * row of 31 cells: a batch of 16,384 rows lived long enough for V8 to promote it to the old
 * generation, whose collections came late, and peak RSS grew with the file. Batches of 1,024
 * are turned into numbers (appended to the block being filled) while still young.
 */
const CSV_PARSE_ROWS = 1024;

/**
 * Blocks of text rows from a CSV byte stream, counting bytes for progress, at most
 * min(`blockRows`, 1,024) rows each (the scorer appends them into blocks of `blockRows`).
 *
 * @example
 * for await (const block of csvScoreBatches(createReadStream('rows.csv'))) console.log(block.bytes);
 */
export async function* csvScoreBatches(
  source: CsvSource,
  options: { blockRows?: number; columnNames?: readonly string[]; firstRow?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ScoreInputBatch, void, undefined> {
  const counter = { bytes: 0 };
  const offset = (options.firstRow ?? 1) - 1;
  const batches = readCsvBatches(countBytes(source, counter), { batchRows: Math.min(options.blockRows ?? 16384, CSV_PARSE_ROWS), columnNames: options.columnNames, inferTypes: false, signal: options.signal });
  for await (const batch of batches) yield { columnNames: batch.columnNames, rows: batch.rows, firstRow: batch.firstRow + offset, bytes: counter.bytes };
}

async function* countBytes(source: CsvSource, counter: { bytes: number }): AsyncGenerator<Uint8Array | string, void, undefined> {
  const iterable: AsyncIterable<Uint8Array | string> =
    typeof (source as ReadableStream).getReader === 'function' ? readableToIterable(source as ReadableStream<Uint8Array | string>) : (source as AsyncIterable<Uint8Array | string>);
  for await (const chunk of iterable) {
    counter.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    yield chunk;
  }
}

async function* readableToIterable<T>(stream: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

async function* readCsvInput(path: string, blockRows: number, options: ReadScoreInputOptions): AsyncGenerator<ScoreInputBatch, void, undefined> {
  const handle = await open(path, 'r');
  const range = options.byteRange;
  // A range ends before its last byte's successor; createReadStream's `end` is inclusive.
  const stream = handle.createReadStream({ highWaterMark: 256 * 1024, start: range?.[0], end: range ? Math.max(range[0], range[1]) - 1 : undefined });
  if (range && range[1] <= range[0]) {
    stream.destroy();
    return;
  }
  try {
    yield* csvScoreBatches(stream, { blockRows, columnNames: options.columnNames, firstRow: options.firstRow, signal: options.signal });
  } finally {
    stream.destroy();
  }
}

async function loadPeer<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new RetailMlError('MISSING_PEER', `reading this file needs the optional peer dependency '${name}' (npm install ${name})`, { cause: error });
  }
}

async function* readArrowInput(path: string, blockRows: number, options: ReadScoreInputOptions): AsyncGenerator<ScoreInputBatch, void, undefined> {
  const arrow = await loadPeer('apache-arrow', () => import('apache-arrow'));
  const handle = await open(path, 'r');
  const size = (await handle.stat()).size;
  const [from, to] = options.rowRange ?? [0, Infinity];
  let row = 0;
  let batches = 0;
  try {
    // From the file handle, an IPC file is read by random access, one record batch at a time;
    // from a byte stream apache-arrow buffered much of the file (peak RSS 417 MiB for 125 MiB).
    const reader = await arrow.RecordBatchReader.from(handle);
    const total = reader.isFile() ? reader.numRecordBatches : 0;
    let columnNames: string[] | null = null;
    for await (const batch of reader) {
      options.signal?.throwIfAborted();
      batches++;
      const bytes = total > 0 ? Math.round((size * batches) / total) : size;
      columnNames ??= batch.schema.fields.map((f) => f.name);
      const columns = columnNames.map((_, c) => batch.getChildAt(c)!);
      const n = batch.numRows;
      // Only the part of this record batch inside the requested rows, blockRows at a time.
      const begin = Math.max(0, from - row);
      const end = Math.min(n, to - row);
      for (let b = begin; b < end; b += blockRows) {
        const e = Math.min(end, b + blockRows);
        const rows: ScoreCell[][] = [];
        for (let r = b; r < e; r++) rows.push(columns.map((col) => col.get(r) as ScoreCell));
        yield { columnNames, rows, firstRow: row + b + 1, bytes };
      }
      row += n;
      if (row >= to) break;
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function* readParquetInput(path: string, blockRows: number, options: ReadScoreInputOptions): AsyncGenerator<ScoreInputBatch, void, undefined> {
  const hyparquet = await loadPeer('hyparquet', () => import('hyparquet'));
  const file = await hyparquet.asyncBufferFromFile(path);
  const metadata = await hyparquet.parquetMetadataAsync(file);
  const columnNames = hyparquet.parquetSchema(metadata).children.map((c) => c.element.name);
  const total = Number(metadata.num_rows);
  const [from, to] = options.rowRange ?? [0, total];
  let groupStart = 0;
  let bytes = 0;
  // One row group at a time (in blocks), so memory is one group's, whatever the file's size.
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const groupEnd = groupStart + groupRows;
    bytes += group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    const begin = Math.max(from, groupStart);
    const end = Math.min(to, groupEnd);
    if (begin < end) {
      options.signal?.throwIfAborted();
      // Decoding a group once (not once per block) keeps Parquet fast; memory is still one group's.
      // The group is kept as hyparquet's column chunks (typed arrays for numbers) and turned into
      // rows CSV_PARSE_ROWS at a time, as CSV is: a whole group of row arrays at once (65,536
      // rows of 31 cells) was promoted to the old generation and raised the peak.
      const chunks = new Map<string, { start: number; data: ArrayLike<ScoreCell> }[]>();
      await hyparquet.parquetRead({
        file,
        metadata,
        rowStart: begin,
        rowEnd: end,
        onChunk: (c: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }) => {
          let list = chunks.get(c.columnName);
          if (!list) chunks.set(c.columnName, (list = []));
          list.push({ start: c.rowStart, data: c.columnData as ArrayLike<ScoreCell> });
        },
      });
      const columns = columnNames.map((name) => (chunks.get(name) ?? []).sort((a, b) => a.start - b.start));
      const lost = columnNames.find((_, c) => columns[c].length === 0);
      if (lost !== undefined) throw new InputError(`${path}: no data for column '${lost}' in rows ${begin + 1}-${end} (nested columns are not read)`);
      const at = columns.map(() => 0);
      const step = Math.min(blockRows, CSV_PARSE_ROWS);
      for (let b = begin; b < end; b += step) {
        const e = Math.min(end, b + step);
        const rows: ScoreCell[][] = [];
        for (let r = b; r < e; r++) {
          const row: ScoreCell[] = new Array(columns.length);
          for (let c = 0; c < columns.length; c++) {
            const list = columns[c];
            while (at[c] < list.length && list[at[c]].start + list[at[c]].data.length <= r) at[c]++;
            const chunk = list[at[c]];
            row[c] = chunk && r >= chunk.start ? chunk.data[r - chunk.start] : undefined;
          }
          rows.push(row);
        }
        yield { columnNames, rows, firstRow: b + 1, bytes };
      }
    }
    groupStart = groupEnd;
    if (groupStart >= to) break;
  }
}
