import { asBytes, loadXGBoost, type LoadXGBoostOptions } from './load-xgboost.js';
import { legacyBinaryToDocument } from './read-legacy-binary.js';
import type { XGBoostModel } from './xgboost-model.js';
import { InputError } from '../../errors.js';

/**
 * Loads a model in XGBoost 1.x's legacy binary format: the `binf`-prefixed bytes of
 * `Booster.save_raw()` and the `.model`/`.bin` files of `save_model` without a `.json`/`.ubj`
 * name. The result is the same {@link XGBoostModel} as `loadXGBoost` gives for the model's
 * JSON, margins bit for bit. (Pickles and MLflow folders holding this format are read by
 * `loadPickle` and `loadModelFile`.)
 *
 * @example
 * const model = loadXGBoostLegacy(readFileSync('xgb.model'));
 * model.predict([[35, 30, 0, 0, 1, 0, 0]]);
 */
export function loadXGBoostLegacy(source: Uint8Array | ArrayBuffer | ArrayBufferView, options: LoadXGBoostOptions = {}): XGBoostModel {
  const bytes = asBytes(source);
  if (!(bytes instanceof Uint8Array)) throw new InputError('loadXGBoostLegacy takes bytes (Uint8Array, ArrayBuffer or a view)');
  return loadXGBoost(legacyBinaryToDocument(bytes), options);
}
