import { concat } from '../../fuzz/mutate.js';
import { seededRandom } from '../../src/forest/random.js';

/** A seeded uniform generator, so every fuzz case can be replayed from its seed. */
export function rng(seed: number): () => number {
  const r = seededRandom(seed);
  return () => r.nextDouble();
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x28, 0x2e, 0x4e, 0x5d, 0x71, 0x93, 0x95, 0x62, 0x52];

/**
 * One to four mutations of `input`: byte flips, interesting bytes, 32-bit length overwrites,
 * insertions, deletions, chunk duplication and truncation.
 */
export function mutate(input: Uint8Array, random: () => number): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  const n = 1 + Math.floor(random() * 4);
  for (let m = 0; m < n; m++) {
    const at = Math.floor(random() * Math.max(b.length, 1));
    switch (Math.floor(random() * 7)) {
      case 0: if (b.length) b[at] ^= 1 << Math.floor(random() * 8); break;
      case 1: if (b.length) b[at] = INTERESTING[Math.floor(random() * INTERESTING.length)]; break;
      case 2: if (b.length >= at + 4) new DataView(b.buffer).setUint32(at, [0xffffffff, 0x7fffffff, 0x80000000, 0x10000, 0][Math.floor(random() * 5)], true); break;
      case 3: { const ins = Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)); b = concat(b.subarray(0, at), ins, b.subarray(at)); break; }
      case 4: b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + Math.floor(random() * 16)))); break;
      case 5: { const len = Math.floor(random() * 64); b = concat(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)); break; }
      default: b = b.subarray(0, at);
    }
  }
  return b;
}
