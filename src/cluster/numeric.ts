// Floating-point kernels that reproduce the exact operation order of NumPy / OpenBLAS,
// so results agree with scikit-learn bit for bit where that matters (ties in assignment).

/**
 * NumPy's pairwise summation (`np.sum` of a contiguous float64 vector), bit for bit.
 *
 * @example
 * pairwiseSum(new Float64Array([1e16, 1, -1e16])) // => 0, like np.sum
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * The largest value of a non-negative array (0 when empty).
 *
 * @example
 * largestValue(new Float64Array([2, 9, 4])) // => 9
 */
export function largestValue(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

/**
 * The blocks {@link pairwiseSum} adds directly for `n` values, as boundaries
 * `[0, e1, e2, …, n]`: block b is `b[i] .. b[i+1])`, at most 128 values.
 *
 * @example
 * pairwiseBlocks(300) // => Int32Array [0, 72, 144, 216, 300]
 */
export function pairwiseBlocks(n: number): Int32Array {
  const ends: number[] = [0];
  const walk = (start: number, m: number): void => {
    if (m <= 128) {
      ends.push(start + m);
      return;
    }
    let m2 = Math.floor(m / 2);
    m2 -= m2 % 8;
    walk(start, m2);
    walk(start + m2, m - m2);
  };
  walk(0, n);
  return Int32Array.from(ends);
}

/**
 * {@link pairwiseSum} of `n` values from the sums of its {@link pairwiseBlocks} (each the
 * pairwiseSum of its block), combined in the same tree, bit for bit. Lets a caller sum each
 * block while its values are still in cache.
 *
 * @example
 * const a = Float64Array.from({ length: 300 }, (_, i) => i / 7);
 * const b = pairwiseBlocks(300);
 * const sums = Float64Array.from({ length: b.length - 1 }, (_, i) => pairwiseSum(a, b[i], b[i + 1] - b[i]));
 * combineBlockSums(sums, 300) === pairwiseSum(a) // => true
 */
export function combineBlockSums(blockSums: Float64Array, n: number): number {
  let next = 0;
  const walk = (m: number): number => {
    if (m <= 128) return blockSums[next++];
    let m2 = Math.floor(m / 2);
    m2 -= m2 % 8;
    const left = walk(m2);
    return left + walk(m - m2);
  };
  return walk(n);
}

/**
 * Squared norm of `v[offset .. offset+n)` in the order of NumPy 1.24's baseline (SSE2)
 * `einsum('ij,ij->i')`, which scikit-learn's `row_norms` uses: two lanes, blocks of eight
 * multiplied into the accumulator from the back, then the two lanes added.
 *
 * @example
 * rowNormSquared(new Float64Array([3, 4]), 0, 2) // => 25
 */
export function rowNormSquared(v: ArrayLike<number>, offset: number, n: number): number {
  let l0 = 0, l1 = 0;
  let i = 0;
  for (; n - i >= 8; i += 8) {
    const p = offset + i;
    l0 = v[p] * v[p] + (v[p + 2] * v[p + 2] + (v[p + 4] * v[p + 4] + (v[p + 6] * v[p + 6] + l0)));
    l1 = v[p + 1] * v[p + 1] + (v[p + 3] * v[p + 3] + (v[p + 5] * v[p + 5] + (v[p + 7] * v[p + 7] + l1)));
  }
  for (; i < n; i += 2) {
    const p = offset + i;
    l0 = v[p] * v[p] + l0;
    if (i + 1 < n) l1 = v[p + 1] * v[p + 1] + l1;
    else l1 = 0 * 0 + l1;
  }
  return l0 + l1;
}

const view = new DataView(new ArrayBuffer(8));

/** x = m · 2^e exactly, with m a BigInt. */
function decompose(x: number): [bigint, number] {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return [sign * mant, exp];
}

function bitLength(m: bigint): number {
  return m === 0n ? 0 : m.toString(2).length;
}

/**
 * `a·b + c` with a single rounding (IEEE fused multiply-add), computed exactly with BigInt.
 * Slow; used only to settle near-ties the way an FMA-based BLAS does.
 *
 * @example
 * fma(0.1, 10, -1) // => 5.551115123125783e-17 (a plain 0.1 * 10 - 1 gives 0)
 */
export function fma(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) return a * b + c;
  if (a === 0 || b === 0) return a * b + c;
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  let m = ((ma * mb) << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (m === 0n) return a * b + c;
  let exp = e;
  const bits = bitLength(m < 0n ? -m : m);
  if (bits > 64) {
    // Keep 62 bits plus a sticky bit: still rounds exactly like the full value.
    const shift = bits - 62;
    const neg = m < 0n;
    const abs = neg ? -m : m;
    let kept = abs >> BigInt(shift);
    if ((kept << BigInt(shift)) !== abs) kept |= 1n;
    m = neg ? -kept : kept;
    exp += shift;
  }
  // Number(bigint) rounds to nearest, ties to even; the power-of-two scaling is exact
  // for the normal range this is used in.
  let result = Number(m);
  while (exp > 0) {
    const step = Math.min(exp, 1000);
    result *= 2 ** step;
    exp -= step;
  }
  while (exp < 0) {
    const step = Math.max(exp, -1000);
    result *= 2 ** step;
    exp -= step;
  }
  return result;
}

/**
 * Dot product accumulated as OpenBLAS's dgemm kernels do: one fused multiply-add per
 * feature, in feature order, starting from zero.
 *
 * @example
 * fmaDot(new Float64Array([1, 2]), 0, new Float64Array([3, 4]), 0, 2) // => 11
 */
export function fmaDot(x: ArrayLike<number>, xo: number, c: ArrayLike<number>, co: number, n: number): number {
  let acc = 0;
  for (let k = 0; k < n; k++) acc = fma(x[xo + k], c[co + k], acc);
  return acc;
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a double into two halves
const ulpView = new DataView(new ArrayBuffer(8));

/** The spacing of doubles at |z| (z finite, non-zero). */
function ulpOf(z: number): number {
  ulpView.setFloat64(0, Math.abs(z));
  const exponent = (ulpView.getUint16(0) >> 4) & 0x7ff;
  return exponent === 0 ? 5e-324 : 2 ** (exponent - 1075);
}

/**
 * {@link fma} without BigInt in the usual case: Dekker's exact product and a two-sum give
 * `a·b + c` as z + w + t2 exactly; z is the correctly rounded answer unless w sits within
 * |t2| of a rounding boundary, and only then is the exact (slow) {@link fma} asked. Equal
 * to `fma` for every input, about 100 times faster.
 *
 * @example
 * fastFma(0.1, 10, -1) === fma(0.1, 10, -1) // => true
 */
export function fastFma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c) || p === 0 || Math.abs(p) < 1e-280 || Math.abs(p) > 1e280) return fma(a, b, c);
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  const s = p + c;
  const v = s - p;
  const r = p - (s - v) + (c - v);
  const corr = r + e;
  const cv = corr - r;
  const t2 = r - (corr - cv) + (e - cv);
  const z = s + corr;
  if (t2 === 0 || z === 0) return t2 === 0 ? z : fma(a, b, c);
  const zv = z - s;
  const w = s - (z - zv) + (corr - zv);
  const half = ulpOf(z) / 2;
  // Far from the half-way point (with margin for ulp changes at powers of two): z stands.
  if (Math.abs(Math.abs(w) - half) > 2 * Math.abs(t2) && Math.abs(Math.abs(w) - half / 2) > 2 * Math.abs(t2)) return z;
  return fma(a, b, c);
}
