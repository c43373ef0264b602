import type { ClassLabel } from '../../forest/index.js';

/** What `forest train` records in the model file about the rows it learnt from. */
export interface TrainingRecord {
  /** Rows trained on. */
  rows: number;
  /** The held-out fraction and seed when `--test-size` was given. */
  test_size?: number;
  seed: number;
  /** A 32-bit FNV-1a hash per training row (features as float32 bits, then the label), sorted, base64. */
  row_hashes: string;
}

/**
 * One 32-bit FNV-1a hash per row of a row-major float32 matrix and its labels: enough to
 * tell, later, whether rows being evaluated were trained on, without storing the data.
 *
 * @example
 * rowHashes({ data: Float32Array.of(1, 2), numRows: 1, numFeatures: 2 }, [0]) // => Uint32Array [ <hash> ]
 */
export function rowHashes(x: { data: Float32Array; numRows: number; numFeatures: number }, labels: readonly ClassLabel[]): Uint32Array {
  const bits = new Uint32Array(x.data.buffer, x.data.byteOffset, x.data.length);
  const out = new Uint32Array(x.numRows);
  for (let r = 0; r < x.numRows; r++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < x.numFeatures; j++) h = Math.imul(h ^ bits[r * x.numFeatures + j], 0x01000193);
    const label = String(labels[r]);
    for (let k = 0; k < label.length; k++) h = Math.imul(h ^ label.charCodeAt(k), 0x01000193);
    out[r] = h >>> 0;
  }
  return out;
}

/**
 * Packs row hashes for the model file (sorted, so lookups can binary-search).
 *
 * @example
 * decodeRowHashes(encodeRowHashes(Uint32Array.of(3, 1))) // => Uint32Array [1, 3]
 */
export function encodeRowHashes(hashes: Uint32Array): string {
  const sorted = Uint32Array.from(hashes).sort();
  return Buffer.from(sorted.buffer, sorted.byteOffset, sorted.byteLength).toString('base64');
}

/**
 * Unpacks {@link encodeRowHashes}; `undefined` for anything that is not such a string.
 *
 * @example
 * decodeRowHashes('AQAAAA==') // => Uint32Array [1]
 */
export function decodeRowHashes(text: unknown): Uint32Array | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

/**
 * How many of `hashes` occur in the sorted `trained` set.
 *
 * @example
 * countTrained(Uint32Array.of(1, 5), Uint32Array.of(1, 2, 3)) // => 1
 */
export function countTrained(hashes: Uint32Array, trained: Uint32Array): number {
  let n = 0;
  for (const h of hashes) {
    let lo = 0;
    let hi = trained.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (trained[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    if (lo < trained.length && trained[lo] === h) n++;
  }
  return n;
}
