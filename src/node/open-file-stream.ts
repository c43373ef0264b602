import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Opens a file (or a pipe or device such as `/dev/stdin`) as a byte stream read in 64 KiB
 * chunks. Opening first, rather than letting `createReadStream` open lazily, makes a missing
 * or forbidden path, or a directory, reject here, where the caller awaits, instead of as a
 * stream event.
 *
 * @example
 * const table = await readCsvStream(await openFileStream('rows.csv'));
 */
export async function openFileStream(path: string): Promise<Readable> {
  const handle = await open(path, 'r');
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    // Reading would fail later with a path-less EISDIR; fail now, shaped as Node's own error.
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR', errno: -21, syscall: 'read', path });
  }
  return handle.createReadStream({ highWaterMark: 64 * 1024 });
}
