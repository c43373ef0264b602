import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { estimatorFromJSON } from '../compose/estimator-from-json.js';
import { InputError } from '../errors.js';
import { loadModelFile } from './load-model-file.js';
import { loadXGBoostFile } from './load-xgboost-file.js';
import type { ScoreModel } from './score-stream.js';

const XGBOOST_BINARY = new Set(['.ubj', '.model', '.bin', '.xgb', '.deprecated']);

/**
 * Loads any model the batch scorer takes, by file: an XGBoost file (`.json` holding a
 * `learner`, `.ubj`, `.model`, `.bin`) as a booster, which scores on the worker pool; any
 * other `.json` as the estimator its `toJSON()` wrote (`forest train`'s sklearn-trees
 * forests, k-means, pipelines, regressors: see `estimatorFromJSON`); pickles, joblib files
 * and MLflow folders as the estimator they hold (`loadModelFile`).
 *
 * @example
 * const model = loadScoreModel('forest.json');
 * await scoreFile(model, 'customers.csv', 'scores.parquet', { ids: ['customer_id'] });
 */
export function loadScoreModel(path: string): ScoreModel {
  // A missing path throws Node's own ENOENT (with the path), which the CLI reports as such.
  const isDir = statSync(path).isDirectory();
  const ext = extname(path).toLowerCase();
  if (isDir || ext !== '.json') return XGBOOST_BINARY.has(ext) && !isDir ? loadXGBoostFile(path) : loadModelFile(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new InputError(`model file '${path}' is not valid JSON: ${error.message}`);
    throw error;
  }
  // XGBoost's JSON model is {"learner": …, "version": …}; the library's own estimators carry a type or format.
  if (json !== null && typeof json === 'object' && 'learner' in json) return loadXGBoostFile(path);
  return estimatorFromJSON(json);
}
