import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/** What {@link repairJsonlTail} did to a file whose last write was cut short. */
export interface TailRepair {
  /** Bytes of an incomplete last line that were cut off (0 when none). */
  droppedBytes: number;
  /** True when the last line was a complete record missing only its newline, which was added. */
  completedLine: boolean;
}

const CHUNK = 64 * 1024;

/**
 * Makes a JSON Lines file end at a record boundary. A process killed mid-write can
 * leave a partial last line; that line is cut off (or, if it is a whole JSON value
 * missing just its `\n`, the newline is added), so the next append starts clean.
 * Missing files are fine.
 *
 * @example
 * await repairJsonlTail('predictions.jsonl') // => { droppedBytes: 37, completedLine: false }
 */
export async function repairJsonlTail(path: string): Promise<TailRepair> {
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
    const fragment = Buffer.alloc(size - lineStart);
    await handle.read(fragment, 0, fragment.length, lineStart);
    if (isJsonObject(fragment.toString('utf8'))) {
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

/**
 * Calls `onValue` for each line of a JSON Lines file that parses, in file order, and
 * counts the lines that do not (a torn last line, or foreign text). A missing file has no lines.
 *
 * @example
 * const { badLines } = await forEachJsonLine('predictions.jsonl', (value) => seen.push(value));
 */
export async function forEachJsonLine(
  path: string,
  onValue: (value: unknown) => void,
): Promise<{ lines: number; badLines: number }> {
  let lines = 0;
  let badLines = 0;
  const stream = createReadStream(path, { encoding: 'utf8' });
  try {
    const reader = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of reader) {
      if (line.length === 0) continue;
      lines++;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        badLines++;
        continue;
      }
      onValue(value);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0, badLines: 0 };
    throw error;
  } finally {
    stream.destroy();
  }
  return { lines, badLines };
}

/**
 * An append-only JSON Lines file opened for one writer. Each `append` is one `write`
 * of whole lines at the end of the file (O_APPEND), followed by `fdatasync` when
 * `sync` is on, so a crash leaves at most one torn last line for {@link repairJsonlTail}.
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
    return new JsonlAppender(path, await open(path, 'a'), sync);
  }

  /** Appends lines (each without its `\n`) as one write. */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    if (this.sync) await this.handle.datasync();
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
