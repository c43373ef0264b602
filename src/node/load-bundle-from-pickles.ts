import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createCategoryBundleFromPickles } from '../category/bundle-from-pickles.js';
import type { CategoryBundle } from '../category/bundle.js';
import { InputError } from '../errors.js';

/** File names of the seed service's pickles, relative to the folder given. */
export interface CategoryPickleFiles {
  model: string;
  labelEncoder: string;
  oneHotEncoders: readonly string[];
}

/** The names the seed's Streamlit app saves: `xgb_model_category.pkl`, `label_encoder.pkl`, `onehot_encoder.pkl`. */
export const SEED_PICKLE_FILES: CategoryPickleFiles = Object.freeze({
  model: 'xgb_model_category.pkl',
  labelEncoder: 'label_encoder.pkl',
  oneHotEncoders: Object.freeze(['onehot_encoder.pkl']),
});

/**
 * Your Python service's .pkl files → a category recommender, in one call: reads the pickled
 * XGBClassifier, LabelEncoder and OneHotEncoder from `dir` with the safe unpickler.
 *
 * @example
 * const bundle = await loadCategoryBundleFromPickles('../shared/data/category-recommender');
 * recommendCategories({ location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' }, bundle).top[0].label // => 'Home'
 */
export async function loadCategoryBundleFromPickles(dir: string, files: CategoryPickleFiles = SEED_PICKLE_FILES): Promise<CategoryBundle> {
  const read = (name: string) =>
    readFile(resolve(dir, name)).catch((error: NodeJS.ErrnoException) => {
      throw new InputError(`${resolve(dir, name)}: cannot read (${error.code === 'ENOENT' ? 'no such file' : error.code ?? error.message})`, { cause: error });
    });
  const [model, labelEncoder, ...oneHotEncoders] = await Promise.all([read(files.model), read(files.labelEncoder), ...files.oneHotEncoders.map(read)]);
  return createCategoryBundleFromPickles({ model, labelEncoder, oneHotEncoders });
}
