import { InputError } from '../errors.js';
import { instantMs, type Instant } from './customer-events.js';

/**
 * Splits rows at a moment: rows strictly before `cutoff` train, the rest test. With
 * `{ testFraction }` the cutoff is the earliest timestamp such that at most that fraction of rows
 * fall on or after it (so rows sharing a timestamp stay together). Order within each part is kept.
 *
 * @example
 * const { train, test, cutoff } = timeSplit(rows, (r) => r.timestamp, { testFraction: 0.2 });
 * const { train: a, test: b } = timeSplit(rows, (r) => r.timestamp, { cutoff: new Date('2011-10-01') });
 */
export function timeSplit<T>(
  rows: readonly T[],
  timeOf: (row: T) => Instant,
  by: { cutoff: Instant } | { testFraction: number },
): { train: T[]; test: T[]; cutoff: number } {
  const times = rows.map((r, i) => instantMs(timeOf(r), `row ${i} timestamp`));
  let cutoff: number;
  if ('cutoff' in by) cutoff = instantMs(by.cutoff, 'cutoff');
  else {
    const f = by.testFraction;
    if (!(f > 0 && f < 1)) throw new InputError('testFraction must be between 0 and 1 (exclusive)');
    if (rows.length === 0) throw new InputError('cannot split an empty set of rows');
    const sorted = Float64Array.from(times).sort();
    const maxTest = Math.floor(rows.length * f);
    // smallest timestamp t with count(time >= t) <= maxTest
    cutoff = Infinity;
    let i = sorted.length;
    while (i > 0) {
      let j = i - 1;
      while (j > 0 && sorted[j - 1] === sorted[i - 1]) j--;
      if (sorted.length - j > maxTest) break;
      cutoff = sorted[j];
      i = j;
    }
    if (cutoff === Infinity) throw new InputError('no cutoff leaves a non-empty test set within testFraction (too many equal timestamps)');
  }
  const train: T[] = [];
  const test: T[] = [];
  rows.forEach((r, i) => (times[i] < cutoff ? train : test).push(r));
  return { train, test, cutoff };
}
