import { ModelFormatError, UnsupportedModelError } from '../../errors.js';
import type { Labels } from '../../estimator.js';
import { loadXGBoost } from '../xgboost/load-xgboost.js';
import { serializedBoosterToDocument } from '../xgboost/read-serialized-booster.js';
import type { NdArray, PyObject, PyValue } from './py-value.js';
import { XGBoostEstimator } from './xgboost-estimator.js';

const CLASSIFIERS = new Set(['xgboost.sklearn.XGBClassifier', 'xgboost.sklearn.XGBRFClassifier']);
const REGRESSORS = new Set(['xgboost.sklearn.XGBRegressor', 'xgboost.sklearn.XGBRFRegressor']);
const BOOSTER = 'xgboost.core.Booster';

/**
 * Is this unpickled object one of XGBoost's models?
 *
 * @example
 * isXGBoostObject(obj) // true for xgboost.sklearn.XGBClassifier
 */
export function isXGBoostObject(obj: PyObject): boolean {
  return CLASSIFIERS.has(obj.className) || REGRESSORS.has(obj.className) || obj.className === BOOSTER;
}

/**
 * Maps an unpickled `XGBClassifier`, `XGBRegressor` (and their random-forest variants) or
 * `Booster` onto an {@link XGBoostEstimator}: the Booster's `handle` bytes hold the model
 * (a UBJSON/JSON snapshot in 1.7, the legacy binary format in 1.0–1.6), read through the
 * same path as `save_model` files.
 *
 * @example
 * const est = xgboostEstimatorFromPython(unpickle(bytes) as PyObject);
 */
export function xgboostEstimatorFromPython(obj: PyObject, options: { compile?: boolean } = {}): XGBoostEstimator {
  const where = obj.className;
  if (obj.className === BOOSTER) {
    const { document, model } = boosterModel(obj, where, false, options.compile);
    return new XGBoostEstimator(document, model, 'regressor', obj.className, null, null);
  }
  const isClassifier = CLASSIFIERS.has(obj.className);
  if (!isClassifier && !REGRESSORS.has(obj.className)) throw new UnsupportedModelError(obj.className);
  const state = stateMap(obj, where);
  const booster = state.get('_Booster');
  if (!isPyObject(booster) || booster.className !== BOOSTER) throw new ModelFormatError(`${where}._Booster`, 'missing: the model was pickled before fit()');
  // The scikit-learn wrapper scores with rounds up to best_iteration after early stopping.
  const { document, model } = boosterModel(booster, `${where}._Booster`, true, options.compile);
  const featureNamesIn = stringList(state.get('feature_names_in_'), `${where}.feature_names_in_`);
  if (!isClassifier) return new XGBoostEstimator(document, model, 'regressor', obj.className, null, featureNamesIn);
  const classes = classLabels(state, model.numOutputs, where);
  return new XGBoostEstimator(document, model, 'classifier', obj.className, classes, featureNamesIn);
}

function boosterModel(booster: PyObject, where: string, useBestIteration: boolean, compile?: boolean) {
  const state = stateMap(booster, where);
  const handle = state.get('handle');
  if (!(handle instanceof Uint8Array)) throw new ModelFormatError(`${where}.handle`, 'expected the serialised model bytes');
  const document = serializedBoosterToDocument(handle);
  const model = loadXGBoost(document, { useBestIteration, compile });
  return { document, model };
}

function stateMap(obj: PyObject, where: string): Map<PyValue, PyValue> {
  if (!(obj.state instanceof Map)) throw new ModelFormatError(where, 'state must be a dict of attributes');
  return obj.state;
}

function isPyObject(v: PyValue | undefined): v is PyObject {
  return v !== null && typeof v === 'object' && 'kind' in v && (v as PyObject).kind === 'object';
}

function stringList(v: PyValue | undefined, where: string): string[] | null {
  if (v === undefined || v === null) return null;
  const items = isNdArray(v) && Array.isArray(v.data) ? (v.data as PyValue[]) : Array.isArray(v) ? (v as PyValue[]) : null;
  if (!items || items.some((s) => typeof s !== 'string')) throw new ModelFormatError(where, 'expected a list of column names');
  return items as string[];
}

function isNdArray(v: PyValue): v is NdArray {
  return v !== null && typeof v === 'object' && 'kind' in v && (v as NdArray).kind === 'ndarray';
}

/** classes_ as fitted (1.7 stores n_classes_ and classes 0..n-1; 1.3–1.5 kept a label encoder). */
function classLabels(state: Map<PyValue, PyValue>, numOutputs: number, where: string): Labels {
  const stored = state.get('classes_');
  if (stored !== undefined && isNdArray(stored) && !(stored.data instanceof Map)) {
    return Array.from(stored.data as ArrayLike<number | bigint | PyValue>, (v) => (typeof v === 'bigint' ? Number(v) : (v as string | number)));
  }
  const n = state.get('n_classes_');
  const count = typeof n === 'number' ? n : numOutputs === 1 ? 2 : numOutputs;
  if (!Number.isInteger(count) || count < 2 || count > 1 << 16 || (numOutputs > 1 && count !== numOutputs)) throw new ModelFormatError(`${where}.n_classes_`, `${String(n)} does not match the model's ${numOutputs} outputs`);
  return Array.from({ length: count }, (_, i) => i);
}

/**
 * An {@link XGBoostEstimator} from a model file's bytes (`save_model` JSON/UBJSON, the legacy
 * binary `.model`/`.bin`/MLflow `model.xgb`), scored as `pythonClass` would score it:
 * `XGBClassifier` (classes 0..k-1), `XGBRegressor`, or a bare `Booster` (the default).
 *
 * @example
 * const clf = xgboostEstimatorFromBytes(readFileSync('model.xgb'), 'xgboost.sklearn.XGBClassifier');
 */
export function xgboostEstimatorFromBytes(bytes: Uint8Array, pythonClass = BOOSTER): XGBoostEstimator {
  const document = serializedBoosterToDocument(bytes);
  const isClassifier = CLASSIFIERS.has(pythonClass);
  const model = loadXGBoost(document, { useBestIteration: pythonClass !== BOOSTER });
  if (!isClassifier) return new XGBoostEstimator(document, model, 'regressor', pythonClass, null, null);
  const count = model.numOutputs === 1 ? 2 : model.numOutputs;
  return new XGBoostEstimator(document, model, 'classifier', pythonClass, Array.from({ length: count }, (_, i) => i), null);
}
