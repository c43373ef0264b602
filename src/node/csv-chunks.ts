import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { DataFormatError, InputError } from '../errors.js';
import { readCsv } from '../features/read-csv.js';

/** One row-aligned piece of a CSV file: bytes [start, end) hold rows [firstRow, firstRow + rows). */
export interface CsvChunk {
  index: number;
  start: number;
  end: number;
  /** Row number (1-based, after the header) of the chunk's first row. */
  firstRow: number;
  rows: number;
}

/** A CSV file cut into chunks, from {@link planCsvChunks}. */
export interface CsvChunkPlan {
  columnNames: readonly string[];
  chunks: CsvChunk[];
  rows: number;
  bytes: number;
  /** SHA-256 of the file's bytes (hex), read in the same pass: the input's fingerprint. */
  sha256: string;
}

/**
 * Cuts a CSV file into chunks of `chunkRows` rows, each a byte range starting at a record,
 * in one streaming pass (which also hashes the file). Records are found as the CSV reader
 * finds them: a line end outside double quotes ends one (a quoted field may span lines),
 * and blank lines are no rows. Each range can then be scored alone
 * (`scoreFile(…, { byteRange, columnNames, firstRow })`), by another process or machine.
 *
 * @example
 * const plan = await planCsvChunks('customers.csv', 100_000);
 * plan.chunks[1] // => { index: 1, start: 4411234, end: 8822100, firstRow: 100001, rows: 100000 }
 */
export async function planCsvChunks(path: string, chunkRows: number): Promise<CsvChunkPlan> {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new InputError(`chunkRows must be a positive integer, got ${chunkRows}`);
  const size = (await stat(path)).size;
  const handle = await open(path, 'r');
  const hash = createHash('sha256');
  const chunks: CsvChunk[] = [];
  let headerEnd = -1;
  let headerStart = 0;
  let inQuotes = false;
  let lineHasContent = false;
  let recordStart = 0;
  let rows = 0;
  let chunkStart = -1;
  let chunkRowsSoFar = 0;
  let offset = 0;
  const endRecord = (end: number) => {
    if (headerEnd < 0) {
      headerStart = recordStart;
      headerEnd = end;
      return;
    }
    if (chunkStart < 0) chunkStart = recordStart;
    rows++;
    chunkRowsSoFar++;
    if (chunkRowsSoFar === chunkRows) {
      chunks.push({ index: chunks.length, start: chunkStart, end, firstRow: rows - chunkRowsSoFar + 1, rows: chunkRowsSoFar });
      chunkStart = -1;
      chunkRowsSoFar = 0;
    }
  };
  try {
    for await (const buf of handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false }) as AsyncIterable<Buffer>) {
      hash.update(buf);
      for (let i = 0; i < buf.length; i++) {
        const b = buf[i];
        if (b === 0x22) {
          // "" inside quotes toggles twice, so parity alone tracks whether we are quoted.
          inQuotes = !inQuotes;
          lineHasContent = true;
        } else if (b === 0x0a && !inQuotes) {
          if (lineHasContent) endRecord(offset + i + 1);
          lineHasContent = false;
          recordStart = offset + i + 1;
        } else if (b !== 0x0d) {
          if (!lineHasContent) recordStart = offset + i;
          lineHasContent = true;
        }
      }
      offset += buf.length;
    }
    if (inQuotes) throw new DataFormatError('end of file', 'unterminated quoted field');
    if (lineHasContent) endRecord(size);
    if (chunkRowsSoFar > 0) chunks.push({ index: chunks.length, start: chunkStart, end: size, firstRow: rows - chunkRowsSoFar + 1, rows: chunkRowsSoFar });
    if (headerEnd < 0) throw new InputError(`${path} has no header line`);
    const header = Buffer.alloc(headerEnd - headerStart);
    await handle.read(header, 0, header.length, headerStart);
    // The reader's own rules for the names (quotes, BOM, duplicates made distinct).
    const columnNames = readCsv(header.toString('utf8'), { inferTypes: false }).columnNames;
    return { columnNames, chunks, rows, bytes: size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}
