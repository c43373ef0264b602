import { describeValue, ModelFormatError } from '../errors.js';
import { parseTolerantJson } from '../formats/tolerant-json.js';
import { buildEnsemble } from '../trees/index.js';
import type { TreeSpec } from '../trees/index.js';
import { TreeEnsembleClassifier } from './tree-classifier.js';

const MAX_NODES = 10_000_000;

function fail(where: string, detail: string): never {
  throw new ModelFormatError(where, detail);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function own(obj: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
}

interface FlatTree {
  left: number[];
  right: number[];
  feature: number[];
  threshold: number[];
  distributions: (number[] | null)[];
}

/** Walks an ml-cart node tree without recursion, so a deep or hostile tree cannot blow the stack. */
function flattenTree(root: unknown, featureMap: readonly number[] | null, where: string): FlatTree {
  const flat: FlatTree = { left: [], right: [], feature: [], threshold: [], distributions: [] };
  const stack: [unknown, number, string][] = [[root, -1, where]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [node, parentSlot, path] = stack.pop()!;
    if (!isObject(node)) fail(path, 'must be a tree node object');
    if (seen.has(node)) fail(path, 'node is shared or cyclic');
    seen.add(node);
    const id = flat.left.length;
    if (id >= MAX_NODES) fail(where, `more than ${MAX_NODES} nodes`);
    if (parentSlot >= 0) {
      const parent = parentSlot >> 1;
      if ((parentSlot & 1) === 0) flat.left[parent] = id;
      else flat.right[parent] = id;
    }
    const distribution = own(node, 'distribution');
    if (distribution !== undefined) {
      const row = Array.isArray(distribution) && Array.isArray(distribution[0]) ? distribution[0] : isObject(distribution) && Array.isArray(own(distribution, 'data')) ? (own(distribution, 'data') as unknown[])[0] : undefined;
      // Class fractions: a negative one would give a probability below 0 (and its
      // neighbours above 1) after normalising; the fuzz run found such files accepted.
      if (!Array.isArray(row) || row.length === 0 || row.some((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
        fail(`${path}.distribution`, 'must be a 1 × classes matrix of non-negative finite numbers');
      }
      flat.left.push(-1);
      flat.right.push(-1);
      flat.feature.push(0);
      flat.threshold.push(0);
      flat.distributions.push(row as number[]);
      continue;
    }
    const column = own(node, 'splitColumn');
    const value = own(node, 'splitValue');
    if (typeof column !== 'number' || !Number.isInteger(column) || column < 0) fail(`${path}.splitColumn`, `must be a column index, got ${describeValue(column)}`);
    if (typeof value !== 'number' || Number.isNaN(value)) fail(`${path}.splitValue`, `must be a number, got ${describeValue(value)}`);
    let feature = column;
    if (featureMap) {
      if (column >= featureMap.length) fail(`${path}.splitColumn`, `column ${column} is outside the tree's ${featureMap.length} selected features`);
      feature = featureMap[column];
    }
    flat.left.push(-2);
    flat.right.push(-2);
    flat.feature.push(feature);
    flat.threshold.push(value);
    flat.distributions.push(null);
    stack.push([own(node, 'right'), (id << 1) | 1, `${path}.right`]);
    stack.push([own(node, 'left'), id << 1, `${path}.left`]);
  }
  return flat;
}

/**
 * Loads an `ml-random-forest` 2.x `RandomForestClassifier` (or an `ml-cart`
 * `DecisionTreeClassifier`) saved with `JSON.stringify(model.toJSON())` onto the shared
 * tree engine, with correct probabilities: the mean over **all** trees of each leaf's class
 * fractions (the library's own `predictProbability` drops the first tree and counts hard votes).
 *
 * ml-cart splits go left iff `x < splitValue` in float64; the engine compares float32
 * inputs with float32 thresholds, so predictions match whenever inputs are float32 values
 * (integers, one-decimal codes, ...) — a value strictly between `fround(splitValue)` and
 * `splitValue` could go the other way. Classes are the integer labels 0…k−1.
 *
 * @example
 * const model = loadMlRandomForest(readFileSync('rf.json', 'utf8'), { numFeatures: 50 });
 * model.predictProba(rows); // rows × classes
 */
export function loadMlRandomForest(input: string | unknown, options: { numFeatures?: number; numClasses?: number } = {}): TreeEnsembleClassifier {
  const json: unknown = typeof input === 'string' ? parseTolerantJson(input) : input;
  if (!isObject(json)) fail('', 'model must be a JSON object');
  const name = own(json, 'name');
  let roots: { root: unknown; featureMap: number[] | null; where: string }[];
  if (name === 'RFClassifier') {
    const base = own(json, 'baseModel');
    if (!isObject(base)) fail('baseModel', 'must be an object');
    if (own(base, 'isClassifier') !== true) fail('baseModel.isClassifier', 'only classifiers are supported');
    const estimators = own(base, 'estimators');
    const indexes = own(base, 'indexes');
    if (!Array.isArray(estimators) || estimators.length === 0) fail('baseModel.estimators', 'must be a non-empty array');
    if (!Array.isArray(indexes) || indexes.length !== estimators.length) fail('baseModel.indexes', `must list the features of each of the ${estimators.length} trees`);
    roots = estimators.map((est, t) => {
      const features = indexes[t];
      if (!Array.isArray(features) || features.some((f) => typeof f !== 'number' || !Number.isInteger(f) || f < 0)) fail(`baseModel.indexes[${t}]`, 'must be feature indices');
      if (!isObject(est) || own(est, 'name') !== 'DTClassifier') fail(`baseModel.estimators[${t}]`, 'must be a DTClassifier');
      return { root: own(est, 'root'), featureMap: features as number[], where: `baseModel.estimators[${t}].root` };
    });
  } else if (name === 'DTClassifier') {
    roots = [{ root: own(json, 'root'), featureMap: null, where: 'root' }];
  } else {
    fail('name', `expected 'RFClassifier' or 'DTClassifier', got ${describeValue(name)}`);
  }

  const flats = roots.map((r) => flattenTree(r.root, r.featureMap, r.where));
  let maxFeature = -1;
  let numClasses = options.numClasses ?? 0;
  for (const flat of flats) {
    flat.left.forEach((l, i) => {
      if (l !== -1 && flat.feature[i] > maxFeature) maxFeature = flat.feature[i];
    });
    if (options.numClasses === undefined) for (const d of flat.distributions) if (d && d.length > numClasses) numClasses = d.length;
  }
  if (numClasses < 2) numClasses = 2;
  const numFeatures = options.numFeatures ?? maxFeature + 1;
  const specs: TreeSpec[] = flats.map((flat, t) => {
    const n = flat.left.length;
    const leafValues = new Float64Array(n * numClasses);
    flat.distributions.forEach((d, i) => {
      if (!d) return;
      if (d.length > numClasses) fail(`trees[${t}]`, `a leaf has ${d.length} classes, expected at most ${numClasses}`);
      let sum = 0;
      for (const v of d) sum += v;
      // ml-cart stores fractions that sum to 1 up to rounding; renormalise like predict_proba does.
      for (let c = 0; c < d.length; c++) leafValues[i * numClasses + c] = sum > 0 ? d[c] / sum : 0;
    });
    return { left: flat.left, right: flat.right, feature: flat.feature, threshold: flat.threshold, defaultLeft: new Uint8Array(n), leafValues, output: 0 };
  });
  const ensemble = buildEnsemble({
    numFeatures,
    numOutputs: numClasses,
    leafWidth: numClasses,
    trees: specs,
    splitRule: 'lt',
    accumulate: 'float64',
    baseMargin: new Float64Array(numClasses),
  });
  return new TreeEnsembleClassifier({
    estimator: 'ml-random-forest',
    ensemble,
    classes: Array.from({ length: numClasses }, (_, i) => i),
    link: 'average',
  });
}
