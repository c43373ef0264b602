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

function field(obj: Record<string, unknown>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
}

/**
 * Loads tree-ensemble JSON (text or parsed) exported from scikit-learn by
 * `models/forest/export_sklearn.py`, or saved by our own `RandomForestClassifier.toJSON()`,
 * and compiles it onto the shared tree engine. `predictProba` then equals scikit-learn's
 * to 1e-12. Malformed or hostile JSON throws {@link ModelFormatError}.
 *
 * @example
 * const model = loadSklearnTrees(readFileSync('forest.json', 'utf8'));
 * model.predictProba([[5.1, 3.5, 1.4, 0.2]]);
 */
export function loadSklearnTrees(input: string | unknown): TreeEnsembleClassifier {
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
      value: numberArray(field(tr, 'value'), `${where}.value`, n * expectedWidth),
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

/** Mean of the per-tree normalised importances over trees that split at least once, renormalised. */
function forestImportances(
  trees: { left: number[]; right: number[]; feature: number[]; impurity?: number[]; weightedNodeSamples?: number[] }[],
  numFeatures: number,
): Float64Array | undefined {
  if (trees.some((t) => !t.impurity || !t.weightedNodeSamples)) return undefined;
  const perTree = trees
    .filter((t) => t.left.length > 1)
    .map((t) => {
      for (let i = 0; i < t.left.length; i++) {
        if (t.left[i] !== -1 && !(t.feature[i] >= 0 && t.feature[i] < numFeatures && t.left[i] < t.left.length && t.right[i] < t.left.length)) {
          fail('trees', `node ${i} is inconsistent`);
        }
      }
      return treeImportances(
        { nodeCount: t.left.length, left: Int32Array.from(t.left), right: Int32Array.from(t.right), feature: Int32Array.from(t.feature), impurity: Float64Array.from(t.impurity!), weightedNodeSamples: Float64Array.from(t.weightedNodeSamples!) },
        numFeatures,
      );
    });
  return averageImportances(perTree, numFeatures);
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
