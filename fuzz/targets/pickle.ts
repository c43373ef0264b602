import { readFileSync } from 'node:fs';
import type { FuzzTarget } from '../target.js';
import { estimatorFromPython } from '../../src/formats/pickle/load-pickle.js';
import { unjoblib } from '../../src/formats/pickle/joblib.js';
import type { PyObject, PyValue } from '../../src/formats/pickle/py-value.js';
import { unpickle } from '../../src/formats/pickle/unpickle.js';
import type { Estimator } from '../../src/estimator.js';
import { RetailMlError } from '../../src/errors.js';

const fixtures = new URL('../../models/pickle/fixtures/', import.meta.url);
const SEEDS = [
  'xgb_classifier_binary.p2.pkl',
  'xgb_classifier_multi.p4.pkl',
  'xgb_regressor.p5.pkl',
  'xgb_booster_config_offset.p2.pkl',
  'xgb_booster.joblib',
  'numpy.p0.pkl',
  'numpy.p5.pkl',
  'numpy.joblib',
  'sklearn_DecisionTreeClassifier.p4.pkl',
  'sklearn_OneHotEncoder.p4.pkl',
  // scikit-learn Pipelines and ColumnTransformers (models/sklearn/export_state.py), for the mapping.
  '../../sklearn/pickles/pipeline_forest.pkl',
  '../../sklearn/pickles/pipeline_segmentation.pkl',
  '../../sklearn/pickles/column_transformer.pkl',
  '../../sklearn/pickles/gradient_boosting_binary.pkl',
];
// Small limits keep every mutated case fast; real models need far less than these.
const LIMITS = { maxBytes: 1 << 22, maxElements: 1 << 20, maxMemo: 100_000 };

/**
 * The safe unpickler, joblib reader and the XGBoost and scikit-learn mappings under mutation: bytes in, either
 * plain data / an estimator or a typed error out.
 *
 * @example
 * target.parse(readFileSync('models/pickle/fixtures/numpy.p4.pkl'));
 */
export const target: FuzzTarget = {
  name: 'pickle',
  seeds: () => SEEDS.map((f) => new Uint8Array(readFileSync(new URL(f, fixtures)))),
  parse(bytes) {
    // joblib files may be zlib streams (0x78) or pickles with arrays after them.
    const value: PyValue = bytes[0] === 0x78 || hasWrapper(bytes) ? unjoblib(bytes, LIMITS) : unpickle(bytes, LIMITS);
    if (value !== null && typeof value === 'object' && 'kind' in value && (value as PyObject).kind === 'object' && /^(xgboost|sklearn)\./.test((value as PyObject).className)) {
      return estimatorFromPython(value);
    }
    return value;
  },
  check(result) {
    const est = result as Estimator;
    if (!est || typeof est !== 'object' || !('estimatorType' in est)) return;
    // A typed row: mutated files may declare millions of features.
    const row = { data: new Float64Array(est.numFeaturesIn).fill(0.5), rows: 1, cols: est.numFeaturesIn };
    try {
      if (est.estimatorType === 'classifier' && est.predictProba) {
        const p = est.predictProba(row);
        if (p.data.length !== p.cols) throw new Error(`predictProba gave ${p.data.length} values for ${p.cols} classes`);
        for (const v of p.data) if (!(v >= 0 && v <= 1) && !Number.isNaN(v)) throw new Error(`probability ${v} outside [0, 1]`);
      } else if (est.predict) est.predict(row);
      else est.transform?.(row);
    } catch (error) {
      // A model may refuse this made-up row (e.g. a Pipeline expecting text columns), but only with a typed error.
      if (!(error instanceof RetailMlError)) throw error;
    }
  },
};

function hasWrapper(bytes: Uint8Array): boolean {
  const needle = 'NumpyArrayWrapper';
  outer: for (let i = 0; i + needle.length <= bytes.length && i < 4096; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}
