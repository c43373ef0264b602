/**
 * A small seeded generator (SplitMix32 state, Mulberry32 output). A fuzz case is fully
 * determined by (target, seed, case index), so any failure replays from the three numbers.
 *
 * @example
 * const rng = caseRandom(7, 42);
 * rng.int(10); // the same number on every machine
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * The generator for one case: mixes the run's seed with the case index.
 *
 * @example
 * caseRandom(1, 0).next() === caseRandom(1, 0).next() // => true
 */
export function caseRandom(seed: number, caseIndex: number): Random {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(caseIndex | 0, 0x85ebca6b) ^ 0x27d4eb2f) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}
