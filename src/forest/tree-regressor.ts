import { ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputNumbers } from '../estimator-input.js';
import { buildEnsemble, predictMargins, tryCompileEnsemble, type CompiledPredictor, type TreeEnsemble } from '../trees/index.js';
import { numberArrayField, stringsOrNullField } from '../preprocess/matrix.js';
import { toFloat32Matrix } from './matrix.js';

/** One regression tree in scikit-learn's layout: go left iff `x <= threshold`; `value` one number per node. */
export interface RegressionTree {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  value: ArrayLike<number>;
}

/** JSON form of a {@link TreeEnsembleRegressor}. */
export interface TreeEnsembleRegressorJSON {
  type: 'TreeEnsembleRegressor';
  estimator: string;
  numFeatures: number;
  featureNamesIn: string[] | null;
  trees: { left: number[]; right: number[]; feature: number[]; threshold: number[]; value: number[] }[];
}

/**
 * A regression tree or forest with scikit-learn's semantics (inputs cast to float32, left
 * iff `x <= threshold`, the mean of the trees' leaf values summed in float64 in tree
 * order), compiled onto the shared tree engine. `DecisionTreeRegressor`,
 * `RandomForestRegressor` and `ExtraTreesRegressor` all load as one.
 *
 * @example
 * const reg = new TreeEnsembleRegressor('DecisionTreeRegressor', [{ left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [0.5, 0, 0], value: [0, 1, 2] }], 1);
 * reg.predict([[0], [1]]) // => Float64Array [1, 2]
 */
export class TreeEnsembleRegressor implements Estimator {
  readonly estimatorType = 'regressor' as const;
  readonly ensemble: TreeEnsemble;
  readonly featureNamesIn: readonly string[] | null;
  #compiled: CompiledPredictor | null | undefined;

  constructor(
    readonly estimator: string,
    readonly trees: readonly RegressionTree[],
    readonly numFeaturesIn: number,
    featureNamesIn: readonly string[] | null = null,
  ) {
    if (trees.length === 0) throw new ModelFormatError(`${estimator}.trees`, 'must not be empty');
    if (featureNamesIn && featureNamesIn.length !== numFeaturesIn) throw new ModelFormatError(`${estimator}.featureNamesIn`, `has ${featureNamesIn.length} names for ${numFeaturesIn} features`);
    this.featureNamesIn = featureNamesIn;
    this.ensemble = buildEnsemble({
      numFeatures: numFeaturesIn,
      numOutputs: 1,
      leafWidth: 1,
      trees: trees.map((t) => ({ ...t, leafValues: t.value, defaultLeft: new Uint8Array(t.left.length), output: 0 })),
      splitRule: 'le',
      accumulate: 'float64',
      baseMargin: [0],
      describeTree: (t) => `${estimator}.trees[${t}]`,
    });
  }

  /**
   * The mean prediction of the trees per row. NaN and infinite inputs are an InputError,
   * as scikit-learn 1.2 rejects them.
   *
   * @example
   * reg.predict([{ age: 35, days: 30 }]) // named rows when fitted on a DataFrame
   */
  predict(x: EstimatorInput): Float64Array {
    const m = inputNumbers(x, this, this.estimator);
    const { data, numRows } = toFloat32Matrix(m, { what: this.estimator });
    if (this.#compiled === undefined) this.#compiled = tryCompileEnsemble(this.ensemble);
    const sums = this.#compiled ? this.#compiled.predictMargins(data, numRows) : predictMargins(this.ensemble, data, numRows);
    for (let i = 0; i < sums.length; i++) sums[i] /= this.trees.length;
    return sums;
  }

  /**
   * JSON that {@link TreeEnsembleRegressor.fromJSON} reads back.
   *
   * @example
   * TreeEnsembleRegressor.fromJSON(JSON.parse(JSON.stringify(reg)));
   */
  toJSON(): TreeEnsembleRegressorJSON {
    return {
      type: 'TreeEnsembleRegressor',
      estimator: this.estimator,
      numFeatures: this.numFeaturesIn,
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
      trees: this.trees.map((t) => ({ left: Array.from(t.left), right: Array.from(t.right), feature: Array.from(t.feature), threshold: Array.from(t.threshold), value: Array.from(t.value) })),
    };
  }

  /**
   * Restores a regressor from {@link TreeEnsembleRegressor.toJSON} output.
   *
   * @example
   * const reg = TreeEnsembleRegressor.fromJSON(json);
   */
  static fromJSON(json: unknown): TreeEnsembleRegressor {
    if (json === null || typeof json !== 'object' || (json as { type?: unknown }).type !== 'TreeEnsembleRegressor') {
      throw new ModelFormatError('TreeEnsembleRegressor', 'expected a JSON object with type "TreeEnsembleRegressor"');
    }
    const j = json as Record<string, unknown>;
    const n = j.numFeatures;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new ModelFormatError('TreeEnsembleRegressor.numFeatures', 'must be a positive integer');
    if (!Array.isArray(j.trees)) throw new ModelFormatError('TreeEnsembleRegressor.trees', 'must be an array');
    const trees = j.trees.map((t: unknown, i: number) => {
      const o = (t ?? {}) as Record<string, unknown>;
      const where = `TreeEnsembleRegressor.trees[${i}]`;
      const left = numberArrayField(o, 'left', where);
      const field = (k: string) => numberArrayField(o, k, where, left.length);
      return { left, right: field('right'), feature: field('feature'), threshold: field('threshold'), value: field('value') };
    });
    return new TreeEnsembleRegressor(String(j.estimator), trees, n, stringsOrNullField(j, 'featureNamesIn', 'TreeEnsembleRegressor'));
  }
}
