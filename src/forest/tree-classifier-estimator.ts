import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputNumbers } from '../estimator-input.js';
import type { DenseMatrix } from '../matrix.js';
import type { ClassLabel } from './matrix.js';
import { loadSklearnTrees, type SklearnTreesJson } from './sklearn-json.js';
import type { TreeEnsembleClassifier } from './tree-classifier.js';

/**
 * A {@link TreeEnsembleClassifier} (forest, single tree or gradient boosting) behind the
 * estimator protocol: named rows or a `Table` matched by `featureNamesIn`, probabilities
 * as a matrix. Its JSON is the `sklearn-trees` format, so `loadSklearnTrees` reads it too.
 *
 * @example
 * const clf = new TreeClassifierEstimator(loadSklearnTrees(json), json);
 * clf.predictProba([{ age: 35, days: 30 }]); // { data, rows: 1, cols: classes }
 */
export class TreeClassifierEstimator implements Estimator {
  readonly estimatorType = 'classifier' as const;
  readonly featureNamesIn: readonly string[] | null;
  readonly numFeaturesIn: number;
  readonly classes: readonly ClassLabel[];

  constructor(
    readonly model: TreeEnsembleClassifier,
    readonly json: SklearnTreesJson,
  ) {
    this.featureNamesIn = model.featureNames ?? null;
    this.numFeaturesIn = model.numFeatures;
    this.classes = model.classes;
  }

  /**
   * From `sklearn-trees` JSON (what {@link TreeClassifierEstimator.toJSON} writes).
   *
   * @example
   * TreeClassifierEstimator.fromJSON(clf.toJSON()).classes
   */
  static fromJSON(json: SklearnTreesJson): TreeClassifierEstimator {
    return new TreeClassifierEstimator(loadSklearnTrees(json), json);
  }

  /**
   * Class probabilities, `rows × classes`, equal to scikit-learn's `predict_proba`.
   *
   * @example
   * clf.predictProba([[5.1, 3.5, 1.4, 0.2]]).data
   */
  predictProba(x: EstimatorInput): DenseMatrix {
    const m = inputNumbers(x, this, this.model.estimator);
    const data = this.model.predictProba(m);
    return { data, rows: m.rows, cols: this.classes.length };
  }

  /**
   * The most probable class per row (the first on a tie, as `numpy.argmax`).
   *
   * @example
   * clf.predict([[5.1, 3.5, 1.4, 0.2]]) // => ['setosa']
   */
  predict(x: EstimatorInput): ClassLabel[] {
    const m = inputNumbers(x, this, this.model.estimator);
    return this.model.predict(m);
  }

  /**
   * The `sklearn-trees` JSON this classifier was built from.
   *
   * @example
   * JSON.stringify(clf)
   */
  toJSON(): SklearnTreesJson {
    return this.json;
  }
}
