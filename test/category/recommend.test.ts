import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError, ModelFormatError, ValidationError } from '../../src/errors.js';
import {
  createCategoryBundle,
  recommendCategories,
  recommendCategoriesBatch,
  validateCustomerForm,
  type CategoryBundle,
  type CustomerFormInput,
} from '../../src/category/index.js';
import { loadBundle } from '../../src/node/index.js';

const BUNDLE = 'models/category-recommender';
const manifest = JSON.parse(readFileSync(`${BUNDLE}/bundle.json`, 'utf8'));
const modelBytes = readFileSync(`${BUNDLE}/xgb_model_category.json`);
const grid = JSON.parse(readFileSync('models/features/category/grid.json', 'utf8')) as {
  classes: string[];
  cases: { form: Record<string, unknown>; row: number[]; probabilities: number[]; top3: string[] }[];
};

function ulpDistance(a: number, b: number): number {
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  return Math.abs(i[0] - i[1]);
}

let bundle: CategoryBundle;
beforeAll(async () => {
  bundle = await loadBundle(BUNDLE);
});

describe('the shipped bundle against XGBoost 1.7.4', () => {
  it('the documented check: 35, 30 days, no discount, Delhi → Home, Clothing, Electronics, p(Home) = 0.7777', () => {
    const r = recommendCategories({ customer_id: 'c1', name: 'Asha', email: 'asha@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' }, bundle);
    expect(r.top.map((t) => t.label)).toEqual(['Home', 'Clothing', 'Electronics']);
    expect(r.top[0].probability.toFixed(4)).toBe('0.7777');
  });

  it(`matches XGBoost's own top 3 and probabilities (≤ 2 float32 ulp) on a grid of ${grid.cases.length} forms`, () => {
    expect(bundle.labels.classes).toEqual(grid.classes);
    const results = recommendCategoriesBatch(grid.cases.map((c) => c.form as unknown as CustomerFormInput), bundle);
    let worst = 0;
    grid.cases.forEach((c, i) => {
      const single = recommendCategories(c.form as unknown as CustomerFormInput, bundle);
      expect(single).toEqual(results[i]);
      expect(single.features.map((f) => f.value)).toEqual(c.row);
      expect(single.top.map((t) => t.label)).toEqual(c.top3);
      single.probabilities.forEach((p, k) => (worst = Math.max(worst, ulpDistance(p.probability, c.probabilities[k]))));
      if (c.form.location === 'Pune') expect(single.unknownCategories).toEqual([{ feature: 'location', value: 'Pune' }]);
    });
    expect(worst).toBeLessThanOrEqual(2);
  });
});

describe('validateCustomerForm', () => {
  // 'yes' in lower case: the validator takes any case, the type names the documented spelling.
  const good = { customer_id: 'c1', name: 'Asha', email: 'asha@example.com', location: ' Delhi ', age: '35', last_login_days: 30, prefers_discount: 'yes' as 'Yes' | 'No' } satisfies CustomerFormInput;
  it('accepts and types a good form', () => {
    expect(validateCustomerForm(good)).toEqual({ customer_id: 'c1', name: 'Asha', email: 'asha@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: true });
    expect(validateCustomerForm({ ...good, prefers_discount: false, email: undefined, customer_id: '' }).customer_id).toBeNull();
  });
  it('reports every bad field at once', () => {
    try {
      validateCustomerForm({ email: 'not-an-address', location: 5, age: 200, last_login_days: -1, prefers_discount: 'maybe', customer_id: 7 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.field).sort()).toEqual(['age', 'customer_id', 'email', 'last_login_days', 'location', 'prefers_discount']);
    }
    expect(() => validateCustomerForm({ ...good, age: 'thirty' })).toThrow(/age: must be a number/);
    expect(() => validateCustomerForm({ ...good, age: Infinity })).toThrow(/age/);
    expect(() => validateCustomerForm({ ...good, last_login_days: null })).toThrow(/last_login_days: is required/);
    expect(() => validateCustomerForm({ ...good, email: 'a@b' })).toThrow(/email/);
    expect(() => validateCustomerForm(null)).toThrow(ValidationError);
    expect(() => validateCustomerForm([])).toThrow(ValidationError);
  });
  it('a __proto__ key injects nothing', () => {
    const hostile = JSON.parse('{"__proto__": {"age": 35, "location": "Delhi"}, "last_login_days": 1, "prefers_discount": true}');
    expect(() => validateCustomerForm(hostile)).toThrow(/age: is required/);
  });
  it('never throws anything but ValidationError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.record({ age: fc.anything(), location: fc.anything(), last_login_days: fc.anything(), prefers_discount: fc.anything(), email: fc.anything() }, { requiredKeys: [] }), (a, b) => {
        for (const input of [a, b]) {
          try {
            validateCustomerForm(input);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
          }
        }
      }),
    );
  });
  it('batch errors name the customer position', () => {
    expect(() => recommendCategoriesBatch([good, { ...good, age: -3 }], bundle)).toThrow(/\[1\]\.age/);
    expect(recommendCategoriesBatch([], bundle)).toEqual([]);
  });
});

describe('bundle checks', () => {
  it('rejects manifests that do not fit the model', () => {
    const swapped = { ...manifest, features: [...manifest.features].reverse() };
    expect(() => createCategoryBundle({ manifest: swapped, model: modelBytes })).toThrow(/feature 0 is 'location_Mumbai' but the model calls it 'age'/);
    const threeLabels = { ...manifest, labels: { type: 'LabelEncoder', classes: ['a', 'b', 'c'] } };
    expect(() => createCategoryBundle({ manifest: threeLabels, model: modelBytes })).toThrow(ModelFormatError);
    expect(() => createCategoryBundle({ manifest: { ...manifest, format: 'other' }, model: modelBytes })).toThrow(ModelFormatError);
    expect(() => createCategoryBundle({ manifest: { ...manifest, formatVersion: 2 }, model: modelBytes })).toThrow(/unsupported version/);
    expect(() => createCategoryBundle({ manifest: { ...manifest, topK: 9 }, model: modelBytes })).toThrow(ModelFormatError);
    const withTable = { ...manifest, featureTables: [{ name: 'age', file: 'x.csv', key: 'customer_id', columns: ['age'] }] };
    expect(() => createCategoryBundle({ manifest: withTable, model: modelBytes })).toThrow(InputError);
  });

  it('a model input no source provides is filled and reported, never silently zeroed', () => {
    const noEncoder = createCategoryBundle({ manifest: { ...manifest, encoders: [] }, model: modelBytes });
    const r = recommendCategories({ location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: false }, noEncoder);
    expect(r.missingFeatures).toEqual(['location_Bangalore', 'location_Delhi', 'location_Hyderabad', 'location_Mumbai']);
    expect(r.features.filter((f) => f.source === 'fill').every((f) => Number.isNaN(f.value))).toBe(true);
  });

  it('loadBundle reports a folder without bundle.json', async () => {
    await expect(loadBundle('test')).rejects.toThrow(/no bundle.json/);
  });
});

const shared = resolve('../shared/data/category-recommender');
describe.skipIf(!existsSync(shared))('a bundle with the real feature spreadsheets', () => {
  let dir: string;
  let withTables: CategoryBundle;
  const known = '06b8999e2fba1a1fbc88172c00ba8bc7'; // first row of 07_age_features.xlsx (pandas): age 56
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retail-ml-bundle-'));
    writeFileSync(join(dir, 'xgb_model_category.json'), modelBytes);
    const tables = [
      { name: 'age', file: join(shared, '07_age_features.xlsx'), key: 'customer_id', columns: ['age'] },
      { name: 'stays', file: join(shared, '09_stayed_features.xlsx'), key: 'customer_id', columns: ['stay_duration'] },
    ];
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ ...manifest, featureTables: tables }));
    withTables = await loadBundle(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const form: CustomerFormInput = { customer_id: known, location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' };

  it('the form value wins over the stored one by default, and the conflict is reported', () => {
    const r = recommendCategories(form, withTables);
    expect(r.features[0]).toEqual({ name: 'age', value: 35, source: 'form' });
    expect(r.conflicts).toEqual([{ column: 'age', used: { source: 'form', value: 35 }, overridden: [{ source: 'table:age', value: 56 }] }]);
    expect(r.tablesWithoutRow).toEqual([]);
    expect(r.top.map((t) => t.label)).toEqual(['Home', 'Clothing', 'Electronics']);
  });

  it('with tables-win the stored age is used', async () => {
    const flipped = createCategoryBundle({
      manifest: { ...withTables.manifest, conflicts: 'tables-win' },
      model: modelBytes,
      tables: new Map(withTables.tables.map((t) => [t.spec.name, t.table])),
    });
    const r = recommendCategories(form, flipped);
    expect(r.features[0]).toEqual({ name: 'age', value: 56, source: 'table:age' });
  });

  it('an unknown customer id still gets a recommendation and the result names the tables without a row', () => {
    const r = recommendCategories({ ...form, customer_id: 'ffffffffffffffffffffffffffffffff' }, withTables);
    expect(r.tablesWithoutRow).toEqual(['age', 'stays']);
    expect(r.top.map((t) => t.label)).toEqual(['Home', 'Clothing', 'Electronics']);
    const anonymous = recommendCategories({ ...form, customer_id: undefined }, withTables);
    expect(anonymous.tablesWithoutRow).toEqual(['age', 'stays']);
  });
});

describe('loadBundle with a CSV feature table next to bundle.json', () => {
  it('reads ids as strings (leading zeros kept) and looks customers up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retail-ml-csv-bundle-'));
    try {
      writeFileSync(join(dir, 'model.json'), modelBytes);
      writeFileSync(join(dir, 'stored.csv'), 'customer_id,last_login_days,location\n00123,12,Mumbai\n123,400,Delhi\n');
      writeFileSync(
        join(dir, 'bundle.json'),
        JSON.stringify({ ...manifest, model: { type: 'xgboost', file: 'model.json' }, conflicts: 'tables-win', featureTables: [{ name: 'stored', file: 'stored.csv', key: 'customer_id', columns: ['last_login_days', 'location'] }] }),
      );
      const b = await loadBundle(dir);
      const r = recommendCategories({ customer_id: '00123', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: false }, b);
      expect(r.features.find((f) => f.name === 'last_login_days')).toEqual({ name: 'last_login_days', value: 12, source: 'table:stored' });
      expect(r.features.find((f) => f.name === 'location_Mumbai')!.value).toBe(1);
      expect(r.conflicts.map((c) => c.column)).toEqual(['location', 'last_login_days']);
      const other = recommendCategories({ customer_id: '123', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: false }, b);
      expect(other.features.find((f) => f.name === 'last_login_days')!.value).toBe(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
