export { loadXGBoost } from './load-xgboost.js';
export type { LoadXGBoostOptions } from './load-xgboost.js';
export { XGBoostModel } from './xgboost-model.js';
export type { XGBoostOutput, XGBoostPredictOptions } from './xgboost-model.js';
export { supportedObjectives, outputTransform, baseScoreToMargin } from './objective.js';
export { glibcLogf } from './glibc-logf.js';
export { loadXGBoostDump, DEFAULT_MAX_DUMP_FEATURES, DEFAULT_MAX_NODE_ID } from './load-dump.js';
export type { DumpOptions } from './load-dump.js';
