import { UnsupportedModelError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import { sklearnEstimatorFromPython } from '../sklearn/from-python.js';
import { unjoblib } from './joblib.js';
import type { PyObject, PyValue } from './py-value.js';
import { unpickle, type UnpickleOptions } from './unpickle.js';

/** Options for {@link loadPickle} and {@link loadJoblib}: the unpickler's limits, and how trees score. */
export interface LoadPickleOptions extends UnpickleOptions {
  /** Compile XGBoost trees to JavaScript (default true; false loads faster and scores slower, as `loadXGBoost`). */
  compile?: boolean;
}
import { isXGBoostObject, xgboostEstimatorFromPython } from './xgboost-from-python.js';

/**
 * Loads a model a Python service pickled (`pickle.dump`, protocols 0–5; `cloudpickle` of a
 * plain estimator is the same) as a retail-ml estimator. Safe: the file can only describe
 * data, never run code (see {@link unpickle}); classes outside the supported list throw
 * {@link UnsupportedModelError}, globals outside the allow-list {@link UnsafePickleError}.
 *
 * @example
 * const model = loadPickle(readFileSync('xgb_model_category.pkl'));
 * model.predictProba!([[35, 30, 0, 0, 1, 0, 0]]);
 */
export function loadPickle(bytes: Uint8Array, options: LoadPickleOptions = {}): Estimator {
  return estimatorFromPython(unpickle(bytes, options), options);
}

/**
 * Loads a model saved with `joblib.dump` (uncompressed, or `compress=3` zlib, or gzip).
 *
 * @example
 * const model = loadJoblib(readFileSync('model.joblib'));
 */
export function loadJoblib(bytes: Uint8Array, options: LoadPickleOptions = {}): Estimator {
  return estimatorFromPython(unjoblib(bytes, options), options);
}

/**
 * Maps one unpickled Python object onto a retail-ml estimator: XGBoost models here,
 * scikit-learn objects through the scikit-learn mapping.
 *
 * @example
 * const est = estimatorFromPython(unpickle(bytes));
 */
export function estimatorFromPython(value: PyValue, options: { compile?: boolean } = {}): Estimator {
  if (value === null || typeof value !== 'object' || !('kind' in value) || (value as PyObject).kind !== 'object') {
    throw new UnsupportedModelError(pythonTypeName(value), null, 'is plain data, not a model (read it with unpickle())');
  }
  const obj = value as PyObject;
  if (isXGBoostObject(obj)) return xgboostEstimatorFromPython(obj, options);
  // A Pipeline may hold an XGBoost step: the scikit-learn mapping hands it back here.
  if (obj.className.startsWith('sklearn.')) return sklearnEstimatorFromPython(obj, { mapOther: (other) => estimatorFromPython(other, options) });
  throw new UnsupportedModelError(obj.className);
}

function pythonTypeName(v: PyValue): string {
  if (v === null) return 'None';
  if (v instanceof Map) return 'dict';
  if (v instanceof Set) return 'set';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return Object.isFrozen(v) ? 'tuple' : 'list';
  if (typeof v === 'object' && 'kind' in v) return 'numpy.ndarray';
  return typeof v === 'string' ? 'str' : typeof v === 'number' ? 'float' : typeof v === 'bigint' ? 'int' : 'bool';
}
