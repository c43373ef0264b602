import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCategoryBundle, parseBundleManifest, type CategoryBundle } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { inconsistent, repoFiles, repoRoot } from '../support/checks.js';

let model: Buffer | undefined;

/**
 * `bundle.json` manifests: parsed, then assembled with the real category model. An
 * accepted bundle's features match the model's width. (File names are checked where files
 * are read, by `loadBundle`; test/hardening/bundle-paths.test.ts covers that.)
 */
export const target: FuzzTarget = {
  name: 'bundle-manifest',
  seeds: () => repoFiles('models/category-recommender/bundle.json'),
  parse: (bytes) => {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      // loadBundle turns unparsable JSON into a ModelFormatError before this point.
      json = null;
    }
    const manifest = parseBundleManifest(json);
    model ??= readFileSync(join(repoRoot, 'models/category-recommender/xgb_model_category.json'));
    return createCategoryBundle({ manifest, model, tables: new Map() });
  },
  check: (result) => {
    const b = result as CategoryBundle;
    if (typeof b.manifest.model.file !== 'string' || b.manifest.model.file === '') inconsistent('no model file name');
    if (b.features.length !== b.model.numFeatures) inconsistent(`${b.features.length} features for a model of ${b.model.numFeatures}`);
  },
};
