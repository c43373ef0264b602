/**
 * A small seeded generator (SplitMix32 seeding a xoshiro128**), so one seed gives the
 * same forest on every platform and in every JavaScript engine.
 */
export interface SeededRandom {
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform in [0, 1) with 53 random bits. */
  nextDouble(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
}

/**
 * Creates a {@link SeededRandom} from any finite number (the integer part is used).
 *
 * @example
 * const rng = seededRandom(42);
 * rng.nextInt(10); // the same digit on every machine
 */
export function seededRandom(seed: number): SeededRandom {
  let s = Math.trunc(seed) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const nextDouble = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  return {
    nextUint32,
    nextDouble,
    nextInt: (n: number) => Math.floor(nextDouble() * n),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
