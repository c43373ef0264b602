import { loadXGBoostDump, type XGBoostModel } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { repoFiles } from '../support/checks.js';
import { checkXGBoostModel } from '../support/xgboost-check.js';

/** The names obj_binary_logistic was trained with; no_names splits on f0..f7 instead. */
export const DUMP_FEATURE_NAMES = ['age', 'last_login_days', 'orders_12m', 'avg_basket', 'discount_share', 'sessions_30d', 'returns_12m', 'tenure_days'];

/** `get_dump(dump_format="json")` text, as a service would receive it, through `loadXGBoostDump(text)`. */
export const target: FuzzTarget = {
  name: 'xgboost-dump-text',
  seeds: () => repoFiles(...['obj_binary_logistic', 'no_names', 'obj_reg_squarederror', 'obj_multi_softprob'].map((n) => `models/xgboost/fixtures/${n}.dump.json`)),
  parse: (bytes) => loadXGBoostDump(new TextDecoder().decode(bytes), { objective: 'binary:logistic', featureNames: DUMP_FEATURE_NAMES }),
  check: (model) => checkXGBoostModel(model as XGBoostModel),
};
