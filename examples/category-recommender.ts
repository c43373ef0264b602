// The category recommender end to end: load the shipped bundle once, score customer forms,
// and (when the seed's spreadsheets are present) attach a stored feature table.
// Run: npx tsx examples/category-recommender.ts
import { existsSync } from 'node:fs';
import { createCategoryBundle, mergeTables, recommendCategories, recommendCategoriesBatch, ValidationError, type CustomerFormInput } from '../src/index.js';
import { loadBundle, readXlsxFile } from '../src/node/index.js';

const bundle = await loadBundle('models/category-recommender');

// One customer, as the seed app's form sent it.
const asha: CustomerFormInput = { customer_id: 'c-1001', name: 'Asha', email: 'asha@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' };
const result = recommendCategories(asha, bundle);
console.log('Top Recommendations for Asha:');
for (const { label, probability } of result.top) console.log(`  ${label.toString().padEnd(12)} ${(probability * 100).toFixed(2)}%`);

// Many customers with one model call; an unknown city is encoded as "none of the four" and reported.
const batch = recommendCategoriesBatch(
  [
    { location: 'Mumbai', age: 22, last_login_days: 2, prefers_discount: true },
    { location: 'Pune', age: 61, last_login_days: 200, prefers_discount: 'Yes' },
  ],
  bundle,
);
for (const r of batch) console.log(r.top.map((t) => t.label).join(' > '), r.unknownCategories.length ? `(unknown: ${JSON.stringify(r.unknownCategories)})` : '');

// Bad input: one ValidationError listing every bad field.
try {
  // Untrusted input (a request body) is checked at run time whatever its static type.
  const body: unknown = { location: 'Delhi', age: 250, last_login_days: -1, prefers_discount: 'maybe', email: 'nope' };
  recommendCategories(body as CustomerFormInput, bundle);
} catch (error) {
  if (error instanceof ValidationError) for (const issue of error.issues) console.log(`  invalid ${issue.field}: ${issue.message}`);
}

// With the real stored ages: the form's age wins, and the result says it overrode the stored one.
const agesFile = '../shared/data/category-recommender/07_age_features.xlsx';
if (existsSync(agesFile)) {
  const ages = await readXlsxFile(agesFile, { types: { customer_id: 'string' } });
  const withAges = createCategoryBundle({
    manifest: { ...bundle.manifest, featureTables: [{ name: 'ages', file: agesFile, key: 'customer_id', columns: ['age'] }] },
    model: bundle.model,
    tables: new Map([['ages', ages]]),
  });
  const stored = recommendCategories({ ...asha, customer_id: ages.strings('customer_id')[0] }, withAges);
  console.log('conflicts:', JSON.stringify(stored.conflicts));
  const unknown = recommendCategories({ ...asha, customer_id: 'not-a-customer' }, withAges);
  console.log('tables without a row for not-a-customer:', unknown.tablesWithoutRow);

  // The seed app's join bug, made visible: pandas-style suffixes vs an explicit policy.
  const form = ages.slice(0, 1).withColumn('age', { kind: 'number', values: Float64Array.of(35) });
  console.log('suffix policy   :', mergeTables(form, ages, { on: 'customer_id', how: 'left' }).table.columnNames);
  console.log('prefer-left     :', mergeTables(form, ages, { on: 'customer_id', how: 'left', conflicts: 'prefer-left' }).table.columnNames);
}
