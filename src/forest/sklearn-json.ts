import { describeValue, ModelFormatError } from '../errors.js';
import { parseTolerantJson } from '../formats/tolerant-json.js';
import { buildEnsemble } from '../trees/index.js';
import type { TreeSpec } from '../trees/index.js';
import { treeImportances } from './cart.js';
import { compileClassTrees } from './compile.js';
import type { ClassLabel } from './matrix.js';
import { TreeEnsembleClassifier } from './tree-classifier.js';
import type { ProbabilityLink } from './tree-classifier.js';

/** Format tag of tree-ensemble JSON written by `models/forest/export_sklearn.py` and by our own forests. */
export const SKLEARN_TREES_FORMAT = 'sklearn-trees';

/** Estimators the JSON format can hold. */
export type SklearnTreeEstimator = 'RandomForestClassifier' | 'ExtraTreesClassifier' | 'DecisionTreeClassifier' | 'GradientBoostingClassifier';

/** One tree, scikit-learn's `tree_` arrays; `value` is flattened `nodes × value_width`. */
export interface SklearnTreeJson {
  children_left: number[];
  children_right: number[];
  feature: number[];
  threshold: number[];
  value: number[];
  impurity?: number[];
  n_node_samples?: number[];
  weighted_n_node_samples?: number[];
}

/**
 * A fitted scikit-learn tree classifier as JSON. Forests and single trees hold class
 * counts (`value_width` = number of classes); gradient boosting holds regression trees
 * (`value_width` 1) ordered stage by stage, `trees_per_stage` per stage.
 */
export interface SklearnTreesJson {
  format: typeof SKLEARN_TREES_FORMAT;
  version: 1;
  estimator: SklearnTreeEstimator;
  producer?: string;
  n_features: number;
  feature_names?: string[] | null;
  classes: ClassLabel[];
  value_width: number;
  trees: SklearnTreeJson[];
  /** Gradient boosting only. */
  learning_rate?: number;
  init_raw?: number[];
  loss?: 'log_loss' | 'deviance' | 'exponential';
  trees_per_stage?: number;
}

function fail(where: string, detail: string): never {
  throw new ModelFormatError(where, detail);
}

function numberArray(value: unknown, where: string, length?: number): number[] {
  if (!Array.isArray(value)) fail(where, 'must be an array of numbers');
  if (length !== undefined && value.length !== length) fail(where, `length ${value.length}, expected ${length}`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'number' || Number.isNaN(value[i])) fail(`${where}[${i}]`, `must be a number, got ${describeValue(value[i])}`);
  }
  return value as number[];
}

/**
 * Leaf values must be finite; class counts also non-negative. A count of -1 or Infinity
 * would turn into a probability such as -1.5 or NaN after normalising.
 */
function finiteValues(values: number[], where: string, counts: boolean): number[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || (counts && v < 0)) fail(`${where}[${i}]`, `must be a ${counts ? 'non-negative ' : ''}finite number, got ${v}`);
  }
  return values;
}

function field(obj: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
}

/**
 * Options for {@link loadSklearnTrees}.
 *
 * @example
 * loadSklearnTrees(json, { maxFeatures: 5_000_000 });
 */
export interface SklearnTreesOptions {
  /**
   * Largest `n_features` accepted (default 2^20). Checked before anything is sized by it:
   * a 1 KB file declaring 1e9 features would otherwise ask for gigabytes of importances.
   */
  maxFeatures?: number;
}

/**
 * Default bound on `n_features`.
 *
 * @example
 * DEFAULT_MAX_SKLEARN_FEATURES // => 1048576
 */
export const DEFAULT_MAX_SKLEARN_FEATURES = 1 << 20;

/**
 * Loads tree-ensemble JSON (text or parsed) exported from scikit-learn by
 * `models/forest/export_sklearn.py`, or saved by our own `RandomForestClassifier.toJSON()`,
 * and compiles it onto the shared tree engine. `predictProba` then equals scikit-learn's
 * to 1e-12. Malformed or hostile JSON throws {@link ModelFormatError}, including class
 * counts that are negative or infinite (they would give probabilities outside [0, 1] or
 * NaN) and `n_features` above `options.maxFeatures`.
 *
 * @example
 * const model = loadSklearnTrees(readFileSync('forest.json', 'utf8'));
 * model.predictProba([[5.1, 3.5, 1.4, 0.2]]);
 */
export function loadSklearnTrees(input: string | unknown, options: SklearnTreesOptions = {}): TreeEnsembleClassifier {
  const maxFeatures = options.maxFeatures ?? DEFAULT_MAX_SKLEARN_FEATURES;
  const json: unknown = typeof input === 'string' ? parseTolerantJson(input) : input;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('', 'model must be a JSON object');
  const obj = json as Record<string, unknown>;
  if (field(obj, 'format') !== SKLEARN_TREES_FORMAT) fail('format', `expected '${SKLEARN_TREES_FORMAT}', got ${describeValue(field(obj, 'format'))}`);
  if (field(obj, 'version') !== 1) fail('version', `unsupported version ${JSON.stringify(field(obj, 'version'))}`);
  const estimator = field(obj, 'estimator');
  const known: SklearnTreeEstimator[] = ['RandomForestClassifier', 'ExtraTreesClassifier', 'DecisionTreeClassifier', 'GradientBoostingClassifier'];
  if (!known.includes(estimator as SklearnTreeEstimator)) fail('estimator', `unsupported estimator ${JSON.stringify(estimator)}`);
  const numFeatures = field(obj, 'n_features');
  if (typeof numFeatures !== 'number' || !Number.isInteger(numFeatures) || numFeatures < 1) fail('n_features', `must be a positive integer, got ${describeValue(numFeatures)}`);
  if (numFeatures > maxFeatures) fail('n_features', `${numFeatures} exceeds the limit ${maxFeatures} (maxFeatures)`);
  const classes = field(obj, 'classes');
  if (!Array.isArray(classes) || classes.length < 2) fail('classes', 'must list at least 2 classes');
  const kind = typeof classes[0];
  if (!['number', 'string', 'boolean'].includes(kind) || classes.some((c) => typeof c !== kind)) fail('classes', 'must be all numbers, all strings or all booleans');
  if (new Set(classes).size !== classes.length) fail('classes', 'must be distinct');
  const featureNames = field(obj, 'feature_names');
  if (featureNames !== undefined && featureNames !== null) {
    if (!Array.isArray(featureNames) || featureNames.length !== numFeatures || featureNames.some((n) => typeof n !== 'string')) {
      fail('feature_names', `must be ${numFeatures} strings`);
    }
  }
  const trees = field(obj, 'trees');
  if (!Array.isArray(trees) || trees.length < 1) fail('trees', 'must be a non-empty array');
  const isBoosting = estimator === 'GradientBoostingClassifier';
  const numClasses = classes.length;
  const valueWidth = field(obj, 'value_width');
  const expectedWidth = isBoosting ? 1 : numClasses;
  if (valueWidth !== expectedWidth) fail('value_width', `must be ${expectedWidth} for ${describeValue(estimator)} with ${numClasses} classes, got ${describeValue(valueWidth)}`);
  if (estimator === 'DecisionTreeClassifier' && trees.length !== 1) fail('trees', `a DecisionTreeClassifier has 1 tree, got ${trees.length}`);

  const parsed = trees.map((tree: unknown, t: number) => {
    const where = `trees[${t}]`;
    if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) fail(where, 'must be an object');
    const tr = tree as Record<string, unknown>;
    const left = numberArray(field(tr, 'children_left'), `${where}.children_left`);
    const n = left.length;
    const optional = (name: string): number[] | undefined =>
      field(tr, name) === undefined ? undefined : numberArray(field(tr, name), `${where}.${name}`, n);
    return {
      left,
      right: numberArray(field(tr, 'children_right'), `${where}.children_right`, n),
      feature: numberArray(field(tr, 'feature'), `${where}.feature`, n),
      threshold: numberArray(field(tr, 'threshold'), `${where}.threshold`, n),
      value: finiteValues(numberArray(field(tr, 'value'), `${where}.value`, n * expectedWidth), `${where}.value`, !isBoosting),
      impurity: optional('impurity'),
      weightedNodeSamples: optional('weighted_n_node_samples'),
    };
  });
  const names = (featureNames ?? undefined) as string[] | undefined;

  if (!isBoosting) {
    const ensemble = compileClassTrees(parsed, numFeatures, numClasses);
    return new TreeEnsembleClassifier({
      estimator: estimator as string,
      ensemble,
      classes: classes as ClassLabel[],
      link: 'average',
      featureNames: names,
      featureImportances: forestImportances(parsed, numFeatures),
    });
  }

  const learningRate = field(obj, 'learning_rate');
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate)) fail('learning_rate', 'must be a finite number');
  const perStage = numClasses === 2 ? 1 : numClasses;
  if (field(obj, 'trees_per_stage') !== perStage) fail('trees_per_stage', `must be ${perStage} for ${numClasses} classes`);
  if (trees.length % perStage !== 0) fail('trees', `${trees.length} trees is not a whole number of stages of ${perStage}`);
  const initRaw = numberArray(field(obj, 'init_raw'), 'init_raw', perStage);
  const loss = field(obj, 'loss');
  if (loss !== 'log_loss' && loss !== 'deviance' && loss !== 'exponential') fail('loss', `unsupported loss ${JSON.stringify(loss)}`);
  if (loss === 'exponential' && numClasses !== 2) fail('loss', 'exponential loss needs 2 classes');
  const link: ProbabilityLink = numClasses > 2 ? 'softmax' : loss === 'exponential' ? 'exponential-sigmoid' : 'sigmoid';
  const specs: TreeSpec[] = parsed.map((tree, t) => ({
    left: tree.left,
    right: tree.right,
    feature: tree.feature,
    threshold: tree.threshold,
    defaultLeft: new Uint8Array(tree.left.length),
    leafValues: tree.value,
    output: t % perStage,
    weight: learningRate,
  }));
  const ensemble = buildEnsemble({
    numFeatures,
    numOutputs: perStage,
    leafWidth: 1,
    trees: specs,
    splitRule: 'le',
    accumulate: 'float64',
    baseMargin: initRaw,
    iterationIndptr: Array.from({ length: trees.length / perStage + 1 }, (_, i) => i * perStage),
  });
  return new TreeEnsembleClassifier({ estimator: 'GradientBoostingClassifier', ensemble, classes: classes as ClassLabel[], link, featureNames: names });
}

/**
 * Mean of the per-tree normalised importances over trees that split at least once,
 * renormalised. Each tree's contributions are kept sparse (only the features it splits
 * on), so memory is one `numFeatures` array however many trees there are; the additions
 * happen in the same order as {@link treeImportances} + {@link averageImportances}, so the
 * result is bit-identical to theirs.
 */
function forestImportances(
  trees: { left: number[]; right: number[]; feature: number[]; impurity?: number[]; weightedNodeSamples?: number[] }[],
  numFeatures: number,
): Float64Array | undefined {
  if (trees.some((t) => !t.impurity || !t.weightedNodeSamples)) return undefined;
  const out = new Float64Array(numFeatures);
  let splitting = 0;
  for (const t of trees) {
    if (t.left.length <= 1) continue;
    const n = t.left.length;
    const w = t.weightedNodeSamples!;
    const imp = t.impurity!;
    const perFeature = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const l = t.left[i];
      if (l === -1) continue;
      const r = t.right[i];
      const f = t.feature[i];
      if (!(f >= 0 && f < numFeatures && l >= 0 && l < n && r >= 0 && r < n)) fail('trees', `node ${i} is inconsistent`);
      perFeature.set(f, (perFeature.get(f) ?? 0) + (w[i] * imp[i] - w[l] * imp[l] - w[r] * imp[r]));
    }
    const features = [...perFeature.keys()].sort((a, b) => a - b);
    let sum = 0;
    for (const f of features) sum += perFeature.get(f)! / w[0];
    if (sum > 0) for (const f of features) out[f] += perFeature.get(f)! / w[0] / sum;
    else for (const f of features) out[f] += perFeature.get(f)!;
    splitting++;
  }
  if (splitting === 0) return out;
  let total = 0;
  for (let f = 0; f < numFeatures; f++) {
    out[f] /= splitting;
    total += out[f];
  }
  if (total > 0) for (let f = 0; f < numFeatures; f++) out[f] /= total;
  return out;
}

/**
 * scikit-learn's forest importances: the mean over trees with a split, renormalised to sum to 1.
 *
 * @example
 * averageImportances([Float64Array.of(1, 0), Float64Array.of(0.5, 0.5)], 2) // => Float64Array [0.75, 0.25]
 */
export function averageImportances(perTree: readonly Float64Array[], numFeatures: number): Float64Array {
  const out = new Float64Array(numFeatures);
  if (perTree.length === 0) return out;
  for (const imp of perTree) for (let f = 0; f < numFeatures; f++) out[f] += imp[f];
  let sum = 0;
  for (let f = 0; f < numFeatures; f++) {
    out[f] /= perTree.length;
    sum += out[f];
  }
  if (sum > 0) for (let f = 0; f < numFeatures; f++) out[f] /= sum;
  return out;
}
