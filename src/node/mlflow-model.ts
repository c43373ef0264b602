import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { createRequire } from 'node:module';
import { InputError, ModelFormatError, UnsupportedModelError } from '../errors.js';
import type { Estimator } from '../estimator.js';
import { loadJoblib } from '../formats/pickle/load-pickle.js';
import { XGBoostEstimator } from '../formats/pickle/xgboost-estimator.js';
import { xgboostEstimatorFromBytes } from '../formats/pickle/xgboost-from-python.js';

// yaml is loaded on the first MLmodel read, not on `import 'retail-ml/node'`: it is a
// CommonJS package in Node, and its load cost ~35 ms of every import.
let yamlParse: ((text: string, options: { maxAliasCount: number }) => unknown) | undefined;
function parseYaml(text: string): unknown {
  yamlParse ??= (createRequire(import.meta.url)('yaml') as { parse: typeof yamlParse }).parse;
  return yamlParse!(text, { maxAliasCount: 50 });
}

/**
 * Loads an MLflow model folder: reads `MLmodel` (YAML) and loads the `xgboost` flavour
 * (`model.xgb` legacy binary, `.json` or `.ubj`, scored as its `model_class`) or the
 * `sklearn` flavour (`pickled_model`, pickle or cloudpickle; cloudpickle of a plain
 * estimator is an ordinary pickle) through the safe unpickler. When the signature names
 * its input columns and the model stores none, the estimator matches inputs by those names.
 *
 * @example
 * const model = loadMlflowModel('mlruns/0/abc/artifacts/model');
 */
export function loadMlflowModel(dir: string): Estimator {
  const mlmodelPath = join(dir, 'MLmodel');
  if (!existsSync(mlmodelPath)) throw new InputError(`${dir} is a folder without an MLmodel file (not an MLflow model)`);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(mlmodelPath, 'utf8'));
  } catch (error) {
    throw new ModelFormatError('MLmodel', `not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})`);
  }
  if (doc === null || typeof doc !== 'object') throw new ModelFormatError('MLmodel', 'expected a mapping');
  const flavors = (doc as Record<string, unknown>).flavors as Record<string, Record<string, unknown>> | undefined;
  if (!flavors || typeof flavors !== 'object') throw new ModelFormatError('MLmodel.flavors', 'missing');
  const names = signatureNames((doc as Record<string, unknown>).signature);

  let model: Estimator;
  const xgb = flavors.xgboost;
  const sk = flavors.sklearn;
  if (xgb && typeof xgb === 'object') {
    const data = inside(dir, typeof xgb.data === 'string' ? xgb.data : 'model.xgb', 'MLmodel.flavors.xgboost.data');
    const modelClass = typeof xgb.model_class === 'string' ? xgb.model_class : 'xgboost.core.Booster';
    model = xgboostEstimatorFromBytes(readFileSync(data), modelClass);
  } else if (sk && typeof sk === 'object') {
    const format = sk.serialization_format ?? 'cloudpickle';
    if (format !== 'pickle' && format !== 'cloudpickle') throw new UnsupportedModelError(`MLflow sklearn serialization '${String(format)}'`, typeof sk.sklearn_version === 'string' ? `scikit-learn ${sk.sklearn_version}` : null, 'is not read (only pickle and cloudpickle are)');
    const file = inside(dir, typeof sk.pickled_model === 'string' ? sk.pickled_model : 'model.pkl', 'MLmodel.flavors.sklearn.pickled_model');
    model = loadJoblib(readFileSync(file));
  } else {
    const loader = flavors.python_function?.loader_module;
    throw new UnsupportedModelError(`MLflow flavour ${Object.keys(flavors).join(', ')}${typeof loader === 'string' ? ` (${loader})` : ''}`, null, 'is not read (retail-ml reads the xgboost and sklearn flavours)');
  }
  if (names && !model.featureNamesIn && model instanceof XGBoostEstimator && names.length === model.numFeaturesIn) model = model.withFeatureNames(names);
  return model;
}

/** The input column names of a column-based signature (`inputs` is a JSON string in MLmodel). */
function signatureNames(signature: unknown): string[] | null {
  if (!signature || typeof signature !== 'object') return null;
  const inputs = (signature as Record<string, unknown>).inputs;
  if (typeof inputs !== 'string') return null;
  let specs: unknown;
  try {
    specs = JSON.parse(inputs);
  } catch {
    throw new ModelFormatError('MLmodel.signature.inputs', 'not valid JSON');
  }
  if (!Array.isArray(specs) || specs.length === 0) return null;
  const names = specs.map((s) => (s && typeof s === 'object' ? (s as Record<string, unknown>).name : undefined));
  return names.every((n): n is string => typeof n === 'string') ? names : null;
}

/** A file named by MLmodel, refused when it points outside the model folder. */
function inside(dir: string, name: string, where: string): string {
  const rel = normalize(name);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) throw new ModelFormatError(where, `'${name}' points outside the model folder`);
  const path = join(dir, rel);
  if (!existsSync(path)) throw new ModelFormatError(where, `'${name}' does not exist in the model folder`);
  return path;
}
