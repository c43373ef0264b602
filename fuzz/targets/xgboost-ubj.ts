import { loadXGBoost, type XGBoostModel } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { repoFiles } from '../support/checks.js';
import { checkXGBoostModel } from '../support/xgboost-check.js';
import { XGBOOST_SEED_MODELS } from './xgboost-json.js';

/** XGBoost UBJSON models (`save_model('m.ubj')`), loaded with the interpreter (the JSON target covers compiled scoring). */
export const target: FuzzTarget = {
  name: 'xgboost-ubj',
  seeds: () => repoFiles(...XGBOOST_SEED_MODELS.map((n) => `models/xgboost/fixtures/${n}.ubj`)),
  parse: (bytes) => loadXGBoost(bytes, { compile: false }),
  check: (model) => checkXGBoostModel(model as XGBoostModel),
};
