/**
 * The seed service's own pickles as a category recommender: xgb_model_category.pkl,
 * label_encoder.pkl and onehot_encoder.pkl from ../shared, read by the safe unpickler.
 * Python gives, for the documented customer (35, 30 days, no discount, Delhi), the
 * probabilities [0.06187267, 0.09853294, 0.06188915, 0.77770525] (../shared/README.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCategoryBundleFromPickles, InputError, recommendCategories, withLabels } from '../../src/index.js';
import { loadBundle, loadCategoryBundleFromPickles, loadShippedCategoryBundle } from '../../src/node/index.js';
import { runCli } from '../../src/cli/main.js';
import { hasShared, repoRoot, sharedData } from '../support/paths.js';

const dir = join(sharedData, 'category-recommender');
const customer = { customer_id: 'c-1', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' as const };
const python = [0.06187267, 0.09853294, 0.06188915, 0.77770525];

describe.skipIf(!hasShared)("the seed's pickles as a category bundle", () => {
  it('scores the documented customer as Python does, and as the shipped bundle does', async () => {
    const bundle = await loadCategoryBundleFromPickles(dir);
    const r = recommendCategories(customer, bundle);
    expect(r.top.map((t) => t.label)).toEqual(['Home', 'Clothing', 'Electronics']);
    r.probabilities.forEach((p, k) => expect(p.probability).toBeCloseTo(python[k], 7));
    const shipped = recommendCategories(customer, await loadBundle(join(repoRoot, 'models/category-recommender')));
    expect(r.probabilities.map((p) => p.probability)).toEqual(shipped.probabilities.map((p) => p.probability));
    // handle_unknown='ignore', as the seed fitted it: an unknown city is all zeros, and reported.
    expect(recommendCategories({ ...customer, location: 'Paris' }, bundle).unknownCategories).toEqual([{ feature: 'location', value: 'Paris' }]);
  });

  it('refuses pickles given in the wrong places with a typed error', () => {
    const read = (f: string) => readFileSync(join(dir, f));
    expect(() => createCategoryBundleFromPickles({ model: read('label_encoder.pkl'), labelEncoder: read('label_encoder.pkl') })).toThrow(InputError);
    expect(() => createCategoryBundleFromPickles({ model: read('xgb_model_category.pkl'), labelEncoder: read('onehot_encoder.pkl') })).toThrow(/labelEncoder must be a pickled LabelEncoder/);
  });

  it('npm start --pickles prints the same top 3 from the seed files', async () => {
    // In a scratch folder: start logs the prediction and writes the e-mail under its working directory.
    const cwd = mkdtempSync(join(tmpdir(), 'retail-ml-start-pickles-'));
    let stdout = '';
    const code = await runCli(['start', '--pickles', dir, '--data', '/nonexistent'], { stdout: (t) => (stdout += t), stderr: () => {}, cwd, env: {} });
    rmSync(cwd, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(stdout).toMatch(/1\. Home\s+77\.77%/);
  });
});

describe('labels typed by the bundle', () => {
  it('withLabels checks the classes and types top[].label; the shipped bundle is typed', async () => {
    const shipped = await loadShippedCategoryBundle();
    const label: 'Books' | 'Clothing' | 'Electronics' | 'Home' = recommendCategories(customer, shipped).top[0].label;
    expect(label).toBe('Home');
    const bundle = await loadBundle(join(repoRoot, 'models/category-recommender'));
    expect(withLabels(bundle, ['Books', 'Clothing', 'Electronics', 'Home'] as const)).toBe(bundle);
    expect(() => withLabels(bundle, ['Home', 'Books'] as const)).toThrow(/classes are \["Books","Clothing","Electronics","Home"\], expected \["Home","Books"\]/);
    // @ts-expect-error a label the bundle does not have is a type error
    const wrong: 'Toys' = recommendCategories(customer, shipped).top[0].label;
    expect(wrong).not.toBe('Toys');
  });
});
