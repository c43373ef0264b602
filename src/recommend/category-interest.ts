import { InputError } from '../errors.js';
import { DAY_MS, instantMs, type CustomerHistory, type Instant } from './customer-events.js';

/** Weights of {@link categoryInterest}; the defaults are the original backend's. */
export interface CategoryInterestOptions {
  /** Browsing events at most this many days old count. Default 30. */
  browsingWindowDays?: number;
  /** Purchases at most this many days old count. Default 180. */
  purchaseWindowDays?: number;
  /** The i-th newest browsing event (0-based) adds `browsingWeight / (i + 1)`. Default 0.7. */
  browsingWeight?: number;
  /** A purchase adds `purchaseWeight · price / max(averageOrderValue, 1)`. Default 1. */
  purchaseWeight?: number;
}

/**
 * How much a customer cares about each (lower-cased) category, normalised to sum to 1, as of
 * `now`. Browsing counts by recency rank, purchases by price relative to the customer's
 * average order value. Events after `now` are ignored. Returns an empty map with no signal.
 * Map insertion order is first appearance: browsing newest first, then purchases newest first.
 *
 * @example
 * const now = Date.UTC(2024, 5, 1);
 * categoryInterest({ browsing: [{ category: 'Laptop', timestamp: now - 1000 }], purchases: [] }, 0, now)
 * // => Map { 'laptop' => 1 }
 */
export function categoryInterest(
  history: CustomerHistory,
  averageOrderValue: number,
  now: Instant,
  options: CategoryInterestOptions = {},
): Map<string, number> {
  const nowMs = instantMs(now, 'now');
  const { browsingWindowDays = 30, purchaseWindowDays = 180, browsingWeight = 0.7, purchaseWeight = 1 } = options;
  if (!Number.isFinite(averageOrderValue)) throw new InputError('averageOrderValue must be a finite number');
  const weights = new Map<string, number>();
  const add = (category: string, w: number) => {
    const key = category.toLowerCase();
    weights.set(key, (weights.get(key) ?? 0) + w);
  };

  const browseFrom = nowMs - browsingWindowDays * DAY_MS;
  const browsing = history.browsing
    .map((e, index) => ({ category: e.category, t: instantMs(e.timestamp, 'browsing timestamp'), index }))
    .filter((e) => e.t >= browseFrom && e.t <= nowMs)
    // newest first; equal timestamps keep their given order
    .sort((x, y) => y.t - x.t || x.index - y.index);
  browsing.forEach((e, i) => add(e.category, browsingWeight / (i + 1)));

  const buyFrom = nowMs - purchaseWindowDays * DAY_MS;
  const denominator = Math.max(averageOrderValue, 1);
  const purchases = history.purchases
    .map((p, index) => ({ p, t: instantMs(p.timestamp, 'purchase timestamp'), index }))
    .filter((e) => e.t >= buyFrom && e.t <= nowMs)
    .sort((x, y) => y.t - x.t || x.index - y.index);
  for (const { p } of purchases) {
    if (!Number.isFinite(p.price)) throw new InputError('purchase price must be a finite number');
    add(p.category, (purchaseWeight * p.price) / denominator);
  }

  let total = 0;
  for (const w of weights.values()) total += w;
  if (!(total > 0) || !Number.isFinite(total)) return new Map();
  for (const [k, w] of weights) weights.set(k, w / total);
  return weights;
}
