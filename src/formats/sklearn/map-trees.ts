import { ModelFormatError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import type { SklearnTreeEstimator, SklearnTreesJson } from '../../forest/sklearn-json.js';
import { TreeClassifierEstimator } from '../../forest/tree-classifier-estimator.js';
import { TreeEnsembleRegressor } from '../../forest/tree-regressor.js';
import type { PyValue } from '../pickle/py-value.js';
import { describePy, isNdArray, isPyObject, pyFloats, pyList, pyValues, PyState } from './py-read.js';
import { readTree, type TreeState } from './tree-state.js';

/** float32 epsilon: scikit-learn clips the prior probabilities to [eps, 1 − eps] before the log. */
const FLOAT32_EPS = 2 ** -23;

function shortName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

function classLabels(s: PyState): (string | number | boolean)[] {
  const classes = pyValues(s.need('classes_'), s.where('classes_'));
  if (classes.some((c) => c === null)) throw new ModelFormatError(s.where('classes_'), 'must not hold None (multi-output classifiers are not supported)');
  return classes as (string | number | boolean)[];
}

function treeJson(t: TreeState) {
  return {
    children_left: t.left,
    children_right: t.right,
    feature: t.feature,
    threshold: t.threshold,
    value: t.value,
    impurity: t.impurity,
    weighted_n_node_samples: t.weightedNodeSamples,
  };
}

/** The fitted trees of a single tree (`tree_`) or a forest (`estimators_`), each checked. */
function fittedTrees(s: PyState, single: boolean): TreeState[] {
  const where = s.where(single ? 'tree_' : 'estimators_');
  const trees = single ? [readTree(s.need('tree_'), where)] : pyList(s.need('estimators_'), where).map((e, i) => readTree(new PyState(asObject(e, `${where}[${i}]`)).need('tree_'), `${where}[${i}].tree_`));
  if (trees.length === 0) throw new ModelFormatError(where, 'is empty');
  const n = s.featureCount();
  for (const [i, t] of trees.entries()) {
    if (t.numOutputs !== 1) throw new ModelFormatError(`${where}[${i}]`, `has ${t.numOutputs} outputs; only single-output trees are supported`);
    if (t.numFeatures !== n) throw new ModelFormatError(`${where}[${i}]`, `has ${t.numFeatures} features, the estimator ${n}`);
  }
  return trees;
}

function asObject(v: PyValue, where: string) {
  if (!isPyObject(v)) throw new ModelFormatError(where, `must be an estimator, got ${describePy(v)}`);
  return v;
}

/**
 * `DecisionTreeClassifier`, `RandomForestClassifier`, `ExtraTreesClassifier` as one
 * classifier on the tree engine (via the `sklearn-trees` JSON loader, so both paths share
 * their checks and their arithmetic).
 *
 * @example
 * const clf = mapTreeClassifier(new PyState(obj));
 * clf.predictProba(rows);
 */
export function mapTreeClassifier(s: PyState): Estimator {
  const name = shortName(s.className) as SklearnTreeEstimator;
  const trees = fittedTrees(s, name === 'DecisionTreeClassifier');
  const json: SklearnTreesJson = {
    format: 'sklearn-trees',
    version: 1,
    estimator: name,
    producer: `scikit-learn ${s.version} pickle`,
    n_features: s.featureCount(),
    feature_names: s.featureNames(),
    classes: classLabels(s),
    value_width: trees[0].width,
    trees: trees.map(treeJson),
  };
  return TreeClassifierEstimator.fromJSON(json);
}

/**
 * `DecisionTreeRegressor`, `RandomForestRegressor`, `ExtraTreesRegressor` as one
 * {@link TreeEnsembleRegressor}.
 *
 * @example
 * mapTreeRegressor(new PyState(obj)).predict(rows);
 */
export function mapTreeRegressor(s: PyState): Estimator {
  const name = shortName(s.className);
  const trees = fittedTrees(s, name === 'DecisionTreeRegressor');
  return new TreeEnsembleRegressor(name, trees, s.featureCount(), s.featureNames());
}

/**
 * `GradientBoostingClassifier` (losses `log_loss`/`deviance` and `exponential`, prior or
 * zero init): its stage trees and the initial raw prediction scikit-learn derives from the
 * `DummyClassifier` prior.
 *
 * @example
 * mapGradientBoosting(new PyState(obj)).predictProba(rows);
 */
export function mapGradientBoosting(s: PyState): Estimator {
  const classes = classLabels(s);
  const k = classes.length === 2 ? 1 : classes.length;
  const stages = s.need('estimators_');
  if (!isNdArray(stages) || stages.shape.length !== 2 || stages.shape[1] !== k || !Array.isArray(stages.data)) {
    throw new ModelFormatError(s.where('estimators_'), `must be an object array [stages, ${k}], got ${describePy(stages)}`);
  }
  const trees = (stages.data as readonly PyValue[]).map((e, i) => readTree(new PyState(asObject(e, `${s.where('estimators_')}[${i}]`)).need('tree_'), `${s.where('estimators_')}[${i}].tree_`));
  const loss = s.string('loss');
  if (loss !== 'log_loss' && loss !== 'deviance' && loss !== 'exponential') throw new ModelFormatError(s.where('loss'), `unsupported loss '${loss}'`);
  const json: SklearnTreesJson = {
    format: 'sklearn-trees',
    version: 1,
    estimator: 'GradientBoostingClassifier',
    producer: `scikit-learn ${s.version} pickle`,
    n_features: s.featureCount(),
    feature_names: s.featureNames(),
    classes,
    value_width: 1,
    trees: trees.map(treeJson),
    learning_rate: s.number('learning_rate'),
    init_raw: initialRaw(s, classes.length, loss),
    loss,
    trees_per_stage: k,
  };
  return TreeClassifierEstimator.fromJSON(json);
}

/** scikit-learn's `get_init_raw_predictions` for a prior `DummyClassifier` (or `init='zero'`). */
function initialRaw(s: PyState, numClasses: number, loss: string): number[] {
  const init = s.need('init_');
  const k = numClasses === 2 ? 1 : numClasses;
  if (init === 'zero') return new Array<number>(k).fill(0);
  const dummy = asObject(init, s.where('init_'));
  const d = new PyState(dummy);
  if (shortName(dummy.className) !== 'DummyClassifier' || d.string('strategy') !== 'prior') {
    throw new ModelFormatError(s.where('init_'), `only the default prior init is supported, got ${describePy(init)}`);
  }
  const clip = (p: number) => Math.min(Math.max(p, FLOAT32_EPS), 1 - FLOAT32_EPS);
  const prior = pyFloats(d.need('class_prior_'), d.where('class_prior_'), numClasses);
  if (numClasses > 2) return Array.from(prior, (p) => Math.log(clip(p)));
  const p = clip(prior[1]);
  const logOdds = Math.log(p / (1 - p));
  return [loss === 'exponential' ? 0.5 * logOdds : logOdds];
}
