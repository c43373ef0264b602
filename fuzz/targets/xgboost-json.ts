import { loadXGBoost, type XGBoostModel } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { repoFiles } from '../support/checks.js';
import { checkXGBoostModel } from '../support/xgboost-check.js';

/** XGBoost JSON models (`save_model('m.json')`), loaded from bytes and scored. */
export const target: FuzzTarget = {
  name: 'xgboost-json',
  seeds: () =>
    repoFiles(
      ...['obj_binary_logistic', 'cat_binary_partition', 'obj_multi_softprob', 'multi_target_reg', 'gblinear_reg_squarederror', 'dart_binary_logistic', 'early_stopping_binary', 'obj_reg_logistic'].map(
        (n) => `models/xgboost/fixtures/${n}.json`,
      ),
    ),
  parse: (bytes) => loadXGBoost(bytes),
  check: (model) => checkXGBoostModel(model as XGBoostModel),
};
