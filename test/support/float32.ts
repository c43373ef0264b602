import { expect } from 'vitest';

/** Distance in float32 units in the last place between two float32 values. */
export function ulpDistance(a: number, b: number): number {
  const fa = Math.fround(a);
  const fb = Math.fround(b);
  if (fa === fb) return 0;
  if (Number.isNaN(fa) || Number.isNaN(fb)) return Infinity;
  const buf = new Float32Array([fa, fb]);
  const ints = new Int32Array(buf.buffer);
  const ordered = (i: number) => (i < 0 ? -2147483648 - i : i);
  return Math.abs(ordered(ints[0]) - ordered(ints[1]));
}

/** Every value equal to the expected float32, bit for bit (so -0 and 0 are both fine but nothing else). */
export function expectBitExact(got: ArrayLike<number>, expected: readonly number[], label: string): void {
  expect(got.length, `${label}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (Math.fround(expected[i]) !== got[i] && !(Number.isNaN(expected[i]) && Number.isNaN(got[i]))) bad.push(`[${i}] got ${got[i]} expected ${Math.fround(expected[i])}`);
  }
  expect(bad.slice(0, 5), `${label}: ${bad.length} values differ`).toEqual([]);
}

export function expectWithinUlps(got: ArrayLike<number>, expected: readonly number[], ulps: number, label: string): void {
  expect(got.length, `${label}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(got[i], expected[i]);
    if (d > worst) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `${label}: worst at [${at}] got ${got[at]} expected ${expected[at]}`).toBeLessThanOrEqual(ulps);
}
