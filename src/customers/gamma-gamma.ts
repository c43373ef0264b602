import { FitError, InputError } from '../errors.js';
import type { CustomerSummaryRow } from './bgnbd.js';
import { logGamma, nelderMead } from './special-functions.js';

/** Parameters beyond e^±13.8 (10^±6) mean the data pushed the optimum to the edge: not identifiable. */
const MAX_LOG_PARAM = 13.8;

/** Fitted Gamma-Gamma spend parameters (Fader, Hardie & Lee, "The Gamma-Gamma Model of Monetary Value"). */
export interface GammaGammaParams {
  p: number;
  q: number;
  /** The scale γ of the note, called v in `lifetimes`. */
  v: number;
  logLikelihood: number;
}

/**
 * One repeat customer's Gamma-Gamma log-likelihood of mean spend z̄ over x transactions:
 * ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln z̄ + px ln x − (px+q) ln(v + x z̄).
 *
 * @example
 * gammaGammaLogLikelihood({ p: 6.25, q: 3.74, v: 15.44 }, 2, 22.35)
 */
export function gammaGammaLogLikelihood(params: { p: number; q: number; v: number }, x: number, zbar: number): number {
  const { p, q, v } = params;
  const px = p * x;
  return (
    logGamma(px + q) - logGamma(px) - logGamma(q) + q * Math.log(v) + (px - 1) * Math.log(zbar) + px * Math.log(x) -
    (px + q) * Math.log(v + x * zbar)
  );
}

/**
 * Fits Gamma-Gamma by maximum likelihood on the repeat customers (frequency > 0) with a positive
 * `monetaryValue`. On the CDNOW sample this gives the published p = 6.25, q = 3.74, γ = 15.44.
 * Fewer than 2 usable customers, all spends equal, or an edge optimum is a {@link FitError}.
 *
 * @example
 * const { p, q, v } = fitGammaGamma(summary.filter((c) => c.frequency > 0));
 */
export function fitGammaGamma(rows: readonly CustomerSummaryRow[]): GammaGammaParams {
  const data: { x: number; z: number }[] = [];
  rows.forEach((row, i) => {
    if (row.frequency > 0) {
      const z = row.monetaryValue;
      if (z === undefined || !Number.isFinite(z)) throw new InputError(`row ${i}: monetaryValue must be a finite number`);
      if (!Number.isInteger(row.frequency)) throw new InputError(`row ${i}: frequency must be a whole number`);
      if (z > 0) data.push({ x: row.frequency, z });
    }
  });
  if (data.length < 2) throw new FitError('Gamma-Gamma needs at least 2 repeat customers with positive spend');
  if (data.every((d) => d.z === data[0].z)) throw new FitError('Gamma-Gamma cannot be fitted when every spend is the same');
  const negLL = (theta: number[]) => {
    // a box of e^±30 keeps a drifting simplex from overflowing; reaching it means no interior optimum
    if (theta.some((t) => Math.abs(t) > 30)) return Infinity;
    const params = { p: Math.exp(theta[0]), q: Math.exp(theta[1]), v: Math.exp(theta[2]) };
    let total = 0;
    for (const d of data) total += gammaGammaLogLikelihood(params, d.x, d.z);
    return -total;
  };
  const meanZ = data.reduce((s, d) => s + d.z, 0) / data.length;
  const { point, value } = nelderMead(negLL, [0, 0, Math.log(meanZ)], { step: 1, stopWhen: (t) => t.some((x) => Math.abs(x) > MAX_LOG_PARAM + 1) });
  const [p, q, v] = point.map(Math.exp);
  if (![p, q, v, value].every(Number.isFinite) || point.some((t) => Math.abs(t) > MAX_LOG_PARAM)) {
    throw new FitError('Gamma-Gamma fit did not reach a finite interior optimum (degenerate data)');
  }
  return { p, q, v, logLikelihood: -value };
}

/**
 * Expected mean spend per transaction given x repeat purchases with mean z̄:
 * p(v + x z̄)/(px + q − 1); for x = 0 it is the population mean pv/(q − 1) (needs q > 1).
 *
 * @example
 * expectedAverageSpend({ p: 6.25, q: 3.74, v: 15.44, logLikelihood: 0 }, 2, 22.35)
 */
export function expectedAverageSpend(params: GammaGammaParams, frequency: number, monetaryValue: number): number {
  const { p, q, v } = params;
  if (!Number.isFinite(monetaryValue) || !(frequency >= 0)) throw new InputError('frequency and monetaryValue must be finite');
  const value = frequency > 0 ? (p * (v + frequency * monetaryValue)) / (p * frequency + q - 1) : (p * v) / (q - 1);
  if (!Number.isFinite(value) || value < 0) throw new FitError('expected spend is undefined for q <= 1 and no repeat purchases');
  return value;
}
