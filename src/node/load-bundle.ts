import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createCategoryBundle, parseBundleManifest, type CategoryBundle } from '../category/bundle.js';
import { ModelFormatError } from '../errors.js';
import type { Table } from '../features/table.js';
import { readTableFile } from './read-table-file.js';
import { resolveInside } from './resolve-inside.js';

/**
 * Loads a category-recommender bundle folder: reads `bundle.json`, the model file and every
 * feature table it names (`.xlsx`, `.csv`, or `.json` rows; key columns read as strings),
 * and returns a ready-to-score bundle (see `createCategoryBundle`). Paths in the manifest
 * are relative to the folder and must resolve inside it (no `..`, no absolute paths, no
 * symlinks pointing out): anything else is a {@link ModelFormatError}.
 *
 * @example
 * const bundle = await loadBundle('models/category-recommender');
 * recommendCategories({ location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: false }, bundle).top[0].label // => 'Home'
 */
export async function loadBundle(dir: string): Promise<CategoryBundle> {
  const manifestPath = resolve(dir, 'bundle.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ModelFormatError(manifestPath, 'no bundle.json in this folder');
    throw new ModelFormatError(manifestPath, (error as Error).message, { cause: error });
  }
  const manifest = parseBundleManifest(json);
  // Every file the manifest names must stay inside the folder, symlinks followed.
  const modelPath = await resolveInside(dir, manifest.model.file, 'bundle.json: model.file');
  const model = await readFile(modelPath).catch((error: Error) => {
    throw new ModelFormatError(`bundle.json: model.file`, `cannot read ${modelPath}: ${error.message}`, { cause: error });
  });
  const tables = new Map<string, Table>();
  await Promise.all(
    manifest.featureTables.map(async (spec, i) => {
      const path = await resolveInside(dir, spec.file, `bundle.json: featureTables[${i}].file`);
      tables.set(spec.name, await readTableFile(path, { types: new Map([[spec.key, 'string' as const]]) }));
    }),
  );
  return createCategoryBundle({ manifest, model, tables });
}
