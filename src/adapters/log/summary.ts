import type { PredictionRecord } from './record.js';

/**
 * Keeps the last `limit` distinct records of a stream in arrival order; a repeated id
 * is ignored (the first copy wins), so replayed duplicates never show twice.
 *
 * @example
 * const recent = new RecentRecords(2);
 * [a, b, a, c].forEach((r) => recent.add(r));
 * recent.newestFirst() // => [c, b]
 */
export class RecentRecords {
  private readonly seen = new Set<string>();
  private readonly ring: PredictionRecord[] = [];
  private next = 0;

  constructor(private readonly limit: number) {}

  add(record: PredictionRecord): void {
    if (this.seen.has(record.id)) return;
    this.seen.add(record.id);
    if (this.limit <= 0) return;
    if (this.ring.length < this.limit) this.ring.push(record);
    else this.ring[this.next] = record;
    this.next = (this.next + 1) % this.limit;
  }

  newestFirst(): PredictionRecord[] {
    const ordered = this.ring.length < this.limit ? this.ring.slice() : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return ordered.reverse();
  }
}

/**
 * Counts distinct records (by id) per top-1 label.
 *
 * @example
 * const counter = new TopLabelCounter();
 * records.forEach((r) => counter.add(r));
 * counter.counts() // => Map { 'Books' => 2, 'Toys' => 1 }
 */
export class TopLabelCounter {
  private readonly seen = new Set<string>();
  private readonly byLabel = new Map<string, number>();

  add(record: Pick<PredictionRecord, 'id' | 'top'>): void {
    if (this.seen.has(record.id) || record.top.length === 0) return;
    this.seen.add(record.id);
    const label = record.top[0].label;
    this.byLabel.set(label, (this.byLabel.get(label) ?? 0) + 1);
  }

  /** Most frequent first; ties by label. */
  counts(): Map<string, number> {
    return sortCounts(this.byLabel);
  }
}

/**
 * A count map ordered most frequent first, ties alphabetically.
 *
 * @example
 * sortCounts(new Map([['b', 1], ['a', 3]])) // => Map { 'a' => 3, 'b' => 1 }
 */
export function sortCounts(counts: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
}
