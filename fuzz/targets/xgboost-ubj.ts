import { loadXGBoost, type XGBoostModel } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { repoFiles } from '../support/checks.js';
import { checkXGBoostModel } from '../support/xgboost-check.js';

/** XGBoost UBJSON models (`save_model('m.ubj')`), loaded with the interpreter (the JSON target covers compiled scoring). */
export const target: FuzzTarget = {
  name: 'xgboost-ubj',
  seeds: () =>
    repoFiles(
      ...['obj_binary_logistic', 'cat_binary_partition', 'obj_multi_softprob', 'multi_target_reg', 'gblinear_reg_squarederror', 'dart_binary_logistic', 'early_stopping_binary', 'obj_reg_logistic'].map(
        (n) => `models/xgboost/fixtures/${n}.ubj`,
      ),
    ),
  parse: (bytes) => loadXGBoost(bytes, { compile: false }),
  check: (model) => checkXGBoostModel(model as XGBoostModel),
};
