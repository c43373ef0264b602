import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { customerSummary } from '../../src/customers/index.js';
import { InputError } from '../../src/errors.js';

const RAW = '../shared/data/cdnow/CDNOW_sample.txt';
const SUMMARY = '../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv';

describe('customerSummary', () => {
  it('matches a summary computed by hand', () => {
    const d = (m: number, day: number, h = 0) => Date.UTC(2024, m, day, h);
    const summary = customerSummary(
      [
        { customerId: 'a', timestamp: d(0, 1, 9), amount: 10 },
        { customerId: 'b', timestamp: d(0, 5), amount: 99 },
        { customerId: 'a', timestamp: d(0, 1, 18), amount: 5 }, // same day as the first: merged
        { customerId: 'a', timestamp: d(0, 11), amount: 20 },
        { customerId: 'a', timestamp: d(0, 21), amount: 30 },
        { customerId: 'a', timestamp: d(0, 21, 23), amount: 10 }, // same day: 40 in all
        { customerId: 'a', timestamp: d(1, 5), amount: 1000 }, // after the end: ignored
      ],
      d(0, 31, 12),
    );
    // a: days 1, 11, 21 → frequency 2, recency 20, T 30, repeat spend (20 + 40) / 2
    expect(summary).toEqual([
      { customerId: 'a', frequency: 2, recency: 20, T: 30, monetaryValue: 30 },
      { customerId: 'b', frequency: 0, recency: 0, T: 26, monetaryValue: 0 },
    ]);
    expect(customerSummary([{ customerId: 'a', timestamp: d(0, 1), amount: 1 }], d(0, 15), { unitDays: 7 })[0].T).toBe(2);
  });

  it('rejects bad input', () => {
    expect(() => customerSummary([{ customerId: 'a', timestamp: NaN, amount: 1 }], 0)).toThrow(InputError);
    expect(() => customerSummary([{ customerId: 'a', timestamp: 0, amount: NaN }], 0)).toThrow(InputError);
    expect(() => customerSummary([], NaN)).toThrow(InputError);
  });

  it.skipIf(!existsSync(RAW) || !existsSync(SUMMARY))('rebuilds the published CDNOW summary (weeks) from the raw transactions', () => {
    const purchases = readFileSync(RAW, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [, id, date, , spend] = line.trim().split(/\s+/);
        return { customerId: String(Number(id)), timestamp: Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8)), amount: Number(spend) };
      });
    const ours = new Map(customerSummary(purchases, Date.UTC(1997, 8, 30), { unitDays: 7 }).map((r) => [r.customerId, r]));
    const lines = readFileSync(SUMMARY, 'utf8').trim().split(/\r?\n/).slice(1);
    expect(lines).toHaveLength(2357);
    expect(ours.size).toBe(2357);
    for (const line of lines) {
      const [id, x, tx, T, zbar] = line.split(',').map(Number);
      const row = ours.get(String(id))!;
      expect(row.frequency).toBe(x);
      expect(Math.abs(row.recency - tx)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(row.T - T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(row.monetaryValue - zbar)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });
});
