import { FitError, InputError } from '../errors.js';
import { isTable } from '../features/is-table.js';
import type { Table } from '../features/table.js';
import { runSteps, runStepsAsync, type CancellableOptions, type Steps } from '../steps.js';
import { growTree, prepareData, treeImportances } from './cart.js';
import type { Criterion, PreparedData, TreeArrays } from './cart.js';
import { compileClassTrees } from './compile.js';
import { encodeLabels, toFloat32Matrix } from './matrix.js';
import type { ClassLabel, FeatureInput } from './matrix.js';
import { seededRandom } from './random.js';
import { averageImportances, SKLEARN_TREES_FORMAT } from './sklearn-json.js';
import type { SklearnTreeEstimator, SklearnTreesJson } from './sklearn-json.js';
import { TreeEnsembleClassifier } from './tree-classifier.js';
import { TreeClassifierEstimator } from './tree-classifier-estimator.js';

/** Features tried per split, as scikit-learn's `max_features`. */
export type MaxFeatures = 'sqrt' | 'log2' | 'all' | number;

/** Options shared by {@link DecisionTreeClassifier} and {@link RandomForestClassifier}, scikit-learn's names in camelCase. */
export interface TreeOptions {
  /** 'gini' (default) or 'entropy'. */
  criterion?: Criterion;
  /** Deepest level a leaf may sit at; default unlimited. */
  maxDepth?: number;
  /** A node with fewer (distinct, in-bag) rows is not split; default 2. */
  minSamplesSplit?: number;
  /** Each child keeps at least this many rows; default 1. */
  minSamplesLeaf?: number;
  /** Features drawn at each split: 'sqrt', 'log2', 'all', a count (integer ≥ 1) or a fraction in (0, 1). */
  maxFeatures?: MaxFeatures;
  /** 'balanced' weighs classes by n / (k · count); 'balanced_subsample' does so per bootstrap sample. */
  classWeight?: 'balanced' | 'balanced_subsample' | null;
  /** Seed of the generator; one seed gives one model everywhere. Default 0. */
  seed?: number;
  /** Names of the feature columns, kept in the model. */
  featureNames?: readonly string[];
}

/** Options of {@link RandomForestClassifier}. */
export interface ForestOptions extends TreeOptions {
  /** Number of trees; default 100. */
  nEstimators?: number;
  /** Draw each tree's rows with replacement; default true. */
  bootstrap?: boolean;
  /** Called after each tree with (trees done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** What `fit` takes besides features and labels. */
export interface FitOptions {
  /** Per-row weights (non-negative), multiplied into bootstrap counts and class weights. */
  sampleWeight?: ArrayLike<number>;
}

function positiveInteger(value: number, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new InputError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

/**
 * Resolves `maxFeatures` to a count, as scikit-learn does (`max(1, int(...))`).
 *
 * @example
 * resolveMaxFeatures('sqrt', 50) // => 7
 */
export function resolveMaxFeatures(maxFeatures: MaxFeatures, numFeatures: number): number {
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(numFeatures)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(numFeatures)));
  if (maxFeatures === 'all') return numFeatures;
  if (typeof maxFeatures === 'number' && Number.isInteger(maxFeatures) && maxFeatures >= 1) {
    if (maxFeatures > numFeatures) throw new InputError(`maxFeatures ${maxFeatures} exceeds the ${numFeatures} features`);
    return maxFeatures;
  }
  if (typeof maxFeatures === 'number' && maxFeatures > 0 && maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * numFeatures));
  throw new InputError(`maxFeatures must be 'sqrt', 'log2', 'all', an integer ≥ 1 or a fraction in (0, 1), got ${String(maxFeatures)}`);
}

interface Fitted {
  classes: ClassLabel[];
  featureNames: readonly string[] | undefined;
  numFeatures: number;
  trees: TreeArrays[];
  model: TreeEnsembleClassifier;
}

function prepareFit(x: FeatureInput, y: ArrayLike<ClassLabel>, options: FitOptions, featureNames: readonly string[] | undefined) {
  const { data, numRows, numFeatures } = toFloat32Matrix(x, { featureNames });
  if (numRows < 1 || numFeatures < 1) throw new FitError(`need at least 1 row and 1 feature, got ${numRows} × ${numFeatures}`);
  const { classes, indices } = encodeLabels(y, numRows);
  const weights = new Float64Array(numRows).fill(1);
  if (options.sampleWeight !== undefined) {
    const sw = options.sampleWeight;
    if (sw.length !== numRows) throw new InputError(`sampleWeight has ${sw.length} values, X has ${numRows} rows`);
    for (let i = 0; i < numRows; i++) {
      if (!(sw[i] >= 0) || !Number.isFinite(sw[i])) throw new InputError(`sampleWeight[${i}] must be a finite number ≥ 0, got ${sw[i]}`);
      weights[i] = sw[i];
    }
  }
  const prepared = prepareData(data, numRows, numFeatures, indices, classes.length);
  // A Table's column names become the model's feature names, as scikit-learn keeps a DataFrame's.
  const names = featureNames ?? (isTable(x) ? x.columnNames : undefined);
  return { prepared, classes, weights, names };
}

function growOptions(options: TreeOptions, numFeatures: number, defaultMaxFeatures: MaxFeatures) {
  const maxDepth = options.maxDepth ?? Infinity;
  if (maxDepth !== Infinity) positiveInteger(maxDepth, 'maxDepth', 1);
  const criterion = options.criterion ?? 'gini';
  if (criterion !== 'gini' && criterion !== 'entropy') throw new InputError(`criterion must be 'gini' or 'entropy', got ${String(criterion)}`);
  return {
    criterion,
    maxDepth,
    minSamplesSplit: positiveInteger(options.minSamplesSplit ?? 2, 'minSamplesSplit', 2),
    minSamplesLeaf: positiveInteger(options.minSamplesLeaf ?? 1, 'minSamplesLeaf', 1),
    maxFeatures: resolveMaxFeatures(options.maxFeatures ?? defaultMaxFeatures, numFeatures),
  };
}

/** Multiplies `weights` in place by n / (k · weighted class count), counting only classes present. */
function applyBalancedWeights(weights: Float64Array, counts: Float64Array | null, y: Int32Array, numClasses: number): void {
  const perClass = new Float64Array(numClasses);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const c = counts ? counts[i] : 1;
    perClass[y[i]] += c;
    total += c;
  }
  let present = 0;
  for (let k = 0; k < numClasses; k++) if (perClass[k] > 0) present++;
  for (let i = 0; i < y.length; i++) weights[i] *= perClass[y[i]] > 0 ? total / (present * perClass[y[i]]) : 0;
}

function toTreeJson(tree: TreeArrays) {
  return {
    children_left: Array.from(tree.left),
    children_right: Array.from(tree.right),
    feature: Array.from(tree.feature),
    threshold: Array.from(tree.threshold),
    value: Array.from(tree.value),
    impurity: Array.from(tree.impurity),
    n_node_samples: Array.from(tree.nodeSamples),
    weighted_n_node_samples: Array.from(tree.weightedNodeSamples),
  };
}

abstract class TrainableTrees {
  protected fitted: Fitted | undefined;
  protected abstract readonly estimatorName: SklearnTreeEstimator;
  protected abstract readonly featureNames: readonly string[] | undefined;

  protected requireFitted(): Fitted {
    if (!this.fitted) throw new FitError('the model is not fitted yet: call fit(X, y) first');
    return this.fitted;
  }

  protected finish(prepared: PreparedData, classes: ClassLabel[], trees: TreeArrays[], featureNames: readonly string[] | undefined): void {
    const numFeatures = prepared.numFeatures;
    if (featureNames && featureNames.length !== numFeatures) {
      throw new InputError(`featureNames has ${featureNames.length} names, X has ${numFeatures} features`);
    }
    const ensemble = compileClassTrees(trees, numFeatures, classes.length);
    const importances = averageImportances(
      trees.filter((t) => t.nodeCount > 1).map((t) => treeImportances(t, numFeatures)),
      numFeatures,
    );
    const model = new TreeEnsembleClassifier({
      estimator: this.estimatorName,
      ensemble,
      classes,
      link: 'average',
      featureNames,
      featureImportances: importances,
    });
    this.fitted = { classes, featureNames, numFeatures, trees, model };
  }

  /** The fitted model on the shared tree engine. */
  get model(): TreeEnsembleClassifier {
    return this.requireFitted().model;
  }

  /** Sorted distinct labels seen in `fit`; probabilities come in this order. */
  get classes(): readonly ClassLabel[] {
    return this.requireFitted().classes;
  }

  /** The fitted trees in scikit-learn's array layout. */
  get trees(): readonly TreeArrays[] {
    return this.requireFitted().trees;
  }

  /** Impurity-based importances (mean decrease in impurity), summing to 1. */
  get featureImportances(): Float64Array {
    return this.requireFitted().model.featureImportances!;
  }

  /**
   * Class probabilities, row-major `rows × classes`: the mean over trees of the leaf class fractions.
   *
   * @example
   * forest.predictProba([[1, 2, 3]]) // => Float64Array [0.8, 0.2]
   */
  predictProba(x: FeatureInput): Float64Array {
    return this.model.predictProba(x);
  }

  /**
   * The most probable class per row.
   *
   * @example
   * forest.predict([[1, 2, 3]]) // => [0]
   */
  predict(x: FeatureInput): ClassLabel[] {
    return this.model.predict(x);
  }

  /**
   * The fitted model behind the estimator protocol (`predictProba` as a `DenseMatrix`,
   * named rows accepted, `estimatorFromJSON` reads its JSON), e.g. as a `Pipeline` step.
   *
   * @example
   * new Pipeline([['scale', scaler], ['forest', forest.toEstimator()]]).predictProba(table);
   */
  toEstimator(): TreeClassifierEstimator {
    return new TreeClassifierEstimator(this.model, this.toJSON());
  }

  /**
   * The model as `sklearn-trees` JSON, the same format scikit-learn models are exported in;
   * load it back with `loadSklearnTrees`.
   *
   * @example
   * writeFileSync('forest.json', JSON.stringify(forest.toJSON()));
   */
  toJSON(): SklearnTreesJson {
    const { classes, featureNames, numFeatures, trees } = this.requireFitted();
    return {
      format: SKLEARN_TREES_FORMAT,
      version: 1,
      estimator: this.estimatorName,
      producer: 'retail-ml',
      n_features: numFeatures,
      feature_names: featureNames ? [...featureNames] : null,
      classes,
      value_width: classes.length,
      trees: trees.map(toTreeJson),
    };
  }
}

/**
 * A CART classification tree with scikit-learn's semantics (best splitter, `x <= threshold`
 * goes left, leaves hold weighted class counts).
 *
 * @example
 * const tree = new DecisionTreeClassifier({ maxDepth: 3, seed: 1 }).fit([[0], [1], [2], [3]], [0, 0, 1, 1]);
 * tree.predict([[2.5]]) // => [1]
 */
export class DecisionTreeClassifier extends TrainableTrees {
  protected readonly estimatorName = 'DecisionTreeClassifier' as const;
  protected readonly featureNames: readonly string[] | undefined;
  private readonly options: TreeOptions;

  constructor(options: TreeOptions = {}) {
    super();
    this.options = options;
    this.featureNames = options.featureNames;
  }

  /**
   * Fits the tree; returns `this`. `x` is rows, a `DenseMatrix` or a `Table` (whose column
   * names become the feature names unless `featureNames` was given).
   *
   * @example
   * new DecisionTreeClassifier().fit(X, y, { sampleWeight })
   */
  fit(x: FeatureInput, y: ArrayLike<ClassLabel>, fitOptions: FitOptions = {}): this {
    const { prepared, classes, weights, names } = prepareFit(x, y, fitOptions, this.featureNames);
    const grow = growOptions(this.options, prepared.numFeatures, 'all');
    if (this.options.classWeight === 'balanced' || this.options.classWeight === 'balanced_subsample') {
      applyBalancedWeights(weights, null, prepared.y, classes.length);
    }
    const tree = growTree(prepared, weights, grow, seededRandom(this.options.seed ?? 0));
    this.finish(prepared, classes, [tree], names);
    return this;
  }
}

/**
 * A random forest classifier with scikit-learn's semantics: bootstrap rows per tree,
 * `maxFeatures` candidates drawn at every split, class probabilities averaged over trees.
 * Seeded, so one seed gives one forest everywhere.
 *
 * @example
 * const forest = new RandomForestClassifier({ nEstimators: 200, maxDepth: 10, classWeight: 'balanced', seed: 42 });
 * forest.fit(XTrain, yTrain);
 * const proba = forest.predictProba(XTest); // rows × 2
 */
export class RandomForestClassifier extends TrainableTrees {
  protected readonly estimatorName = 'RandomForestClassifier' as const;
  protected readonly featureNames: readonly string[] | undefined;
  private readonly options: ForestOptions;

  constructor(options: ForestOptions = {}) {
    super();
    this.options = options;
    this.featureNames = options.featureNames;
    positiveInteger(options.nEstimators ?? 100, 'nEstimators', 1);
    const cw = options.classWeight;
    if (cw !== undefined && cw !== null && cw !== 'balanced' && cw !== 'balanced_subsample') {
      throw new InputError(`classWeight must be 'balanced', 'balanced_subsample' or null, got ${String(cw)}`);
    }
  }

  /**
   * Fits the forest; returns `this`. Calls `onProgress` after each tree. `x` is rows, a
   * `DenseMatrix` or a `Table` (whose column names become the feature names unless
   * `featureNames` was given; `predict` then matches a Table by name).
   *
   * @example
   * new RandomForestClassifier({ onProgress: (done, total) => console.log(`${done}/${total}`) }).fit(X, y)
   */
  fit(x: FeatureInput, y: ArrayLike<ClassLabel>, fitOptions: FitOptions = {}): this {
    return runSteps(this.fitSteps(x, y, fitOptions), this.options.onProgress);
  }

  /**
   * Fits the forest without blocking the event loop for more than one tree at a time, and
   * can be cancelled: resolves to `this`, or rejects with an `AbortedError` when `signal`
   * aborts. The trees are the same as `fit`'s.
   *
   * @example
   * const forest = await new RandomForestClassifier({ nEstimators: 500 }).fitAsync(X, y, { signal: AbortSignal.timeout(60_000), onProgress: (done, total) => bar.update(done / total) });
   */
  fitAsync(x: FeatureInput, y: ArrayLike<ClassLabel>, options: FitOptions & CancellableOptions = {}): Promise<this> {
    const { signal, onProgress = this.options.onProgress, ...fitOptions } = options;
    return runStepsAsync(this.fitSteps(x, y, fitOptions), 'RandomForestClassifier fit', { signal, onProgress });
  }

  private *fitSteps(x: FeatureInput, y: ArrayLike<ClassLabel>, fitOptions: FitOptions): Steps<this> {
    const { prepared, classes, weights, names } = prepareFit(x, y, fitOptions, this.featureNames);
    const opts = this.options;
    const grow = growOptions(opts, prepared.numFeatures, 'sqrt');
    const nEstimators = opts.nEstimators ?? 100;
    const bootstrap = opts.bootstrap ?? true;
    if (opts.classWeight === 'balanced' || (opts.classWeight === 'balanced_subsample' && !bootstrap)) {
      applyBalancedWeights(weights, null, prepared.y, classes.length);
    }
    const n = prepared.numRows;
    const master = seededRandom(opts.seed ?? 0);
    const trees: TreeArrays[] = [];
    const counts = new Float64Array(n);
    const treeWeights = new Float64Array(n);
    for (let t = 0; t < nEstimators; t++) {
      const rng = seededRandom(master.nextUint32());
      treeWeights.set(weights);
      if (bootstrap) {
        counts.fill(0);
        for (let i = 0; i < n; i++) counts[rng.nextInt(n)]++;
        for (let i = 0; i < n; i++) treeWeights[i] *= counts[i];
        if (opts.classWeight === 'balanced_subsample') applyBalancedWeights(treeWeights, counts, prepared.y, classes.length);
      }
      trees.push(growTree(prepared, treeWeights, grow, rng));
      yield { done: t + 1, total: nEstimators };
    }
    this.finish(prepared, classes, trees, names);
    return this;
  }
}
