import { describeValue, ModelFormatError } from '../errors.js';
import type { Estimator } from '../estimator.js';
import { KMeansEstimator } from '../cluster/kmeans-estimator.js';
import { LabelEncoderEstimator } from '../features/label-encoder-estimator.js';
import { OneHotEstimator } from '../features/one-hot-estimator.js';
import { OrdinalEncoder } from '../features/ordinal-encoder.js';
import { SKLEARN_TREES_FORMAT, type SklearnTreesJson } from '../forest/sklearn-json.js';
import { TreeClassifierEstimator } from '../forest/tree-classifier-estimator.js';
import { TreeEnsembleRegressor } from '../forest/tree-regressor.js';
import { MinMaxScaler } from '../preprocess/min-max-scaler.js';
import { NumericTransformer } from '../preprocess/numeric-transformer.js';
import { ColumnTransformer } from './column-transformer.js';
import { Pipeline } from './pipeline.js';

/**
 * Restores any estimator-protocol model from its `toJSON()`: pipelines and column
 * transformers with all their steps, tree classifiers (`sklearn-trees` JSON) and
 * regressors, k-means, scalers, PCA, power transform, imputer and encoders. JSON of a
 * kind it does not know goes to `other` (e.g. your XGBoost loader), else it is a
 * {@link ModelFormatError}.
 *
 * @example
 * const copy = estimatorFromJSON(JSON.parse(JSON.stringify(pipeline)));
 * copy.predict!(rows);
 */
export function estimatorFromJSON(json: unknown, other?: (json: unknown) => Estimator): Estimator {
  const revive = (j: unknown): Estimator => estimatorFromJSON(j, other);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ModelFormatError('estimator', `must be a JSON object, got ${describeValue(json)}`);
  const o = json as { type?: unknown; format?: unknown };
  if (o.format === SKLEARN_TREES_FORMAT) return TreeClassifierEstimator.fromJSON(json as SklearnTreesJson);
  switch (o.type) {
    case 'Pipeline':
      return Pipeline.fromJSON(json, revive);
    case 'ColumnTransformer':
      return ColumnTransformer.fromJSON(json, revive);
    case 'TreeEnsembleRegressor':
      return TreeEnsembleRegressor.fromJSON(json);
    case 'KMeans':
      return KMeansEstimator.fromJSON(json);
    case 'NumericTransformer':
      return NumericTransformer.fromJSON(json);
    case 'MinMaxScaler':
      return MinMaxScaler.fromJSON(json);
    case 'OneHotEstimator':
      return OneHotEstimator.fromJSON(json);
    case 'OrdinalEncoder':
      return OrdinalEncoder.fromJSON(json);
    case 'LabelEncoder':
      return LabelEncoderEstimator.fromJSON(json);
    default:
      if (other) return other(json);
      throw new ModelFormatError('estimator.type', `unknown estimator ${describeValue(o.type ?? o.format)}`);
  }
}
