import { InputError } from '../errors.js';
import { expectedPurchases, probabilityAlive, type BgNbdParams, type CustomerSummaryRow } from './bgnbd.js';
import { expectedAverageSpend, type GammaGammaParams } from './gamma-gamma.js';

/** Options of {@link customerLifetimeValue}. */
export interface LifetimeValueOptions {
  /** Horizon in months. Default 12. */
  months?: number;
  /** Discount rate per month, e.g. 0.01. Default 0.01. */
  monthlyDiscountRate?: number;
  /** How many summary time units make a month: 30 for days (default), 4.345 for weeks. */
  periodsPerMonth?: number;
}

/**
 * Discounted customer lifetime value over a horizon, month by month as `lifetimes` does:
 * Σᵢ₌₁..months spend · (E[Y(i·m)] − E[Y((i−1)·m)]) / (1 + d)ⁱ, with E[Y] the BG/NBD expected
 * purchases and spend the Gamma-Gamma expected average spend.
 *
 * @example
 * customerLifetimeValue(bgnbd, gammaGamma, { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 },
 *   { months: 12, monthlyDiscountRate: 0.01, periodsPerMonth: 4.345 })
 */
export function customerLifetimeValue(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: CustomerSummaryRow,
  options: LifetimeValueOptions = {},
): number {
  const { months = 12, monthlyDiscountRate = 0.01, periodsPerMonth = 30 } = options;
  if (!Number.isInteger(months) || months < 0) throw new InputError('months must be a whole number >= 0');
  if (!(monthlyDiscountRate > -1) || !Number.isFinite(monthlyDiscountRate)) throw new InputError('monthlyDiscountRate must be > -1');
  if (!(periodsPerMonth > 0) || !Number.isFinite(periodsPerMonth)) throw new InputError('periodsPerMonth must be positive');
  const spend = expectedAverageSpend(gammaGamma, customer.frequency, customer.monetaryValue ?? 0);
  let value = 0;
  let previous = 0;
  for (let i = 1; i <= months; i++) {
    const cumulative = expectedPurchases(bgnbd, i * periodsPerMonth, customer);
    value += (spend * (cumulative - previous)) / Math.pow(1 + monthlyDiscountRate, i);
    previous = cumulative;
  }
  return value;
}

/** A customer's churn risk. */
export interface ChurnRisk {
  /** 1 − P(alive). */
  risk: number;
  /** `risk >= threshold`. */
  churned: boolean;
}

/**
 * Churn risk = 1 − P(alive) under BG/NBD, flagged as churned at or above `threshold` (default 0.5).
 *
 * @example
 * churnRisk(bgnbd, { frequency: 2, recency: 5, T: 38.86 }) // => { risk: 0.9..., churned: true }
 */
export function churnRisk(
  bgnbd: BgNbdParams,
  customer: Pick<CustomerSummaryRow, 'frequency' | 'recency' | 'T'>,
  threshold = 0.5,
): ChurnRisk {
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError('threshold must be between 0 and 1');
  const risk = 1 - probabilityAlive(bgnbd, customer);
  return { risk, churned: risk >= threshold };
}
