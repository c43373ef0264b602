import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { alignColumns, featureListFromTable, Table, tableToMatrix, topK } from '../../src/features/index.js';
import { readXlsxFile } from '../../src/node/index.js';

const MODEL_FEATURES = ['age', 'last_login_days', 'prefers_discount', 'location_Bangalore', 'location_Delhi', 'location_Hyderabad', 'location_Mumbai'];

describe('alignColumns', () => {
  it('orders columns, fills and reports missing ones, reports extras', () => {
    const t = Table.fromRows([{ location_Delhi: 1, age: 35, name: 'Asha', prefers_discount: true }]);
    const { table, report } = alignColumns(t, MODEL_FEATURES);
    expect(table.columnNames).toEqual(MODEL_FEATURES);
    expect(report.missing).toEqual(['last_login_days', 'location_Bangalore', 'location_Hyderabad', 'location_Mumbai']);
    expect(report.extra).toEqual(['name']);
    expect(Number.isNaN(report.fill)).toBe(true);
    expect(Array.from(tableToMatrix(table))).toEqual([35, NaN, 1, NaN, 1, NaN, NaN]);
    const zero = alignColumns(t, MODEL_FEATURES, { fill: 0 });
    expect(zero.report.fill).toBe(0);
    expect(Array.from(tableToMatrix(zero.table))).toEqual([35, 0, 1, 0, 1, 0, 0]);
  });

  it('the age_x/age_y mistake is reported, not silently zeroed', () => {
    const merged = Table.fromRows([{ age_x: 35, age_y: 56, last_login_days: 30 }]);
    expect(alignColumns(merged, ['age', 'last_login_days']).report.missing).toEqual(['age']);
    expect(() => alignColumns(merged, ['age', 'last_login_days'], { strict: true })).toThrow(/missing expected feature: age/);
  });

  it('string columns and repeated names are InputErrors', () => {
    expect(() => alignColumns(Table.fromRows([{ a: 'x' }]), ['a'])).toThrow(InputError);
    expect(() => alignColumns(Table.fromRows([{ a: 1 }]), ['a', 'a'])).toThrow(InputError);
  });
});

const featuresXlsx = '../shared/data/category-recommender/features.xlsx';
describe.skipIf(!existsSync(featuresXlsx))('features.xlsx', () => {
  it('is read as a feature list, and aligning to it reports that it does not describe the shipped model', async () => {
    const list = featureListFromTable(await readXlsxFile(featuresXlsx));
    // pandas.read_excel('features.xlsx') gives the header customer_id and these 7 rows
    expect(list).toEqual(['total_orders', 'total_spent', 'avg_order_value', 'avg_freight_value', 'most_common_category', 'avg_products_per_order', 'last_purchase_days_ago']);
    const row = Table.fromRows([Object.fromEntries(MODEL_FEATURES.map((f) => [f, 1]))]);
    const { report } = alignColumns(row, list);
    expect(report.missing).toEqual(list);
    expect(report.extra).toEqual(MODEL_FEATURES);
  });
});

describe('topK', () => {
  const labels = ['Books', 'Clothing', 'Electronics', 'Home'];
  it('ranks each row, most probable first, ties in class order', () => {
    const p = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25);
    expect(topK(p, 3, labels)).toEqual([
      [{ label: 'Home', probability: 0.4 }, { label: 'Electronics', probability: 0.3 }, { label: 'Clothing', probability: 0.2 }],
      [{ label: 'Books', probability: 0.25 }, { label: 'Clothing', probability: 0.25 }, { label: 'Electronics', probability: 0.25 }],
    ]);
    expect(topK([0.5, NaN, 0.7], 3, ['a', 'b', 'c']).map((r) => r.map((x) => x.label))).toEqual([['c', 'a', 'b']]);
    expect(topK([1, 0], 5, ['a', 'b'])[0].length).toBe(2);
  });
  it('rejects bad shapes', () => {
    expect(() => topK([1, 2, 3], 1, ['a', 'b'])).toThrow(InputError);
    expect(() => topK([1, 2], 0, ['a', 'b'])).toThrow(InputError);
    expect(() => topK([], 1, [])).toThrow(InputError);
  });
  it('equals a stable sort by descending probability (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.array(fc.constantFrom(0, 0.1, 0.5, 0.9, 1), { minLength: 1, maxLength: 30 }), (width, k, pool) => {
        const rows = Math.max(1, Math.floor(pool.length / width));
        const p = Array.from({ length: rows * width }, (_, i) => pool[i % pool.length]);
        const names = Array.from({ length: width }, (_, i) => `c${i}`);
        const got = topK(p, k, names);
        for (let r = 0; r < rows; r++) {
          const expected = names
            .map((label, c) => ({ label, probability: p[r * width + c], c }))
            .sort((a, b) => b.probability - a.probability || a.c - b.c)
            .slice(0, k)
            .map(({ label, probability }) => ({ label, probability }));
          expect(got[r]).toEqual(expected);
        }
      }),
    );
  });
});
