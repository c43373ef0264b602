import { readFileSync } from 'node:fs';
import { loadXGBoost, type LoadXGBoostOptions } from '../formats/xgboost/load-xgboost.js';
import { loadXGBoostLegacy } from '../formats/xgboost/load-xgboost-legacy.js';
import { isLegacyBinary } from '../formats/xgboost/read-legacy-binary.js';
import type { XGBoostModel } from '../formats/xgboost/xgboost-model.js';

/**
 * Reads an XGBoost model file: `.json`, `.ubj`, or the legacy binary `.model`/`.bin` of
 * XGBoost 1.x (the format is detected from the bytes, not the name).
 *
 * @example
 * const model = loadXGBoostFile('models/category-recommender/xgb_model_category.json');
 */
export function loadXGBoostFile(path: string, options?: LoadXGBoostOptions): XGBoostModel {
  const bytes = readFileSync(path);
  return isLegacyBinary(bytes) ? loadXGBoostLegacy(bytes, options) : loadXGBoost(bytes, options);
}
