const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The smallest float32 strictly greater than float32 `x` (Infinity stays Infinity).
 *
 * @example
 * nextFloat32Up(1) // => 1.0000001192092896
 */
export function nextFloat32Up(x: number): number {
  f32[0] = x;
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return 1.401298464324817e-45;
  if (f32[0] > 0) u32[0] += 1;
  else u32[0] -= 1;
  return f32[0];
}

/**
 * The largest float32 not greater than `x`.
 *
 * @example
 * float32AtMost(0.1) // => 0.09999999403953552
 */
export function float32AtMost(x: number): number {
  const r = Math.fround(x);
  if (r <= x || Number.isNaN(x)) return r;
  f32[0] = r;
  if (r > 0) u32[0] -= 1;
  else if (r === 0) return -1.401298464324817e-45;
  else u32[0] += 1;
  return f32[0];
}
