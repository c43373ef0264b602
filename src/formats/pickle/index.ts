export type { PyValue, PyObject, NdArray, NdArrayData } from './py-value.js';
export { unpickle } from './unpickle.js';
export type { UnpickleOptions } from './unpickle.js';
export { unjoblib } from './joblib.js';
export { allowedGlobals } from './allow-list.js';
export { loadPickle, loadJoblib, estimatorFromPython } from './load-pickle.js';
export { xgboostEstimatorFromBytes } from './xgboost-from-python.js';
export { XGBoostEstimator } from './xgboost-estimator.js';
export type { XGBoostEstimatorJSON } from './xgboost-estimator.js';
