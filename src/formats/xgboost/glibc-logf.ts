// XGBoost turns base_score into a margin with C's single-precision `logf`, and the
// result is added to every prediction, so a 1-ulp difference there moves every
// margin. `Math.fround(Math.log(x))` is correctly rounded, but glibc's logf (the
// reference: Linux XGBoost builds) is not always: they differ on ~0.1% of inputs.
// This reproduces glibc's algorithm (table lookup + degree-4 polynomial evaluated
// in double, rounded once to float), including the fused multiply-adds that x86-64
// glibc selects on CPUs with FMA, so the margin matches to the bit.

const INV_C = [
  1.398907162146528, 1.3403141896637998, 1.286432210124115, 1.2367150214269895,
  1.1906977166711752, 1.1479821020556429, 1.1082251448272158, 1.0711297413057381,
  1.036437278977283, 1.0, 0.9492859795739057, 0.8951049428609004,
  0.8476821620351103, 0.8050314851692001, 0.7664671008843108, 0.731428603316328,
];
const LOG_C = [
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369, -0.21245868807117255,
  -0.17453945183745634, -0.1380057072319758, -0.10275976698545139, -0.06871392447020525,
  -0.0357891387398228, 0, 0.05204517742929496, 0.11081431298787942,
  0.1652495223695143, 0.21687389031699977, 0.2659635028121397, 0.3127556664073557,
];
const LN2 = 0.6931471805599453;
const A0 = -0.25089342214237154;
const A1 = 0.333456765744066;
const A2 = -0.4999997485802103;
const OFF = 0x3f330000;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const SPLIT = 134217729; // 2^27 + 1, Veltkamp splitting constant

/** a*b + c with a single rounding (exact product via Dekker, error-compensated sum). */
function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const as = SPLIT * a;
  const ah = as - (as - a);
  const al = a - ah;
  const bs = SPLIT * b;
  const bh = bs - (bs - b);
  const bl = b - bh;
  const pErr = al * bl - (((p - ah * bh) - al * bh) - ah * bl);
  const s = p + c;
  const bb = s - p;
  const sErr = (p - (s - bb)) + (c - bb);
  return s + (sErr + pErr);
}

/**
 * Single-precision natural log exactly as glibc ≥ 2.28 computes `logf` on x86-64 with FMA.
 *
 * @example
 * glibcLogf(2) // => 0.6931471824645996 (the float32 nearest ln 2)
 */
export function glibcLogf(x: number): number {
  f32[0] = x;
  let ix = u32[0];
  if (ix === 0x3f800000) return 0;
  if (ix - 0x00800000 >>> 0 >= 0x7f800000 - 0x00800000) {
    if ((ix & 0x7fffffff) === 0) return -Infinity;
    if (ix === 0x7f800000) return Infinity;
    if (ix & 0x80000000 || (ix & 0x7fffffff) >= 0x7f800000) return NaN;
    f32[0] = Math.fround(f32[0] * 8388608);
    ix = (u32[0] - (23 << 23)) >>> 0;
  }
  const tmp = (ix - OFF) >>> 0;
  const i = (tmp >>> (23 - 4)) % 16;
  const k = (tmp | 0) >> 23;
  u32[0] = (ix - (tmp & (0x1ff << 23))) >>> 0;
  const z = f32[0];
  const r = fma(z, INV_C[i], -1);
  const y0 = LOG_C[i] + k * LN2;
  const r2 = r * r;
  let y = fma(A1, r, A2);
  y = fma(A0, r2, y);
  y = fma(y, r2, y0 + r);
  return Math.fround(y);
}
