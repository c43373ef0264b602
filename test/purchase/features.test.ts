import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, ValidationError } from '../../src/errors.js';
import { readCsv } from '../../src/features/index.js';
import type { Table } from '../../src/features/index.js';
import { fitPurchaseFeatures, parseAppVersion, purchaseFeatures, transformPurchaseFeatures } from '../../src/purchase/index.js';

const dataDir = join(__dirname, '../../../shared/data/purchase-prediction');
const modelsDir = join(__dirname, '../../models/purchase');

function expectSameTable(actual: Table, expected: Table) {
  expect(['user_id', ...actual.columnNames]).toEqual(expected.columnNames);
  for (const name of actual.columnNames) {
    const got = actual.numbers(name);
    const want = expected.numbers(name);
    let mismatches = 0;
    for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) mismatches++;
    expect(mismatches, `column ${name}`).toBe(0);
  }
}

describe.skipIf(!existsSync(dataDir))('purchase features equal the pandas reference value for value', () => {
  const train = readCsv(readFileSync(join(dataDir, 'retail_app_data.csv'), 'utf8'));
  const { spec, table } = purchaseFeatures(train);

  it('retail_app_data.csv: all 10,000 users, every column', () => {
    const expected = readCsv(gunzipSync(readFileSync(join(modelsDir, 'expected_features.csv.gz'))).toString('utf8'));
    expect(table.numRows).toBe(10_000);
    expectSameTable(table, expected);
    expect(spec.categories.region).toEqual(['Asia Pacific', 'Europe', 'Latin America', 'Middle East', 'North America']);
  });

  it('new_retail_data.csv: unseen categories ignored, same columns as training', () => {
    const fresh = readCsv(readFileSync(join(dataDir, 'new_retail_data.csv'), 'utf8')).slice(0, 300);
    const expected = readCsv(readFileSync(join(modelsDir, 'expected_new_features.csv'), 'utf8'));
    expectSameTable(transformPurchaseFeatures(fresh, spec), expected);
  });

  it('the spec survives JSON and the target can be left out', () => {
    const again = JSON.parse(JSON.stringify(spec));
    const scored = transformPurchaseFeatures(train.slice(0, 5), again, { target: false });
    expect(scored.columnNames).toEqual(spec.featureNames);
  });
});

describe('purchase feature rules on hand-made users', () => {
  const user = {
    user_id: 1,
    first_visit_date: '2024-03-09 13:30:00', // a Saturday
    age: 30,
    platform: 'iOS',
    screen_list: 'SearchResults,Checkout,Checkout,Foo',
    session_count: 2,
    total_screens_viewed: 4,
    used_search_feature: 1,
    wrote_review: 0,
    added_to_wishlist: 1,
    purchase_date: '2024-03-10 13:30:00',
    user_segment: 'Young Power User',
    region: 'Europe',
    acquisition_channel: 'Email',
    app_version: '2.10.3',
  };

  it('applies each rule', () => {
    const { table, spec } = purchaseFeatures([user, { ...user, user_segment: 'Adult Buyer', purchase_date: '2024-03-10 13:30:01', platform: 'Web' }]);
    const row = (name: string) => Array.from(table.numbers(name));
    expect(row('hour')).toEqual([13, 13]);
    expect(row('dayofweek')).toEqual([5, 5]);
    expect(row('is_weekend')).toEqual([1, 1]);
    expect(row('search')).toEqual([1, 1]); // substring of SearchResults
    expect(row('checkout')).toEqual([1, 1]);
    expect(row('other_screens')).toEqual([2, 2]); // SearchResults and Foo
    expect(row('cart_count')).toEqual([1, 1]);
    expect(row('screen_diversity')).toEqual([2, 2]);
    expect(row('platform')).toEqual([1, 0]);
    expect(row('purchase_24h')).toEqual([1, 0]); // exactly 24 h counts, one second more does not
    expect(row('user_type_power user')).toEqual([1, 0]);
    expect(row('age_group_adult')).toEqual([0, 1]);
    expect(row('version_score')[0]).toBe(2 + 10 / 10 + 3 / 100);
    expect(spec.featureNames).not.toContain('purchase_24h');
  });

  it('missing purchase date gives 0; configurable rules change the output', () => {
    const { table } = purchaseFeatures([{ ...user, purchase_date: null }], { targetHours: 48, passthrough: [] });
    expect(table.numbers('purchase_24h')[0]).toBe(0);
    expect(table.has('age')).toBe(false);
  });

  it('bad input and bad config are typed errors', () => {
    const { screen_list: _drop, ...noScreens } = user;
    expect(() => purchaseFeatures([noScreens])).toThrow(InputError);
    expect(() => purchaseFeatures([user], { targetHours: -1 })).toThrow(ValidationError);
    expect(() => purchaseFeatures([{ ...user, first_visit_date: 'yesterday' }])).toThrow(InputError);
    expect(() => transformPurchaseFeatures([user], { kind: 'nope' } as never)).toThrow(InputError);
  });

  it('hostile category names stay data', () => {
    const spec = fitPurchaseFeatures([{ ...user, region: '__proto__' }, { ...user, region: 'constructor' }]);
    expect(spec.featureNames).toContain('region___proto__');
    const t = transformPurchaseFeatures([{ ...user, region: 'constructor' }], spec);
    expect(t.numbers('region_constructor')[0]).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('parseAppVersion never throws and follows Σ partₙ / 10ⁿ', () => {
    expect(parseAppVersion('2.0.8')).toEqual([2, 2.08]);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const [major, score] = parseAppVersion(s);
        if (!Number.isNaN(major)) expect(score).toBeGreaterThanOrEqual(major);
      }),
      { numRuns: 500 },
    );
  });
});
