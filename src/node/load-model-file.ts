import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import type { Estimator } from '../estimator.js';
import { loadJoblib, type LoadPickleOptions } from '../formats/pickle/load-pickle.js';
import { xgboostEstimatorFromBytes } from '../formats/pickle/xgboost-from-python.js';
import { loadMlflowModel } from './mlflow-model.js';

const PICKLES = new Set(['.pkl', '.pickle', '.joblib', '.sav']);
const XGBOOST = new Set(['.model', '.bin', '.json', '.ubj', '.xgb', '.deprecated']);

/**
 * Loads the model file a Python service saved, by name: `.pkl`/`.pickle`/`.joblib` (pickle
 * or joblib, compressed or not; many `.pkl` files are joblib's), XGBoost's `.model`/`.bin`
 * (legacy binary), `.json`/`.ubj`, or an MLflow model folder. XGBoost files load as a
 * `Booster` (`predict` gives XGBoost's values); pickles as the class they hold.
 *
 * @example
 * const model = loadModelFile('models/xgb_model_category.pkl');
 * model.predictProba!([[35, 30, 0, 0, 1, 0, 0]]);
 */
export function loadModelFile(path: string, options: LoadPickleOptions = {}): Estimator {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new InputError(`model file '${path}' does not exist`);
  }
  if (isDir) return loadMlflowModel(path);
  const ext = extname(path).toLowerCase();
  // A plain pickle is a joblib file without arrays after it, so one reader serves both.
  if (PICKLES.has(ext)) return loadJoblib(readFileSync(path), options);
  if (XGBOOST.has(ext)) return xgboostEstimatorFromBytes(readFileSync(path));
  throw new InputError(`cannot tell the format of '${path}': expected .pkl, .joblib, .model, .bin, .json, .ubj or an MLflow model folder`);
}
