import { InputError } from '../errors.js';
import type { RetailTransaction } from './retail-transactions.js';

const DAY_MS = 86_400_000;

/** The ten standard RFM segments. */
export type RfmSegment =
  | 'Champions'
  | 'Loyal'
  | 'Potential Loyalists'
  | 'New'
  | 'Promising'
  | 'Need Attention'
  | 'About to Sleep'
  | 'At Risk'
  | "Can't Lose"
  | 'Hibernating';

/** One customer's RFM values, quintile scores (1–5, 5 best) and segment. */
export interface RfmRow {
  customerId: string;
  /** Whole days from the last purchase to the snapshot. */
  recency: number;
  /** Distinct purchase invoices. */
  frequency: number;
  /** Purchase value, net of cancellations unless asked otherwise. */
  monetary: number;
  r: number;
  f: number;
  m: number;
  segment: RfmSegment;
}

// Rows: R score 1..5; columns: F score 1..5. Every one of the 25 cells has exactly one segment.
const SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose"],
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose"],
  ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal'],
  ['Promising', 'Potential Loyalists', 'Potential Loyalists', 'Loyal', 'Loyal'],
  ['New', 'Potential Loyalists', 'Potential Loyalists', 'Champions', 'Champions'],
];

/**
 * The standard segment of an R and F score (1–5 each): 11–22 Hibernating, 13–24 At Risk,
 * 15/25 Can't Lose, 31/32 About to Sleep, 33 Need Attention, 34/35/44/45 Loyal, 41 Promising,
 * 42/43/52/53 Potential Loyalists, 51 New, 54/55 Champions.
 *
 * @example
 * rfmSegment(5, 5) // => 'Champions'
 * rfmSegment(1, 5) // => "Can't Lose"
 */
export function rfmSegment(r: number, f: number): RfmSegment {
  if (!Number.isInteger(r) || !Number.isInteger(f) || r < 1 || r > 5 || f < 1 || f > 5) {
    throw new InputError(`RFM scores must be whole numbers 1..5, got R=${r} F=${f}`);
  }
  return SEGMENT_GRID[r - 1][f - 1];
}

/**
 * Quintile labels 1..5 as pandas' `qcut(values, 5, labels=[1..5])`: edges at the 0, 20, 40, 60,
 * 80 and 100 % quantiles (linear interpolation), bins closed on the right, the first including
 * its left edge. With `rankFirst` the values are first replaced by their ranks, ties broken by
 * position (`rank(method='first')`), so ties never collapse bins. Without it, values whose edges
 * collapse fall back to ranking first too (where pandas would raise). `reverse` gives 5 to the lowest.
 *
 * @example
 * quintileScores([1, 2, 3, 4, 5]) // => [1, 2, 3, 4, 5]
 * quintileScores([7, 7, 7, 7, 7], { rankFirst: true }) // => [1, 2, 3, 4, 5]
 */
export function quintileScores(
  values: readonly number[],
  options: { rankFirst?: boolean; reverse?: boolean } = {},
): number[] {
  const n = values.length;
  if (n === 0) return [];
  if (n === 1) throw new InputError('quintiles need at least 2 values');
  for (const v of values) if (!Number.isFinite(v)) throw new InputError('quintile values must be finite numbers');
  let x: readonly number[] = options.rankFirst ? rankFirst(values) : values;
  let edges = quantileEdges(x);
  if (!options.rankFirst && new Set(edges).size < edges.length) {
    x = rankFirst(values);
    edges = quantileEdges(x);
  }
  return x.map((v) => {
    let bin = 0;
    while (bin < 4 && v > edges[bin + 1]) bin++;
    return options.reverse ? 5 - bin : bin + 1;
  });
}

function rankFirst(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Array<number>(values.length);
  order.forEach((i, r) => (ranks[i] = r + 1));
  return ranks;
}

function quantileEdges(x: readonly number[]): number[] {
  const sorted = Float64Array.from(x).sort();
  const n = sorted.length;
  return [0, 0.2, 0.4, 0.6, 0.8, 1].map((q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  });
}

/** Options of {@link rfmTable}. */
export interface RfmOptions {
  /** `'net'` (default) subtracts cancelled value from monetary; `'ignore'` leaves it out. */
  cancellations?: 'net' | 'ignore';
}

/**
 * RFM per customer from cleaned purchases (see {@link cleanTransactions}) as of `snapshot`:
 * recency in whole days since the last purchase, frequency = distinct invoices, monetary =
 * Σ quantity · price (minus cancelled value by default). Scores: R by reversed quintiles of
 * recency, F by quintiles of frequency ranked first, M by quintiles of monetary. Customers in
 * order of first purchase line.
 *
 * @example
 * const { purchases, cancellations } = cleanTransactions(rows);
 * rfmTable({ purchases, cancellations }, new Date('2011-12-10'))
 * // => [{ customerId: '12347', recency: 2, frequency: 7, monetary: 4310, r: 5, f: 5, m: 5, segment: 'Champions' }, ...]
 */
export function rfmTable(
  cleaned: { purchases: readonly RetailTransaction[]; cancellations?: readonly RetailTransaction[] },
  snapshot: Date | number,
  options: RfmOptions = {},
): RfmRow[] {
  const snapMs = snapshot instanceof Date ? snapshot.getTime() : snapshot;
  if (!Number.isFinite(snapMs)) throw new InputError('snapshot is not a valid date');
  const acc = new Map<string, { last: number; invoices: Set<string>; monetary: number }>();
  for (const t of cleaned.purchases) {
    if (t.customerId === null) continue;
    if (t.invoiceDate > snapMs) continue;
    let a = acc.get(t.customerId);
    if (!a) acc.set(t.customerId, (a = { last: -Infinity, invoices: new Set(), monetary: 0 }));
    if (t.invoiceDate > a.last) a.last = t.invoiceDate;
    a.invoices.add(t.invoiceNo);
    a.monetary += t.quantity * t.unitPrice;
  }
  if ((options.cancellations ?? 'net') === 'net') {
    for (const t of cleaned.cancellations ?? []) {
      const a = t.customerId === null ? undefined : acc.get(t.customerId);
      if (a && t.invoiceDate <= snapMs) a.monetary -= Math.abs(t.quantity) * t.unitPrice;
    }
  }
  const ids = [...acc.keys()];
  const rows = ids.map((id) => acc.get(id)!);
  const recency = rows.map((a) => Math.floor((snapMs - a.last) / DAY_MS));
  const frequency = rows.map((a) => a.invoices.size);
  const monetary = rows.map((a) => a.monetary);
  if (ids.length === 0) return [];
  const r = quintileScores(recency, { reverse: true });
  const f = quintileScores(frequency, { rankFirst: true });
  const m = quintileScores(monetary);
  return ids.map((customerId, i) => ({
    customerId,
    recency: recency[i],
    frequency: frequency[i],
    monetary: monetary[i],
    r: r[i],
    f: f[i],
    m: m[i],
    segment: rfmSegment(r[i], f[i]),
  }));
}
