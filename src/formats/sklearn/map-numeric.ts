import { ModelFormatError, UnsupportedModelError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import { KMeansEstimator } from '../../cluster/kmeans-estimator.js';
import { SimpleImputer } from '../../preprocess/impute.js';
import { MinMaxScaler } from '../../preprocess/min-max-scaler.js';
import { NumericTransformer } from '../../preprocess/numeric-transformer.js';
import { PCA } from '../../preprocess/pca.js';
import { PowerTransformer } from '../../preprocess/power-transformer.js';
import { StandardScaler, type StandardScalerJSON } from '../../preprocess/standard-scaler.js';
import { describePy, isNdArray, isPyObject, pyFloats, pyList, PyState } from './py-read.js';

/**
 * scikit-learn subtracts `mean_` only `with_mean` and divides by `scale_` only `with_std`
 * (it still stores the mean without centring): otherwise x − 0 and x / 1, exactly.
 */
function standardScalerJson(s: PyState): StandardScalerJSON {
  const n = s.featureCount();
  const fill = (v: number) => new Array<number>(n).fill(v);
  const withMean = s.bool('with_mean', true);
  const withStd = s.bool('with_std', true);
  const seen = s.get('n_samples_seen_');
  return {
    type: 'StandardScaler',
    mean: withMean ? Array.from(s.floats('mean_', n)) : fill(0),
    var: s.get('var_') === null ? fill(0) : Array.from(s.floats('var_', n)),
    scale: withStd ? Array.from(s.floats('scale_', n)) : fill(1),
    nSamplesSeen: isNdArray(seen) ? Array.from(s.floats('n_samples_seen_', n)) : fill(s.number('n_samples_seen_')),
  };
}

/**
 * `sklearn.preprocessing.StandardScaler` onto retail-ml's `StandardScaler`.
 *
 * @example
 * mapStandardScaler(new PyState(obj)).transform(rows);
 */
export function mapStandardScaler(s: PyState): Estimator {
  return new NumericTransformer({ step: StandardScaler.fromJSON(standardScalerJson(s)), numFeaturesIn: s.featureCount(), featureNamesIn: s.featureNames() });
}

/**
 * `sklearn.preprocessing.MinMaxScaler` onto retail-ml's `MinMaxScaler`.
 *
 * @example
 * mapMinMaxScaler(new PyState(obj)).transform(rows);
 */
export function mapMinMaxScaler(s: PyState): Estimator {
  const n = s.featureCount();
  const range = pyFloats(pyList(s.need('feature_range'), s.where('feature_range'), 2) as number[], s.where('feature_range'), 2);
  return new MinMaxScaler(
    s.floats('scale_', n),
    s.floats('min_', n),
    { featureRange: [range[0], range[1]], clip: s.bool('clip', false), dataMin: s.floats('data_min_', n), dataMax: s.floats('data_max_', n) },
    s.featureNames(),
  );
}

/**
 * `sklearn.preprocessing.PowerTransformer` (Yeo-Johnson, standardised or not) onto
 * retail-ml's `PowerTransformer`.
 *
 * @example
 * mapPowerTransformer(new PyState(obj)).transform(rows);
 */
export function mapPowerTransformer(s: PyState): Estimator {
  const method = s.string('method');
  if (method !== 'yeo-johnson') throw new UnsupportedModelError(s.className, s.savedBy, `with method '${method}' is not supported (only 'yeo-johnson')`);
  const n = s.featureCount();
  let scaler: StandardScalerJSON | null = null;
  if (s.bool('standardize')) {
    const inner = s.need('_scaler');
    if (!isPyObject(inner)) throw new ModelFormatError(s.where('_scaler'), `must be a StandardScaler, got ${describePy(inner)}`);
    scaler = standardScalerJson(new PyState(inner));
  }
  const step = PowerTransformer.fromJSON({ type: 'PowerTransformer', method, lambdas: Array.from(s.floats('lambdas_', n)), scaler });
  return new NumericTransformer({ step, numFeaturesIn: n, featureNamesIn: s.featureNames() });
}

/**
 * `sklearn.decomposition.PCA` (incl. `whiten=True`) onto retail-ml's `PCA`; outputs are
 * named `pca0`, `pca1`, … as scikit-learn names them.
 *
 * @example
 * mapPCA(new PyState(obj)).transform(rows);
 */
export function mapPCA(s: PyState): Estimator {
  const n = s.featureCount();
  const comps = s.floats('components_');
  const k = comps.length / n;
  if (!Number.isInteger(k) || k < 1) throw new ModelFormatError(s.where('components_'), `has ${comps.length} values for ${n} features`);
  const variance = s.floats('explained_variance_', k);
  const step = PCA.fromJSON({
    type: 'PCA',
    mean: Array.from(s.floats('mean_', n)),
    components: Array.from({ length: k }, (_, c) => Array.from(comps.subarray(c * n, (c + 1) * n))),
    explainedVariance: Array.from(variance),
    explainedVarianceRatio: Array.from(s.floats('explained_variance_ratio_', k)),
    singularValues: Array.from(s.floats('singular_values_', k)),
  });
  return new NumericTransformer({
    step,
    numFeaturesIn: n,
    featureNamesIn: s.featureNames(),
    outputDivisor: s.bool('whiten', false) ? variance.map(Math.sqrt) : null,
    outputNames: Array.from({ length: k }, (_, c) => `pca${c}`),
  });
}

/**
 * `sklearn.impute.SimpleImputer` (NaN as the missing value, numeric statistics) onto
 * retail-ml's `SimpleImputer`. Columns that had no value in fitting are dropped from the
 * output, as scikit-learn 1.2 drops them (unless `keep_empty_features`, which fills 0).
 *
 * @example
 * mapSimpleImputer(new PyState(obj)).transform(rows);
 */
export function mapSimpleImputer(s: PyState): Estimator {
  const missing = s.get('missing_values');
  if (!(typeof missing === 'number' && Number.isNaN(missing))) {
    throw new UnsupportedModelError(s.className, s.savedBy, `with missing_values=${describePy(missing)} is not supported (only NaN)`);
  }
  if (s.get('indicator_') !== null && s.get('indicator_') !== undefined) throw new UnsupportedModelError(s.className, s.savedBy, 'with add_indicator=True is not supported');
  const strategy = s.string('strategy');
  if (strategy !== 'mean' && strategy !== 'median' && strategy !== 'most_frequent' && strategy !== 'constant') {
    throw new ModelFormatError(s.where('strategy'), `unknown strategy '${strategy}'`);
  }
  const n = s.featureCount();
  const stats = s.floats('statistics_', n);
  const keepEmpty = s.bool('keep_empty_features', false);
  const kept: number[] = [];
  const values: number[] = [];
  stats.forEach((v, j) => {
    if (v === v) {
      kept.push(j);
      values.push(v);
    } else if (strategy === 'constant' || keepEmpty) {
      kept.push(j);
      values.push(strategy === 'constant' ? v : 0);
    }
  });
  const step = SimpleImputer.fromJSON({ type: 'SimpleImputer', strategy, statistics: values });
  return new NumericTransformer({ step, numFeaturesIn: n, featureNamesIn: s.featureNames(), inputColumns: kept.length === n ? null : kept });
}

/**
 * `sklearn.cluster.KMeans` onto retail-ml's k-means assignment (labels identical to
 * scikit-learn's `predict`).
 *
 * @example
 * mapKMeans(new PyState(obj)).predict(rows);
 */
export function mapKMeans(s: PyState): Estimator {
  const n = s.featureCount();
  const centers = s.floats('cluster_centers_');
  const k = centers.length / n;
  if (!Number.isInteger(k) || k < 1) throw new ModelFormatError(s.where('cluster_centers_'), `has ${centers.length} values for ${n} features`);
  return new KMeansEstimator({ data: Float64Array.from(centers), rows: k, cols: n }, s.featureNames());
}
