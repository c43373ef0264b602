import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { shippedBundleDir } from '../../node/shipped-bundle.js';

/**
 * The `models/category-recommender` bundle to use when none is named: the one next to the
 * working directory when run from a checkout, else the one shipped inside the package.
 *
 * @example
 * defaultBundleDir(process.cwd()) // => '/work/main/models/category-recommender'
 */
export function defaultBundleDir(cwd: string): string {
  const local = resolve(cwd, 'models/category-recommender');
  return existsSync(resolve(local, 'bundle.json')) ? local : shippedBundleDir();
}
