import { InputError } from '../errors.js';
import type { CustomerSummaryRow } from './bgnbd.js';

const DAY_MS = 86_400_000;

/** One purchase by one customer: when, and how much was spent. */
export interface CustomerPurchase {
  customerId: string;
  /** A `Date` or epoch ms; only its UTC calendar day matters. */
  timestamp: Date | number;
  amount: number;
}

/**
 * Builds the frequency / recency / T / monetary summary BG/NBD and Gamma-Gamma need, from raw
 * purchases, as `lifetimes`' `summary_data_from_transaction_data` does at daily resolution:
 * purchases on the same UTC day merge into one; `frequency` = purchase days − 1; `recency` =
 * last day − first day; `T` = day of `observationEnd` − first day; `monetaryValue` = mean spend
 * of the repeat days (0 without). Times are divided by `unitDays` (7 for weeks). Purchases after
 * `observationEnd`'s day are ignored. Customers keep the order of their first appearance.
 *
 * @example
 * customerSummary([
 *   { customerId: 'a', timestamp: Date.UTC(1997, 0, 1), amount: 10 },
 *   { customerId: 'a', timestamp: Date.UTC(1997, 0, 8), amount: 20 },
 * ], Date.UTC(1997, 0, 15), { unitDays: 7 })
 * // => [{ customerId: 'a', frequency: 1, recency: 1, T: 2, monetaryValue: 20 }]
 */
export function customerSummary(
  purchases: readonly CustomerPurchase[],
  observationEnd: Date | number,
  options: { unitDays?: number } = {},
): Required<CustomerSummaryRow>[] {
  const { unitDays = 1 } = options;
  if (!(unitDays > 0) || !Number.isFinite(unitDays)) throw new InputError('unitDays must be a positive number');
  const endMs = observationEnd instanceof Date ? observationEnd.getTime() : observationEnd;
  if (!Number.isFinite(endMs)) throw new InputError('observationEnd is not a valid date');
  const endDay = Math.floor(endMs / DAY_MS);
  const byCustomer = new Map<string, Map<number, number>>();
  purchases.forEach((p, i) => {
    const ms = p.timestamp instanceof Date ? p.timestamp.getTime() : p.timestamp;
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new InputError(`purchase ${i}: invalid timestamp`);
    if (!Number.isFinite(p.amount)) throw new InputError(`purchase ${i}: amount must be a finite number`);
    if (typeof p.customerId !== 'string') throw new InputError(`purchase ${i}: customerId must be a string`);
    const day = Math.floor(ms / DAY_MS);
    if (day > endDay) return;
    let days = byCustomer.get(p.customerId);
    if (!days) byCustomer.set(p.customerId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + p.amount);
  });
  const out: Required<CustomerSummaryRow>[] = [];
  for (const [customerId, days] of byCustomer) {
    const sorted = [...days.keys()].sort((a, b) => a - b);
    const first = sorted[0];
    const last = sorted[sorted.length - 1];
    let repeatSpend = 0;
    for (let i = 1; i < sorted.length; i++) repeatSpend += days.get(sorted[i])!;
    const frequency = sorted.length - 1;
    out.push({
      customerId,
      frequency,
      recency: (last - first) / unitDays,
      T: (endDay - first) / unitDays,
      monetaryValue: frequency > 0 ? repeatSpend / frequency : 0,
    });
  }
  return out;
}
