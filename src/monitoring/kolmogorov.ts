import { logGamma } from '../customers/special-functions.js';

const TWO_128 = 2 ** 128;
const PI2 = Math.PI ** 2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * P(D⁺ₙ ≥ x), the one-sided one-sample Kolmogorov–Smirnov tail (scipy's `smirnov`), by the
 * Birnbaum–Tingey sum. Every term is positive, so summing them in logs keeps the digits.
 *
 * @example
 * smirnovSf(1, 0.3) // ≈ 0.7
 */
export function smirnovSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const last = Math.floor(n * (1 - x));
  const logX = Math.log(x);
  const logGammaN1 = logGamma(n + 1);
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    // 1 − x − j/n written as ((n − j) − n·x)/n: the subtraction of nearly equal terms happens
    // on exact integers first.
    const rest = (n - j - n * x) / n;
    if (rest <= 0) continue;
    const logTerm =
      logGammaN1 - logGamma(j + 1) - logGamma(n - j + 1) +
      (j === 0 ? 0 : (j - 1) * Math.log(x + j / n) + logX) +
      (n - j) * Math.log(rest);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, Math.max(0, sum));
}

/** Durbin's matrix method as Marsaglia, Tsang & Wang evaluate it: P(Dₙ ≤ d). */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * factorial;
  let H: Float64Array[] = Array.from({ length: m }, () => new Float64Array(m));
  for (let col = 1; col < m; col++) for (let row = col - 1; row < m; row++) H[row][col] = w[row - col + 1];
  for (let row = 0; row < m; row++) H[row][0] = v[row];
  for (let col = 0; col < m; col++) H[m - 1][col] = v[m - 1 - col];
  let power: Float64Array[] = Array.from({ length: m }, (_, i) => {
    const r = new Float64Array(m);
    r[i] = 1;
    return r;
  });
  let exponent = 0;
  let hExponent = 0;
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2) {
      power = multiply(power, H);
      exponent += hExponent;
    }
    H = multiply(H, H);
    hExponent *= 2;
    // Rescaling by 2^128 keeps the squares finite; the exponent is restored at the end.
    if (Math.abs(H[k - 1][k - 1]) > TWO_128) {
      for (const r of H) for (let c = 0; c < m; c++) r[c] /= TWO_128;
      hExponent += 128;
    }
  }
  let p = power[k - 1][k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < 1 / TWO_128) {
      p *= TWO_128;
      exponent -= 128;
    }
  }
  return p * 2 ** exponent;
}

function multiply(a: Float64Array[], b: Float64Array[]): Float64Array[] {
  const m = a.length;
  const out = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    const ai = a[i];
    const oi = out[i];
    for (let l = 0; l < m; l++) {
      const x = ai[l];
      if (x === 0) continue;
      const bl = b[l];
      for (let j = 0; j < m; j++) oi[j] += x * bl[j];
    }
  }
  return out;
}

/** Pelz & Good's small-x expansion of P(Dₙ ≤ x) (scipy uses it for large n, small x). */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * PI2) / 4, k2c = (PI2 * PI2 * (1 - 2 * z2)) / 16;
  const k3d = (PI2 ** 3 * (5 - 30 * z2)) / 64;
  const k3c = (PI2 * PI2 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Horner in q^(8k) over odd m = 2k − 1, largest k first.
  for (let k = maxk; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const qk = q ** (8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m2 * m2, k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 ** 3];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qk + c[i];
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT_2PI) / divisors[i];
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k >= 1; k--) {
    const qk = q ** (k * k);
    k2extra += k * k * qk;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k * k * qk;
  }
  K[2] += (k2extra * PI2 * SQRT_2PI) / (-36 * z3);
  K[3] += (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

/**
 * P(Dₙ ≥ x) for the two-sided one-sample Kolmogorov–Smirnov statistic (scipy's
 * `kstwo.sf(x, n)`), choosing the method by n and n·x² as Simard & L'Ecuyer (2011) do:
 * exact edges, twice the one-sided tail, Durbin's matrix, or Pelz–Good. Where scipy uses
 * Pomeranz's recursion (n ≤ 140, n·x² ≤ 4) this uses Durbin's matrix: both are exact.
 *
 * @example
 * kolmogorovSf(10, 0.99) // ≈ 2 * 0.01 ** 10
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf = Math.exp(logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return clip(1 - durbinCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  if (nx2 >= 18) return 0;
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}
