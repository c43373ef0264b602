import { readFileSync } from 'node:fs';
import { loadXGBoost, type LoadXGBoostOptions } from '../formats/xgboost/load-xgboost.js';
import type { XGBoostModel } from '../formats/xgboost/xgboost-model.js';

/**
 * Reads an XGBoost model file (`.json` or `.ubj`; the format is detected from the bytes).
 *
 * @example
 * const model = loadXGBoostFile('models/category-recommender/xgb_model_category.json');
 */
export function loadXGBoostFile(path: string, options?: LoadXGBoostOptions): XGBoostModel {
  return loadXGBoost(readFileSync(path), options);
}
