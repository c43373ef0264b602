import { loadXGBoostDump, parseTolerantJson, type XGBoostModel } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { checkXGBoostModel } from '../support/xgboost-check.js';
import { DUMP_FEATURE_NAMES, target as textTarget } from './xgboost-dump-text.js';

/**
 * A dump already parsed to an array of node objects (`loadXGBoostDump(array)`): no text
 * length bounds the node ids here, so this exercises the default `maxNodeId` and the
 * dense renumbering. Without feature names, so `fN` splits size the model.
 */
export const target: FuzzTarget = {
  name: 'xgboost-dump-json',
  // The same dumps with names replaced by f0..f7, so they load without featureNames.
  seeds: async () =>
    (await textTarget.seeds()).map((b) =>
      new TextEncoder().encode(DUMP_FEATURE_NAMES.reduce((text, name, i) => text.replace(new RegExp(`"split":\\s*"${name}"`, 'g'), `"split": "f${i}"`), new TextDecoder().decode(b))),
    ),
  parse: (bytes) => {
    const trees = parseTolerantJson(new TextDecoder().decode(bytes));
    return loadXGBoostDump(trees as unknown[], { objective: 'binary:logistic', numClass: 0 });
  },
  check: (model) => checkXGBoostModel(model as XGBoostModel),
};
