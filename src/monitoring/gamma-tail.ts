import { logGamma } from '../customers/special-functions.js';

/**
 * The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) for a > 0,
 * x ≥ 0 (scipy's `gammaincc`). The power series gives P = 1 − Q below x = a + 1 and a
 * Lentz continued fraction gives Q above it, so the small side is never found by
 * subtracting from 1.
 *
 * @example
 * regularizedGammaQ(1, 2) // ≈ Math.exp(-2)
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // P(a, x) = x^a e^-x / Γ(a + 1) · Σ x^n / ((a + 1)…(a + n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 100_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - Math.exp(logPrefix) * sum;
  }
  // Q(a, x) = x^a e^-x / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − …)), modified Lentz.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}

/**
 * The chi-squared survival function P(X ≥ x) with `df` degrees of freedom (scipy's
 * `chi2.sf`); an infinite statistic has p = 0.
 *
 * @example
 * chiSquaredSf(3.84145882, 1) // ≈ 0.05
 */
export function chiSquaredSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/**
 * The two-sided standard normal tail 2·P(Z ≥ |z|) (scipy's `2 * norm.sf(abs(z))`), computed
 * as the chi-squared tail of z² with one degree of freedom so far tails keep their digits.
 *
 * @example
 * normalTwoSidedP(1.959963984540054) // ≈ 0.05
 */
export function normalTwoSidedP(z: number): number {
  return chiSquaredSf(z * z, 1);
}
