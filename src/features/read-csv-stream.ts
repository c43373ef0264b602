import { DataFormatError, InputError } from '../errors.js';
import { scanCsvRecords } from './csv-scan.js';
import { DEFAULT_MISSING_MARKERS } from './parse-cell.js';
import { CsvColumnCollector, uniqueColumnNames, type ReadCsvOptions } from './read-csv.js';
import type { Table } from './table.js';
import { checkTableSize, resolveTableLimits } from './table-limits.js';

/**
 * Where streamed CSV comes from: a Node stream (any async iterable of `Uint8Array` or
 * string chunks, such as `fs.createReadStream(path)` or `process.stdin`) or a web
 * `ReadableStream` (`(await fetch(url)).body`). Bytes are decoded as UTF-8.
 *
 * @example
 * const source: CsvSource = (await fetch('/rows.csv')).body!;
 */
export type CsvSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array | string>;

/**
 * The default longest record (line, or lines of one quoted record) the streaming reader
 * holds: 8 Mi characters. A longer one is a {@link DataFormatError}, so a file without
 * line ends cannot grow memory without bound.
 *
 * @example
 * readCsvStream(stream, { maxRecordChars: DEFAULT_MAX_RECORD_CHARS * 4 }) // allow 32 Mi-character records
 */
export const DEFAULT_MAX_RECORD_CHARS = 8 * 1024 * 1024;

/**
 * Options for {@link readCsvBatches} and {@link readCsvStream}: `readCsv`'s, plus batching,
 * the record limit and cancellation.
 *
 * @example
 * const options: ReadCsvStreamOptions = { batchRows: 1000, types: { id: 'string' }, signal: AbortSignal.timeout(5000) };
 */
export interface ReadCsvStreamOptions extends ReadCsvOptions {
  /** Rows per batch from {@link readCsvBatches}; default 8192. */
  batchRows?: number;
  /** Longest record in characters (UTF-16 code units); default {@link DEFAULT_MAX_RECORD_CHARS}. */
  maxRecordChars?: number;
  /** Stops reading (the iteration rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * One batch of rows from {@link readCsvBatches}, as text: `null` is a missing cell.
 *
 * @example
 * const { columnNames, rows, firstRow } = batch; // rows[0] is row firstRow of the file
 */
export interface CsvBatch {
  /** The header's names (made distinct as `readCsv` does); the same array in every batch. */
  columnNames: readonly string[];
  /** `rows[r][c]`, every row as wide as the header (short records padded with `null`). */
  rows: (string | null)[][];
  /** The number of this batch's first row in the whole input, counted from 1 after the header. */
  firstRow: number;
  /** The line (1-based) where each row starts, for messages. */
  lines: number[];
}

/**
 * Reads CSV from a stream as an async iterable of row batches, with exactly
 * {@link readCsv}'s parsing rules (same scanner: quotes, `""`, CRLF/LF/CR, BOM, blank lines,
 * missing markers, short/long records), holding one batch and one unfinished record at a
 * time, so memory stays flat for any input size. Cells stay text (type inference needs
 * every row; use {@link readCsvStream} for a whole typed table). A record longer than
 * `maxRecordChars` is a {@link DataFormatError}.
 *
 * @example
 * for await (const batch of readCsvBatches(createReadStream('rows.csv'))) {
 *   for (const row of batch.rows) total += Number(row[batch.columnNames.indexOf('amount')]);
 * }
 */
export async function* readCsvBatches(source: CsvSource, options: ReadCsvStreamOptions = {}): AsyncGenerator<CsvBatch, void, undefined> {
  const batchRows = positiveInteger(options.batchRows, 8192, 'batchRows');
  // Columns and field lengths are bounded as readCsv bounds them; rows only when the caller
  // sets maxRows, since a stream's point is to hold one batch of any number of rows.
  const limits = resolveTableLimits(options.limits);
  const maxRows = options.limits?.maxRows;
  if (options.columnNames) checkTableSize(0, options.columnNames.length, limits, 'columnNames');
  let columnNames: string[] | null = options.columnNames ? uniqueColumnNames(options.columnNames) : null;
  let rowCount = 0;
  let rows: (string | null)[][] = [];
  let lines: number[] = [];
  let firstRow = 1;
  const onRecord = (record: (string | null)[], line: number) => {
    for (const field of record) {
      if (field !== null && field.length > limits.maxFieldLength) {
        throw new DataFormatError(`line ${line}`, `a field of ${field.length} characters exceeds the limit ${limits.maxFieldLength} (maxFieldLength)`);
      }
    }
    if (columnNames === null) {
      checkTableSize(0, record.length, limits, `line ${line}`);
      columnNames = uniqueColumnNames(record.map((f) => f ?? ''));
      return;
    }
    const width = columnNames.length;
    if (record.length > width) throw new DataFormatError(`line ${line}`, `has ${record.length} fields, expected ${width}`);
    while (record.length < width) record.push(null);
    if (maxRows !== undefined && ++rowCount > maxRows) throw new DataFormatError(`line ${line}`, `more than ${maxRows} rows (maxRows)`);
    rows.push(record);
    lines.push(line);
  };
  for await (const _ of scanStream(source, options, onRecord)) {
    // One chunk can hold many batches' worth of rows; hand them out batchRows at a time.
    let from = 0;
    for (; rows.length - from >= batchRows; from += batchRows) {
      yield { columnNames: columnNames!, rows: rows.slice(from, from + batchRows), firstRow, lines: lines.slice(from, from + batchRows) };
      firstRow += batchRows;
    }
    if (from > 0) {
      rows = rows.slice(from);
      lines = lines.slice(from);
    }
  }
  if (rows.length > 0) yield { columnNames: columnNames!, rows, firstRow, lines };
}

/**
 * Reads a whole CSV stream into a {@link Table}, exactly as {@link readCsv} reads the same
 * text (type inference, `types`, header rules), without ever holding the text: no limit
 * from the longest string V8 can make, and memory is the table's, not the file's.
 *
 * @example
 * const table = await readCsvStream(createReadStream('customers.csv'), { types: { id: 'string' } });
 */
export async function readCsvStream(source: CsvSource, options: ReadCsvStreamOptions = {}): Promise<Table> {
  const collector = new CsvColumnCollector(options);
  for await (const _ of scanStream(source, options, collector.add));
  return collector.table();
}

/** Feeds decoded chunks through the scanner; yields after each chunk so callers can hand out batches. */
async function* scanStream(
  source: CsvSource,
  options: ReadCsvStreamOptions,
  onRecord: (record: (string | null)[], line: number) => void,
): AsyncGenerator<void, void, undefined> {
  const delimiterText = options.delimiter ?? ',';
  if (![',', '\t', ';', '|'].includes(delimiterText)) throw new InputError(`unsupported delimiter ${JSON.stringify(delimiterText)}`);
  const delimiter = delimiterText.charCodeAt(0);
  const missing = new Set(options.missing ?? DEFAULT_MISSING_MARKERS);
  const maxChars = positiveInteger(options.maxRecordChars, DEFAULT_MAX_RECORD_CHARS, 'maxRecordChars');
  // The default TextDecoder drops a leading BOM, as readCsv does.
  const decoder = new TextDecoder('utf-8');
  const state = { pos: 0, line: 1 };
  let pending = '';
  let first = true;
  // An unfinished record is rescanned only once the buffer has doubled, so a long record costs linear time.
  let rescanAt = 0;
  const tooLong = () => new DataFormatError(`line ${state.line}`, `a record longer than ${maxChars} characters (the streaming reader's maxRecordChars)`);
  for await (const chunk of chunks(source)) {
    options.signal?.throwIfAborted();
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      // Decoded bytes have lost their BOM already; string chunks have not.
      if (typeof chunk === 'string' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    pending += text;
    if (pending.length < rescanAt && pending.length <= maxChars) continue;
    scanCsvRecords(pending, state, delimiter, missing, false, onRecord);
    pending = pending.slice(state.pos);
    state.pos = 0;
    if (pending.length > maxChars) throw tooLong();
    rescanAt = pending.length * 2;
    yield;
  }
  pending += decoder.decode();
  if (pending.length > maxChars) throw tooLong();
  scanCsvRecords(pending, state, delimiter, missing, true, onRecord);
  yield;
}

async function* chunks(source: CsvSource): AsyncGenerator<Uint8Array | string, void, undefined> {
  if (typeof (source as ReadableStream).getReader === 'function') {
    // Not every browser makes web streams async-iterable; the reader works everywhere.
    const reader = (source as ReadableStream<Uint8Array | string>).getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        yield value;
      }
    } finally {
      // A reader that stopped early (an error, a break) cancels the stream instead of stranding it.
      if (!finished) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  if (source === null || typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw new InputError('readCsvBatches expects a Node stream, an async iterable of chunks or a web ReadableStream');
  }
  yield* source as AsyncIterable<Uint8Array | string>;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a positive integer, got ${value}`);
  return value;
}
