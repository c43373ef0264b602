import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shipped `models/category-recommender` bundle: next to the working directory when
 * run from a checkout, else next to this module (src/cli/commands/ or dist/).
 *
 * @example
 * defaultBundleDir(process.cwd()) // => '/work/main/models/category-recommender'
 */
export function defaultBundleDir(cwd: string): string {
  const candidates = [
    resolve(cwd, 'models/category-recommender'),
    fileURLToPath(new URL('../../../models/category-recommender', import.meta.url)),
    fileURLToPath(new URL('../models/category-recommender', import.meta.url)),
  ];
  return candidates.find((dir) => existsSync(resolve(dir, 'bundle.json'))) ?? candidates[0];
}
