import { InputError } from '../errors.js';
import { kolmogorovSf } from './kolmogorov.js';

/** A two-sample test result: the statistic and its p-value. */
export interface TestResult {
  statistic: number;
  pValue: number;
}

/** scipy switches `method='auto'` to the asymptotic distribution above this sample size. */
const MAX_EXACT_N = 10_000;

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as scipy 1.10's
 * `ks_2samp(a, b, method='auto')`: exact p-values while both samples have at most 10,000
 * values (and the exact sum stays finite), otherwise `kstwo.sf(D, round(mn/(m+n)))`.
 * The statistic is D rounded to the lattice h/lcm(m, n) on the exact path, as scipy does.
 * Inputs must be finite numbers; they are not modified.
 *
 * @example
 * ksTwoSample([1, 2, 3, 4], [5, 6, 7, 8]) // => { statistic: 1, pValue: 0.028571428571428577 } (as scipy)
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new InputError('the Kolmogorov–Smirnov test needs values on both sides');
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  for (const v of [x[0], x[n1 - 1], y[0], y[n2 - 1]]) {
    if (!Number.isFinite(v)) throw new InputError('the Kolmogorov–Smirnov test needs finite numbers');
  }
  // Walk both sorted samples together; the ECDF gap is only read after a run of ties.
  let i = 0;
  let j = 0;
  let maxPlus = 0;
  let maxMinus = 0;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxPlus) maxPlus = diff;
    if (-diff > maxMinus) maxMinus = -diff;
  }
  let d = Math.min(1, maxMinus > maxPlus ? maxMinus : maxPlus);
  const g = gcd(n1, n2);
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    const exact = exactTwoSided(n1, n2, g, h);
    if (exact !== undefined) return { statistic: h / lcm, pValue: exact };
    d = h / lcm;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: Math.min(1, Math.max(0, kolmogorovSf(roundHalfEven(en), d))) };
}

/** P(D ≥ h/lcm) exactly, or undefined when the computation leaves [0, 1] (scipy then goes asymptotic). */
function exactTwoSided(n1: number, n2: number, g: number, h: number): number | undefined {
  if (h === 0) return 1;
  const p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : undefined;
}

/**
 * Equal sizes: P(D_{n,n} ≥ h/n) = 2 Σ (−1)^(k+1) C(2n, n − kh) / C(2n, n), evaluated
 * Horner-style from the innermost term so the alternating sum never cancels.
 */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Unequal sizes: the share of lattice paths from (0, 0) to (m, n) that touch |x/m − y/n| ≥ h/lcm,
 * carried as a probability column by column (Hodges' inside method in Viehmann's 1 − p
 * form) so it neither overflows nor loses the small tail to a final subtraction.
 */
function outsideBand(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    const shift = minj - lastminj;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + shift] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    for (let r = curlen; r < Math.min(lastlen, A.length); r++) A[r] = 1;
  }
  return A[maxj - minj - 1];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's `np.round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
