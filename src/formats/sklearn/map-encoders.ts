import { ModelFormatError, RetailMlError, UnsupportedModelError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import type { Category } from '../../features/categories.js';
import { LabelEncoder } from '../../features/label-encoder.js';
import { LabelEncoderEstimator } from '../../features/label-encoder-estimator.js';
import { OneHotEncoder } from '../../features/one-hot-encoder.js';
import { OneHotEstimator } from '../../features/one-hot-estimator.js';
import { OrdinalEncoder } from '../../features/ordinal-encoder.js';
import type { PyValue } from '../pickle/py-value.js';
import { describePy, isNdArray, pyList, pyNumber, pyValues, PyState } from './py-read.js';
import { pythonStr } from './python-str.js';

/** Rethrows the encoders' own input checks as a format error naming the attribute. */
function asFormatError<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof RetailMlError && !(e instanceof ModelFormatError)) throw new ModelFormatError(where, e.message, { cause: e });
    throw e;
  }
}

/**
 * `categories_`: one array per feature. NaN (how pandas and NumPy mark missing) becomes
 * `null`, the encoders' "missing"; `missingAt[f]` is its index.
 */
function readCategories(s: PyState): { categories: Category[][]; missingAt: (number | null)[]; names: string[][] } {
  const where = s.where('categories_');
  const lists = pyList(s.need('categories_'), where, s.featureCount());
  const missingAt: (number | null)[] = [];
  // Python's spelling of each category, for output names ('price_2.5', 'city_nan').
  const names = lists.map((list, f) => {
    const isFloat = isNdArray(list) && list.dtype.startsWith('<f');
    return pyValues(list, `${where}[${f}]`).map((c) => pythonStr(c, isFloat));
  });
  const categories = lists.map((list, f) =>
    pyValues(list, `${where}[${f}]`).map((c, j): Category => {
      if (typeof c === 'number' && Number.isNaN(c)) {
        missingAt[f] = j;
        return null;
      }
      if (typeof c === 'boolean') throw new ModelFormatError(`${where}[${f}][${j}]`, 'bool categories are not supported');
      return c;
    }),
  );
  for (let f = 0; f < categories.length; f++) missingAt[f] ??= null;
  return { categories, missingAt, names };
}

function inputNames(s: PyState): string[] {
  return s.featureNames() ?? Array.from({ length: s.featureCount() }, (_, j) => `x${j}`);
}

/**
 * `sklearn.preprocessing.LabelEncoder` onto retail-ml's `LabelEncoder`.
 *
 * @example
 * mapLabelEncoder(new PyState(obj)).inverseTransform([3]) // => ['Home']
 */
export function mapLabelEncoder(s: PyState): Estimator {
  const classes = pyValues(s.need('classes_'), s.where('classes_'));
  return asFormatError(s.where('classes_'), () => new LabelEncoderEstimator(LabelEncoder.fromClasses(classes as (string | number)[])));
}

/**
 * `sklearn.preprocessing.OneHotEncoder` (`handle_unknown` 'error' or 'ignore', any `drop`)
 * onto retail-ml's `OneHotEncoder`; output is dense.
 *
 * @example
 * mapOneHotEncoder(new PyState(obj)).transform([['Delhi']]);
 */
export function mapOneHotEncoder(s: PyState): Estimator {
  if (s.get('_infrequent_enabled') === true) throw new UnsupportedModelError(s.className, s.savedBy, 'with infrequent categories (min_frequency / max_categories) is not supported');
  const handle = s.string('handle_unknown');
  // Without infrequent categories, 'infrequent_if_exist' encodes an unknown category as all zeros, like 'ignore'.
  if (handle !== 'error' && handle !== 'ignore' && handle !== 'infrequent_if_exist') throw new ModelFormatError(s.where('handle_unknown'), `unknown value '${handle}'`);
  const { categories, names } = readCategories(s);
  const dropRaw = s.get('drop_idx_');
  const dropIndices: (number | null)[] =
    dropRaw === null || dropRaw === undefined
      ? categories.map(() => null)
      : pyValues(dropRaw as PyValue, s.where('drop_idx_')).map((d, f) => (d === null ? null : pyNumber(d as number, `${s.where('drop_idx_')}[${f}]`)));
  const named = s.featureNames() !== null;
  const features = inputNames(s);
  return asFormatError(s.where('categories_'), () =>
    new OneHotEstimator(OneHotEncoder.fromJSON({ type: 'OneHotEncoder', features, categories, handleUnknown: handle === 'error' ? 'error' : 'ignore', dropIndices }), named, names),
  );
}

/**
 * `sklearn.preprocessing.OrdinalEncoder` onto retail-ml's `OrdinalEncoder`.
 *
 * @example
 * mapOrdinalEncoder(new PyState(obj)).transform([['Delhi']]);
 */
export function mapOrdinalEncoder(s: PyState): Estimator {
  const { categories, missingAt } = readCategories(s);
  const handle = s.string('handle_unknown');
  if (handle !== 'error' && handle !== 'use_encoded_value') throw new ModelFormatError(s.where('handle_unknown'), `unknown value '${handle}'`);
  const unknown = s.get('unknown_value');
  const encodedMissing = s.has('encoded_missing_value') ? s.number('encoded_missing_value') : NaN;
  if (unknown !== null && unknown !== undefined && typeof unknown !== 'number' && typeof unknown !== 'bigint') {
    throw new ModelFormatError(s.where('unknown_value'), `must be a number or None, got ${describePy(unknown)}`);
  }
  return asFormatError(s.where('categories_'), () =>
    OrdinalEncoder.fromCategories(categories, {
      handleUnknown: handle,
      unknownValue: unknown === null || unknown === undefined ? NaN : pyNumber(unknown, s.where('unknown_value')),
      encodedMissingValue: encodedMissing,
      missingIndices: missingAt,
      featureNamesIn: s.featureNames(),
    }),
  );
}
