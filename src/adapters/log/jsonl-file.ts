import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What {@link repairJsonlTail} did to a file whose last write was cut short. */
export interface TailRepair {
  /** Bytes of an incomplete last line that were cut off (0 when none). */
  droppedBytes: number;
  /** True when the last line was a complete record missing only its newline, which was added. */
  completedLine: boolean;
}

const CHUNK = 64 * 1024;

/**
 * The longest line a JSON Lines reader takes in, in bytes (16 MiB, MongoDB's document
 * limit): a longer line is skipped as bad without being held in memory, so a huge or
 * unterminated line can never exhaust memory or a string's maximum length.
 *
 * @example
 * await forEachJsonLine(path, onValue, { maxLineBytes: MAX_JSONL_LINE_BYTES })
 */
export const MAX_JSONL_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Makes a JSON Lines file end at a record boundary. A process killed mid-write can
 * leave a partial last line; that line is cut off (or, if it is a whole JSON value
 * missing just its `\n`, the newline is added), so the next append starts clean.
 * Missing files are fine. Call it only when no other process may be writing the file
 * (see `registerLogWriter`): a live writer's line in progress looks torn too.
 *
 * @example
 * await repairJsonlTail('predictions.jsonl') // => { droppedBytes: 37, completedLine: false }
 */
export async function repairJsonlTail(path: string, { maxLineBytes = MAX_JSONL_LINE_BYTES }: { maxLineBytes?: number } = {}): Promise<TailRepair> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { droppedBytes: 0, completedLine: false };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { droppedBytes: 0, completedLine: false };
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return { droppedBytes: 0, completedLine: false };
    let lineStart = 0;
    const buffer = Buffer.alloc(CHUNK);
    for (let end = size; end > 0; end -= CHUNK) {
      const start = Math.max(0, end - CHUNK);
      await handle.read(buffer, 0, end - start, start);
      const at = buffer.subarray(0, end - start).lastIndexOf(0x0a);
      if (at !== -1) {
        lineStart = start + at + 1;
        break;
      }
    }
    const fragmentBytes = size - lineStart;
    const fragment = fragmentBytes > maxLineBytes ? null : Buffer.alloc(fragmentBytes);
    if (fragment) await handle.read(fragment, 0, fragment.length, lineStart);
    if (fragment && isJsonObject(fragment.toString('utf8'))) {
      await handle.write('\n', size);
      await handle.datasync();
      return { droppedBytes: 0, completedLine: true };
    }
    await handle.truncate(lineStart);
    await handle.datasync();
    return { droppedBytes: size - lineStart, completedLine: false };
  } finally {
    await handle.close();
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** What {@link forEachJsonLine} saw. */
export interface JsonLineCounts {
  /** Non-empty lines. */
  lines: number;
  /** Lines that are not JSON (a torn last line, foreign text), longer lines included. */
  badLines: number;
  /** Lines over `maxLineBytes`, skipped unread. */
  longLines: number;
}

/**
 * Calls `onValue` for each line of a JSON Lines file that parses, in file order, and
 * counts the lines that do not (a torn last line, or foreign text). Lines longer than
 * `maxLineBytes` (default {@link MAX_JSONL_LINE_BYTES}) are skipped as they stream by,
 * so memory stays bounded whatever the file holds. A missing file has no lines.
 *
 * @example
 * const { badLines } = await forEachJsonLine('predictions.jsonl', (value) => seen.push(value));
 */
export async function forEachJsonLine(
  path: string,
  onValue: (value: unknown) => void,
  { maxLineBytes = MAX_JSONL_LINE_BYTES }: { maxLineBytes?: number } = {},
): Promise<JsonLineCounts> {
  const counts: JsonLineCounts = { lines: 0, badLines: 0, longLines: 0 };
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  const endLine = (): void => {
    if (tooLong) {
      counts.lines++;
      counts.badLines++;
      counts.longLines++;
    } else if (partBytes > 0) {
      const text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8').replace(/\r$/, '');
      if (text.length > 0) {
        counts.lines++;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          counts.badLines++;
          value = undefined;
        }
        if (value !== undefined) onValue(value);
      }
    }
    parts = [];
    partBytes = 0;
    tooLong = false;
  };
  const take = (piece: Buffer): void => {
    if (tooLong || piece.length === 0) return;
    if (partBytes + piece.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      partBytes = 0;
      return;
    }
    // A copy, so one retained line never pins a whole 64 KiB read buffer.
    parts.push(Buffer.from(piece));
    partBytes += piece.length;
  };
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, start)) {
        take(chunk.subarray(start, at));
        endLine();
        start = at + 1;
      }
      take(chunk.subarray(start));
    }
    endLine();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, badLines: 0, longLines: 0 };
    throw error;
  } finally {
    stream.destroy();
  }
  return counts;
}

/**
 * An append-only JSON Lines file. Each `append` is one `write` of whole lines at the end
 * of the file (O_APPEND), followed by `fdatasync` when `sync` is on, so a crash leaves at
 * most one torn last line for {@link repairJsonlTail}. When the file does not end with a
 * newline (another writer's torn line that could not be repaired yet), the write starts
 * with one, so a record never merges with a fragment; readers skip the empty line.
 *
 * @example
 * const file = await JsonlAppender.open('outbox.jsonl');
 * await file.append([JSON.stringify(a), JSON.stringify(b)]);
 */
export class JsonlAppender {
  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private readonly sync: boolean,
  ) {}

  /** Creates the parent folder and the file when missing; does not repair (call {@link repairJsonlTail} first). */
  static async open(path: string, { sync = true }: { sync?: boolean } = {}): Promise<JsonlAppender> {
    await mkdir(dirname(path), { recursive: true });
    return new JsonlAppender(path, await open(path, 'a+'), sync);
  }

  /** Appends lines (each without its `\n`) as one write. */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const lead = (await this.endsMidLine()) ? '\n' : '';
    const bytes = Buffer.from(lead + lines.join('\n') + '\n', 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    if (this.sync) await this.handle.datasync();
  }

  private async endsMidLine(): Promise<boolean> {
    const { size } = await this.handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await this.handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  }

  /** Empties the file (used once every record in it has been delivered). */
  async clear(): Promise<void> {
    await this.handle.truncate(0);
    if (this.sync) await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
