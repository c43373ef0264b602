import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Opens a file (or a pipe or device such as `/dev/stdin`) as a byte stream read in 64 KiB
 * chunks. Opening first, rather than letting `createReadStream` open lazily, makes a missing
 * or forbidden path reject here, where the caller awaits, instead of as a stream event.
 *
 * @example
 * const table = await readCsvStream(await openFileStream('rows.csv'));
 */
export async function openFileStream(path: string): Promise<Readable> {
  const handle = await open(path, 'r');
  return handle.createReadStream({ highWaterMark: 64 * 1024 });
}
