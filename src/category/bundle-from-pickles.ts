import { InputError, ModelFormatError } from '../errors.js';
import type { Estimator } from '../estimator.js';
import { LabelEncoderEstimator } from '../features/label-encoder-estimator.js';
import { OneHotEstimator } from '../features/one-hot-estimator.js';
import { loadPickle } from '../formats/pickle/load-pickle.js';
import { XGBoostEstimator } from '../formats/pickle/xgboost-estimator.js';
import { createCategoryBundle, type CategoryBundle } from './bundle.js';

/** The seed service's three pickles, as bytes (see `loadCategoryBundleFromPickles` in `retail-ml/node` for paths). */
export interface CategoryPickles {
  /** The pickled `XGBClassifier` (e.g. `xgb_model_category.pkl`). */
  model: Uint8Array;
  /** The pickled `LabelEncoder` whose classes name the model's outputs (`label_encoder.pkl`). */
  labelEncoder: Uint8Array;
  /** The pickled `OneHotEncoder`(s) of the categorical form fields (`onehot_encoder.pkl`). */
  oneHotEncoders?: readonly Uint8Array[];
}

/**
 * Builds the category recommender straight from the files a Python service keeps — the
 * pickled XGBClassifier, LabelEncoder and OneHotEncoder — read by the safe unpickler (no
 * Python, nothing in them can run). The bundle is the same as one from `bundle.json`: the
 * same checks, the same scores.
 *
 * @example
 * const bundle = createCategoryBundleFromPickles({ model: readFileSync('xgb_model_category.pkl'), labelEncoder: readFileSync('label_encoder.pkl'), oneHotEncoders: [readFileSync('onehot_encoder.pkl')] });
 * recommendCategories({ location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' }, bundle).top[0].label // => 'Home'
 */
export function createCategoryBundleFromPickles(pickles: CategoryPickles, options: CategoryPicklesOptions = {}): CategoryBundle {
  const model = expect(loadPickle(pickles.model), XGBoostEstimator, 'model', 'a pickled XGBClassifier');
  const labels = expect(loadPickle(pickles.labelEncoder), LabelEncoderEstimator, 'labelEncoder', 'a pickled LabelEncoder');
  const encoders = (pickles.oneHotEncoders ?? []).map((bytes, i) => expect(loadPickle(bytes), OneHotEstimator, `oneHotEncoders[${i}]`, 'a pickled OneHotEncoder'));
  const features = model.featureNamesIn ?? model.model.featureNames;
  if (!features) throw new ModelFormatError('model', 'the pickled model stores no feature names, so its inputs cannot be matched to the form; use a bundle.json that lists them');
  return createCategoryBundle({
    manifest: {
      format: 'retail-ml/category-recommender',
      formatVersion: 1,
      name: options.name ?? 'category-recommender',
      model: { type: 'xgboost', file: 'model.pkl' },
      labels: { type: 'LabelEncoder', classes: [...labels.classes] },
      encoders: encoders.map((e, i) => ({ ...e.encoder.toJSON(), features: encoderInputs(e, options.encoderInputs?.[i], i) })),
      features: [...features],
      missingFeatureFill: null,
      conflicts: 'form-wins',
      topK: options.topK ?? 3,
      featureTables: [],
    },
    model: model.model,
  });
}

/** Options of {@link createCategoryBundleFromPickles}. */
export interface CategoryPicklesOptions {
  name?: string;
  topK?: number;
  /**
   * The form fields each one-hot encoder reads, for encoders fitted on a plain array (no
   * `feature_names_in_`, so scikit-learn calls their inputs `x0`, …). Default: a one-input
   * encoder reads `location`, the form's categorical field, as the seed service fed it.
   */
  encoderInputs?: readonly (readonly string[] | undefined)[];
}

function encoderInputs(e: OneHotEstimator, given: readonly string[] | undefined, i: number): string[] {
  if (given) {
    if (given.length !== e.numFeaturesIn) throw new InputError(`encoderInputs[${i}] names ${given.length} inputs, the encoder has ${e.numFeaturesIn}`);
    return [...given];
  }
  if (e.featureNamesIn) return [...e.featureNamesIn];
  if (e.numFeaturesIn === 1) return ['location'];
  throw new InputError(`oneHotEncoders[${i}] was fitted on an unnamed array of ${e.numFeaturesIn} columns: say which form fields it reads with encoderInputs`);
}

function expect<T extends Estimator>(value: Estimator, type: abstract new (...args: never[]) => T, field: string, what: string): T {
  if (!(value instanceof type)) throw new InputError(`${field} must be ${what}, got a ${value.estimatorType} (${value.constructor.name})`);
  return value;
}
