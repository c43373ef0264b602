import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLabels, type CategoryBundle } from '../category/bundle.js';
import { ModelFormatError } from '../errors.js';
import { loadBundle } from './load-bundle.js';

/**
 * The folder of the category-recommender bundle that ships inside the retail-ml package
 * (`models/category-recommender`), found from this module's location, so it works from an
 * installed package (ESM or CommonJS), a clone and the sources alike. It is also exported as
 * `retail-ml/models/category-recommender/*`.
 *
 * @example
 * shippedBundleDir() // => '/app/node_modules/retail-ml/models/category-recommender'
 */
export function shippedBundleDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'models', 'category-recommender');
    if (existsSync(join(candidate, 'bundle.json')) && isRetailMlPackage(join(dir, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new ModelFormatError('models/category-recommender', 'the shipped bundle is missing from this installation of retail-ml');
  }
}

function isRetailMlPackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'retail-ml';
  } catch {
    return false;
  }
}

/**
 * Loads the category-recommender bundle that ships with the package: the seed shop's real
 * XGBoost model, its label classes and its one-hot encoder (no feature tables). Labels are
 * typed: `top[0].label` is a {@link ShippedCategory}.
 *
 * @example
 * const bundle = await loadShippedCategoryBundle();
 * recommendCategories({ location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' }, bundle).top[0].label // => 'Home'
 */
export async function loadShippedCategoryBundle(): Promise<CategoryBundle<ShippedCategory>> {
  return withLabels(await loadBundle(shippedBundleDir()), SHIPPED_CATEGORIES);
}

/** The shipped model's classes, in output order. */
export const SHIPPED_CATEGORIES = ['Books', 'Clothing', 'Electronics', 'Home'] as const;

/** A category the shipped model can recommend. */
export type ShippedCategory = (typeof SHIPPED_CATEGORIES)[number];
