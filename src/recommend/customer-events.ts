import { InputError } from '../errors.js';

/** A moment in time: a `Date` or epoch milliseconds. */
export type Instant = Date | number;

/** The customer looked at something in `category` at `timestamp`. */
export interface BrowsingEvent {
  category: string;
  timestamp: Instant;
}

/** The customer bought something in `category` for `price` at `timestamp`. */
export interface PurchaseEvent {
  category: string;
  price: number;
  timestamp: Instant;
  /** Optional, for display only; scoring never reads it. */
  productName?: string;
}

/** Everything the hybrid recommender knows about one customer. */
export interface CustomerHistory {
  browsing: readonly BrowsingEvent[];
  purchases: readonly PurchaseEvent[];
}

export const DAY_MS = 86_400_000;

/**
 * Epoch milliseconds of a `Date` or number; anything not finite is an {@link InputError}
 * naming `what`, so a bad timestamp fails loudly instead of silently dropping an event.
 *
 * @example
 * instantMs(new Date('2024-01-01T00:00:00Z'), 'now') // => 1704067200000
 */
export function instantMs(value: Instant, what: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new InputError(`${what} is not a valid date`);
  return ms;
}

/**
 * The start of the UTC day `months` calendar months before `nowMs`, with day overflow rolled
 * forward (31 May − 3 months = "31 Feb" = 3 Mar), as SQLite's `DATE('now', '-3 months')` does.
 *
 * @example
 * new Date(monthsBeforeDayStart(Date.UTC(2024, 4, 31, 15), 3)).toISOString() // => '2024-03-02T00:00:00.000Z'
 */
export function monthsBeforeDayStart(nowMs: number, months: number): number {
  const d = new Date(nowMs);
  const shifted = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, d.getUTCDate()));
  return shifted.getTime();
}
