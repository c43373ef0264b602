import { instantMs, type Instant, type PurchaseEvent } from './customer-events.js';
import { customerSegment, type SegmentOptions, type SpendingSegment } from './customer-segment.js';

/** Another customer whose purchases feed the collaborative part. */
export interface PeerCustomer {
  customerId: string;
  purchases: readonly PurchaseEvent[];
}

/** Purchase counts per (lower-cased) category, per spending segment, remembering each customer's share. */
export interface SegmentPopularity {
  readonly segmentOf: ReadonlyMap<string, SpendingSegment>;
  readonly counts: ReadonlyMap<SpendingSegment, ReadonlyMap<string, number>>;
  readonly perCustomer: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * Counts every peer's purchases (up to `now`) by category within the peer's spending segment.
 * Customers without purchases (segment Standard) contribute nothing, as in the original, where
 * they had no segment row. Categories are lower-cased, so "Fitness" and "fitness" count together.
 *
 * @example
 * const pop = buildSegmentPopularity([{ customerId: 'a', purchases: [{ category: 'Yoga', price: 20, timestamp: 0 }] }], 1000);
 * pop.counts.get('Budget') // => Map { 'yoga' => 1 }
 */
export function buildSegmentPopularity(
  peers: readonly PeerCustomer[],
  now: Instant,
  options: SegmentOptions = {},
): SegmentPopularity {
  const nowMs = instantMs(now, 'now');
  const segmentOf = new Map<string, SpendingSegment>();
  const counts = new Map<SpendingSegment, Map<string, number>>();
  const perCustomer = new Map<string, Map<string, number>>();
  for (const peer of peers) {
    const { segment } = customerSegment(peer.purchases, nowMs, options);
    if (segment === 'Standard') continue;
    segmentOf.set(peer.customerId, segment);
    let seg = counts.get(segment);
    if (!seg) counts.set(segment, (seg = new Map()));
    let own = perCustomer.get(peer.customerId);
    if (!own) perCustomer.set(peer.customerId, (own = new Map()));
    for (const p of peer.purchases) {
      if (instantMs(p.timestamp, 'purchase timestamp') > nowMs) continue;
      const key = p.category.toLowerCase();
      seg.set(key, (seg.get(key) ?? 0) + 1);
      own.set(key, (own.get(key) ?? 0) + 1);
    }
  }
  return { segmentOf, counts, perCustomer };
}

/**
 * The `n` categories most bought in `segment` by customers other than `excludeCustomerId`,
 * most purchases first; ties go to the alphabetically first category (the original left ties
 * to SQLite's whim).
 *
 * @example
 * popularCategories(pop, 'Budget', 'someone-else', 3) // => ['yoga']
 */
export function popularCategories(
  popularity: SegmentPopularity,
  segment: SpendingSegment,
  excludeCustomerId: string | undefined,
  n: number,
): string[] {
  const seg = popularity.counts.get(segment);
  if (!seg || n <= 0) return [];
  const own =
    excludeCustomerId !== undefined && popularity.segmentOf.get(excludeCustomerId) === segment
      ? popularity.perCustomer.get(excludeCustomerId)
      : undefined;
  const ranked: [string, number][] = [];
  for (const [category, count] of seg) {
    const c = count - (own?.get(category) ?? 0);
    if (c > 0) ranked.push([category, c]);
  }
  ranked.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return ranked.slice(0, n).map(([category]) => category);
}
