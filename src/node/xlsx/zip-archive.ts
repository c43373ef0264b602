import { DataFormatError } from '../../errors.js';

/** One file of a zip archive, as its central directory describes it. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  /** Declared uncompressed size: a claim to check while inflating, never to allocate by. */
  readonly size: number;
  readonly localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const utf8 = new TextDecoder('utf-8');

/**
 * The central directory of a zip archive held in memory. Part names are looked up
 * case-insensitively, as Open Packaging Conventions part names compare. `data` hands out an
 * entry's compressed bytes only when they lie before the central directory and overlap no
 * entry handed out before, which defeats overlapping-entry zip bombs (many entries sharing
 * one compressed stream).
 *
 * @example
 * const zip = new ZipArchive(await readFile('book.xlsx'));
 * zip.entry('xl/workbook.xml')?.size
 */
export class ZipArchive {
  readonly bytes: Uint8Array;
  private readonly entries = new Map<string, ZipEntry>();
  private readonly centralOffset: number;
  private readonly used: [number, number][] = [];

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const end = findEndRecord(bytes, view);
    if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) fail('multi-disk archives are not supported');
    const count = view.getUint16(end + 10, true);
    const size = view.getUint32(end + 12, true);
    const offset = view.getUint32(end + 16, true);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) fail('ZIP64 archives are not supported');
    if (offset + size > end) fail('central directory outside the file');
    // Each record is at least 46 bytes: a count the directory cannot hold is refused before looping.
    if (count * 46 > size) fail(`central directory of ${size} bytes cannot hold ${count} entries`);
    this.centralOffset = offset;
    let p = offset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > offset + size || view.getUint32(p, true) !== CENTRAL) fail(`central directory entry ${i} is damaged`);
      const nameLength = view.getUint16(p + 28, true);
      const next = p + 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
      if (next > offset + size) fail(`central directory entry ${i} is damaged`);
      const entry: ZipEntry = {
        name: utf8.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
        flags: view.getUint16(p + 8, true),
        method: view.getUint16(p + 10, true),
        crc32: view.getUint32(p + 16, true),
        compressedSize: view.getUint32(p + 20, true),
        size: view.getUint32(p + 24, true),
        localOffset: view.getUint32(p + 42, true),
      };
      const key = entry.name.toLowerCase();
      if (this.entries.has(key)) fail(`duplicate entry ${JSON.stringify(entry.name)}`);
      this.entries.set(key, entry);
      p = next;
    }
  }

  /** The entry named `name` (case-insensitive), if any. */
  entry(name: string): ZipEntry | undefined {
    return this.entries.get(name.toLowerCase());
  }

  /** The compressed bytes of `entry`, checked to lie before the directory and overlap nothing handed out before. */
  data(entry: ZipEntry): Uint8Array {
    const { bytes } = this;
    const at = entry.localOffset;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (at + 30 > this.centralOffset || view.getUint32(at, true) !== LOCAL) fail(`${entry.name}: local header missing`);
    if (entry.flags & 1) fail(`${entry.name}: encrypted entries are not supported`);
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.centralOffset) fail(`${entry.name}: data runs past the central directory`);
    for (const [s, e] of this.used) if (at < e && s < end) fail(`${entry.name}: overlaps another entry`);
    this.used.push([at, end]);
    return bytes.subarray(start, end);
  }
}

function findEndRecord(bytes: Uint8Array, view: DataView): number {
  // The end record is 22 bytes plus a comment of up to 65,535 bytes, so it is near the end.
  const last = bytes.length - 22;
  for (let p = last; p >= 0 && p >= last - 0xffff; p--) {
    if (bytes[p] === 0x50 && view.getUint32(p, true) === EOCD && p + 22 + view.getUint16(p + 20, true) <= bytes.length) return p;
  }
  return fail('not a zip archive (no end of central directory)');
}

function fail(detail: string): never {
  throw new DataFormatError('zip', detail);
}
