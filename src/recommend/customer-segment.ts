import { InputError } from '../errors.js';
import { instantMs, monthsBeforeDayStart, type Instant, type PurchaseEvent } from './customer-events.js';

/** Spending segment; `Standard` means no purchases yet. */
export type SpendingSegment = 'Premium' | 'Regular' | 'Budget' | 'Standard';
/** How recently the customer last bought; `Unknown` means no purchases yet. */
export type RecencySeason = 'Recent' | 'Semi-Recent' | 'Inactive' | 'Unknown';

/** A customer's segment as the original backend stored it. */
export interface CustomerSegment {
  segment: SpendingSegment;
  /** Mean purchase price over all purchases (0 with none): the backend's `avg_order_value`. */
  averageOrderValue: number;
  season: RecencySeason;
}

/** Thresholds of {@link customerSegment}; the defaults are the original backend's. */
export interface SegmentOptions {
  /** Mean price strictly above this is Premium. Default 100. */
  premiumAbove?: number;
  /** Mean price from this up to `premiumAbove` (both inclusive) is Regular; below is Budget. Default 50. */
  regularFrom?: number;
  /** A purchase on or after the day this many calendar months ago is Recent. Default 3. */
  recentMonths?: number;
  /** ... this many months ago is Semi-Recent; older is Inactive. Default 6. */
  semiRecentMonths?: number;
}

/**
 * Segments a customer from all their purchases, as of `now`. The average is over every
 * purchase ever (not only the recent window), as the original `customer_segments` table was.
 * Purchases after `now` are ignored.
 *
 * @example
 * customerSegment([{ category: 'fitness', price: 150, timestamp: Date.UTC(2024, 0, 10) }], Date.UTC(2024, 1, 1))
 * // => { segment: 'Premium', averageOrderValue: 150, season: 'Recent' }
 */
export function customerSegment(
  purchases: readonly PurchaseEvent[],
  now: Instant,
  options: SegmentOptions = {},
): CustomerSegment {
  const nowMs = instantMs(now, 'now');
  const { premiumAbove = 100, regularFrom = 50, recentMonths = 3, semiRecentMonths = 6 } = options;
  let sum = 0;
  let count = 0;
  let last = -Infinity;
  for (const p of purchases) {
    const t = instantMs(p.timestamp, 'purchase timestamp');
    if (t > nowMs) continue;
    if (!Number.isFinite(p.price)) throw new InputError('purchase price must be a finite number');
    sum += p.price;
    count++;
    if (t > last) last = t;
  }
  if (count === 0) return { segment: 'Standard', averageOrderValue: 0, season: 'Unknown' };
  const averageOrderValue = sum / count;
  const segment: SpendingSegment =
    averageOrderValue > premiumAbove ? 'Premium' : averageOrderValue >= regularFrom ? 'Regular' : 'Budget';
  const season: RecencySeason =
    last >= monthsBeforeDayStart(nowMs, recentMonths)
      ? 'Recent'
      : last >= monthsBeforeDayStart(nowMs, semiRecentMonths)
        ? 'Semi-Recent'
        : 'Inactive';
  return { segment, averageOrderValue, season };
}
