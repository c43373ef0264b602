import { Inflate } from 'fflate';
import { DataFormatError } from '../../errors.js';
import { crc32 } from './crc32.js';
import type { ZipArchive, ZipEntry } from './zip-archive.js';

/** Bytes a workbook may still inflate; shared by every part read from it. */
export interface InflateBudget {
  remaining: number;
  readonly limit: number;
}

// Deflate expands at most ~1032:1, so a 16 KiB input step yields at most ~17 MB before the
// budget is checked again: a bomb is stopped after one step, never inflated whole.
const STEP = 16 * 1024;

/**
 * Inflates one zip entry chunk by chunk into `onChunk`, charging every byte to `budget`
 * and refusing the entry as soon as it passes the budget or its declared size. The CRC-32
 * and the size are checked at the end, so damage inside a part is an error, not data.
 *
 * @example
 * inflateEntry(zip, zip.entry('xl/workbook.xml')!, { remaining: 1 << 20, limit: 1 << 20 }, (chunk) => parts.push(chunk));
 */
export function inflateEntry(zip: ZipArchive, entry: ZipEntry, budget: InflateBudget, onChunk: (chunk: Uint8Array) => void): void {
  const fail = (detail: string): never => {
    throw new DataFormatError(entry.name, detail);
  };
  if (entry.size > budget.remaining) fail(`inflates to ${entry.size} bytes, beyond maxInflatedBytes (${budget.limit})`);
  const input = zip.data(entry);
  let total = 0;
  let crc = 0;
  const take = (chunk: Uint8Array) => {
    total += chunk.length;
    // The declared size was checked against the budget, so holding the entry to it bounds both.
    if (total > entry.size) fail(`inflates beyond its declared size of ${entry.size} bytes`);
    budget.remaining -= chunk.length;
    crc = crc32(chunk, crc);
    onChunk(chunk);
  };
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) fail('stored entry with two different sizes');
    for (let p = 0; p < input.length; p += STEP) take(input.subarray(p, Math.min(input.length, p + STEP)));
  } else if (entry.method === 8) {
    const inflater = new Inflate((chunk) => take(chunk));
    try {
      if (input.length === 0) inflater.push(input, true);
      for (let p = 0; p < input.length; p += STEP) inflater.push(input.subarray(p, p + STEP), p + STEP >= input.length);
    } catch (error) {
      if (error instanceof DataFormatError) throw error;
      fail(`damaged deflate data (${error instanceof Error ? error.message : String(error)})`);
    }
  } else {
    fail(`compression method ${entry.method} is not supported`);
  }
  if (total !== entry.size) fail(`inflates to ${total} bytes, not the declared ${entry.size}`);
  if (crc !== entry.crc32) fail('CRC-32 mismatch (damaged entry)');
}
