import { ModelFormatError, UnsupportedModelError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import type { PyObject, PyValue } from '../pickle/py-value.js';
import { mapColumnTransformer, mapPipeline } from './map-compose.js';
import { mapLabelEncoder, mapOneHotEncoder, mapOrdinalEncoder } from './map-encoders.js';
import { mapKMeans, mapMinMaxScaler, mapPCA, mapPowerTransformer, mapSimpleImputer, mapStandardScaler } from './map-numeric.js';
import { mapGradientBoosting, mapTreeClassifier, mapTreeRegressor } from './map-trees.js';
import { describePy, isPyObject, PyState } from './py-read.js';

/** Options of {@link sklearnEstimatorFromPython}. */
export interface FromPythonOptions {
  /**
   * Maps an object that is not a scikit-learn estimator (e.g. an `xgboost.sklearn.XGBClassifier`
   * step of a Pipeline) onto an estimator; without it such an object is an {@link UnsupportedModelError}.
   */
  mapOther?: (obj: PyObject) => Estimator;
}

type Mapper = (s: PyState, mapStep: (v: PyValue, where: string) => Estimator) => Estimator;

/** The scikit-learn 1.x classes retail-ml loads, by their pickled `module.qualname`. */
const MAPPERS: ReadonlyMap<string, Mapper> = new Map<string, Mapper>([
  ['sklearn.tree._classes.DecisionTreeClassifier', mapTreeClassifier],
  ['sklearn.tree._classes.DecisionTreeRegressor', mapTreeRegressor],
  ['sklearn.ensemble._forest.RandomForestClassifier', mapTreeClassifier],
  ['sklearn.ensemble._forest.RandomForestRegressor', mapTreeRegressor],
  ['sklearn.ensemble._forest.ExtraTreesClassifier', mapTreeClassifier],
  ['sklearn.ensemble._forest.ExtraTreesRegressor', mapTreeRegressor],
  ['sklearn.ensemble._gb.GradientBoostingClassifier', mapGradientBoosting],
  ['sklearn.cluster._kmeans.KMeans', mapKMeans],
  ['sklearn.preprocessing._data.StandardScaler', mapStandardScaler],
  ['sklearn.preprocessing._data.MinMaxScaler', mapMinMaxScaler],
  ['sklearn.preprocessing._data.PowerTransformer', mapPowerTransformer],
  ['sklearn.preprocessing._label.LabelEncoder', mapLabelEncoder],
  ['sklearn.preprocessing._encoders.OneHotEncoder', mapOneHotEncoder],
  ['sklearn.preprocessing._encoders.OrdinalEncoder', mapOrdinalEncoder],
  ['sklearn.impute._base.SimpleImputer', mapSimpleImputer],
  ['sklearn.decomposition._pca.PCA', mapPCA],
  ['sklearn.pipeline.Pipeline', mapPipeline],
  ['sklearn.compose._column_transformer.ColumnTransformer', mapColumnTransformer],
]);

/**
 * The fully qualified names of the scikit-learn classes {@link sklearnEstimatorFromPython} maps.
 *
 * @example
 * SUPPORTED_SKLEARN_CLASSES.includes('sklearn.cluster._kmeans.KMeans') // => true
 */
export const SUPPORTED_SKLEARN_CLASSES: readonly string[] = [...MAPPERS.keys()];

/** Something a loader already turned into an estimator (e.g. an XGBoost step). */
function isEstimator(v: unknown): v is Estimator {
  return typeof v === 'object' && v !== null && typeof (v as Estimator).estimatorType === 'string' && typeof (v as Estimator).toJSON === 'function';
}

/**
 * Maps a fitted scikit-learn 1.x estimator, as the safe unpickler builds it, onto
 * retail-ml's own implementation of it: trees, forests and gradient boosting on the tree
 * engine, k-means, scalers, power transform, PCA, imputer, encoders, and whole `Pipeline`s
 * and `ColumnTransformer`s as one estimator that takes named rows or a `Table`. Nothing
 * of the pickle runs; only its data is read. A class outside the supported list is an
 * {@link UnsupportedModelError} naming it and the scikit-learn version that saved it;
 * inconsistent state is a {@link ModelFormatError}.
 *
 * @example
 * const model = sklearnEstimatorFromPython(unpickled as PyObject);
 * model.predictProba!([{ age: 35, days: 30, discount: 0, location: 'Delhi' }]);
 */
export function sklearnEstimatorFromPython(obj: PyObject, options: FromPythonOptions = {}): Estimator {
  const mapStep = (v: PyValue, where: string): Estimator => {
    if (isEstimator(v)) return v;
    if (!isPyObject(v)) throw new ModelFormatError(where, `must be an estimator, got ${describePy(v)}`);
    return mapOne(v);
  };
  const mapOne = (o: PyObject): Estimator => {
    const mapper = MAPPERS.get(o.className);
    if (mapper) return mapper(new PyState(o), mapStep);
    if (!o.className.startsWith('sklearn.') && options.mapOther) return options.mapOther(o);
    const version = o.state instanceof Map ? o.state.get('_sklearn_version') : undefined;
    throw new UnsupportedModelError(o.className, typeof version === 'string' ? `scikit-learn ${version}` : null);
  };
  if (!isPyObject(obj)) throw new ModelFormatError('', `expected a pickled estimator, got ${describePy(obj as PyValue)}`);
  return mapOne(obj);
}
