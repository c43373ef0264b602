import { UnsupportedModelError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import type { PyObject } from '../pickle/py-value.js';

/**
 * Maps an unpickled scikit-learn object (`className` `sklearn.*`) onto a retail-ml estimator.
 *
 * Placeholder so `loadPickle` compiles and dispatches: this file is replaced by the
 * scikit-learn mapping branch (estimators, Pipeline, ColumnTransformer). Until then every
 * scikit-learn class is refused with a typed error naming it and its saving version.
 *
 * @example
 * sklearnEstimatorFromPython(obj) // throws UnsupportedModelError until the mapping lands
 */
export function sklearnEstimatorFromPython(obj: PyObject): Estimator {
  const state = obj.state instanceof Map ? obj.state : null;
  const version = state?.get('_sklearn_version');
  throw new UnsupportedModelError(obj.className, typeof version === 'string' ? `scikit-learn ${version}` : null, 'scikit-learn estimators are not mapped in this build yet');
}
