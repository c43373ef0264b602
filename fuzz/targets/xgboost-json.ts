import { loadXGBoost, type XGBoostModel } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { repoFiles } from '../support/checks.js';
import { checkXGBoostModel } from '../support/xgboost-check.js';

/** Generated XGBoost 1.7.4 models (models/xgboost/generate.py) the JSON and UBJ targets start from. */
export const XGBOOST_SEED_MODELS = ['obj_binary_logistic', 'cat_binary_partition', 'obj_multi_softprob', 'multi_target_reg', 'gblinear_reg_squarederror', 'dart_binary_logistic', 'early_stopping_binary', 'obj_reg_logistic'];

/** XGBoost JSON models (`save_model('m.json')`), loaded from bytes and scored. */
export const target: FuzzTarget = {
  name: 'xgboost-json',
  seeds: () => repoFiles(...XGBOOST_SEED_MODELS.map((n) => `models/xgboost/fixtures/${n}.json`)),
  parse: (bytes) => loadXGBoost(bytes),
  check: (model) => checkXGBoostModel(model as XGBoostModel),
};
