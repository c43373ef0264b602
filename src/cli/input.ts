import { extname, resolve } from 'node:path';
import type { ColumnKind } from '../features/column.js';
import { DEFAULT_MAX_RECORD_CHARS, readCsvBatches, readCsvStream, type CsvBatch, type ReadCsvStreamOptions } from '../features/read-csv-stream.js';
import type { Table } from '../features/table.js';
import { openFileStream } from '../node/open-file-stream.js';
import { readTableFile } from '../node/read-table-file.js';
import { UsageError } from './args.js';
import type { CliIO } from './command.js';

/**
 * The byte stream behind an `--input` value: stdin for `-`, else the file (or pipe, or
 * device such as `/dev/stdin`) resolved against the working directory.
 *
 * @example
 * const source = await openInput('-', io); // io.stdin
 */
export async function openInput(path: string, io: CliIO): Promise<AsyncIterable<Uint8Array | string>> {
  if (path === '-') {
    if (!io.stdin) throw new UsageError('- (stdin) is not available here');
    return io.stdin;
  }
  return openFileStream(resolve(io.cwd, path));
}

/** A tab for `.tsv`/`.tab` paths, else a comma, unless given. */
function delimiterFor(path: string, given: ReadCsvStreamOptions['delimiter']): ReadCsvStreamOptions['delimiter'] {
  return given ?? (/\.(tsv|tab)$/i.test(path) ? '\t' : ',');
}

/**
 * Reads a CSV `--input` (a path or `-`) as a whole typed table, streamed: memory is the
 * table's, never the text's.
 *
 * @example
 * const table = await readCsvInput('-', io, { types: { id: 'string' } });
 */
export async function readCsvInput(path: string, io: CliIO, options: ReadCsvStreamOptions = {}): Promise<Table> {
  return readCsvStream(await openInput(path, io), { ...options, delimiter: delimiterFor(path, options.delimiter) });
}

/**
 * Reads a CSV `--input` (a path or `-`) in batches of text rows, for commands whose memory
 * must stay flat (predict).
 *
 * @example
 * for await (const batch of await csvInputBatches('big.csv', io)) score(batch.rows);
 */
export async function csvInputBatches(path: string, io: CliIO, options: ReadCsvStreamOptions = {}): Promise<AsyncGenerator<CsvBatch, void, undefined>> {
  return readCsvBatches(await openInput(path, io), { ...options, delimiter: delimiterFor(path, options.delimiter) });
}

/**
 * Reads any table input by extension (`.xlsx`, `.json`, CSV otherwise); `-` is CSV on stdin.
 *
 * @example
 * const t = await readTableInput('features.xlsx', io, { types: { customer_id: 'string' } });
 */
export async function readTableInput(
  path: string,
  io: CliIO,
  options: { types?: ReadonlyMap<string, ColumnKind> | Readonly<Record<string, ColumnKind>> } = {},
): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (path === '-' || ext === '.csv' || ext === '.tsv' || ext === '.tab' || ext === '.txt') return readCsvInput(path, io, { types: options.types });
  return readTableFile(resolve(io.cwd, path), options);
}

/**
 * Reads a CSV `--input` whose delimiter is a tab when its header line has one, else a
 * comma: the header is peeked from the first chunks, then the whole stream is read.
 *
 * @example
 * const t = await readSniffedCsvInput('marketing_campaign.csv', io); // tab-separated
 */
export async function readSniffedCsvInput(path: string, io: CliIO): Promise<Table> {
  const iterator = (await openInput(path, io))[Symbol.asyncIterator]();
  const peeked: (Uint8Array | string)[] = [];
  const decoder = new TextDecoder();
  let head = '';
  // Bounded like any record: the streaming reader refuses a longer header anyway.
  while (!head.includes('\n') && head.length <= DEFAULT_MAX_RECORD_CHARS) {
    const next = await iterator.next();
    if (next.done) break;
    peeked.push(next.value);
    head += typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true });
  }
  const firstLine = head.split('\n', 1)[0];
  async function* replay() {
    yield* peeked;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return readCsvStream(replay(), { delimiter: firstLine.includes('\t') ? '\t' : ',' });
}
