import { InputError } from '../errors.js';
import { predictMargins, tryCompileEnsemble, type CompiledPredictor } from '../trees/index.js';
import type { TreeEnsemble } from '../trees/index.js';
import { toFloat32Matrix } from './matrix.js';
import type { ClassLabel, FeatureInput } from './matrix.js';

/**
 * How summed leaf values become probabilities:
 * - 'average': forests and single trees — leaves hold class fractions, the sum is divided by the tree count;
 * - 'sigmoid' / 'exponential-sigmoid': binary gradient boosting (`log_loss` / `exponential` loss);
 * - 'softmax': multi-class gradient boosting.
 */
export type ProbabilityLink = 'average' | 'sigmoid' | 'exponential-sigmoid' | 'softmax';

/** What a {@link TreeEnsembleClassifier} is made from. */
export interface TreeEnsembleClassifierSpec {
  /** The estimator it came from, e.g. 'RandomForestClassifier'. */
  estimator: string;
  ensemble: TreeEnsemble;
  classes: readonly ClassLabel[];
  link: ProbabilityLink;
  featureNames?: readonly string[];
  featureImportances?: Float64Array;
}

/**
 * A fitted tree classifier compiled onto the shared tree engine (`src/trees/`), the same
 * engine that scores XGBoost models: our own forests, scikit-learn exports and
 * `ml-random-forest` models all predict through it.
 *
 * @example
 * const model = loadSklearnTrees(json);
 * const proba = model.predictProba([[5.1, 3.5, 1.4, 0.2]]); // Float64Array, rows × classes
 */
export class TreeEnsembleClassifier {
  readonly estimator: string;
  readonly ensemble: TreeEnsemble;
  readonly classes: readonly ClassLabel[];
  readonly link: ProbabilityLink;
  readonly featureNames: readonly string[] | undefined;
  readonly featureImportances: Float64Array | undefined;
  private compiled: CompiledPredictor | null | undefined;

  constructor(spec: TreeEnsembleClassifierSpec) {
    this.estimator = spec.estimator;
    this.ensemble = spec.ensemble;
    this.classes = spec.classes;
    this.link = spec.link;
    this.featureNames = spec.featureNames;
    this.featureImportances = spec.featureImportances;
  }

  /** Number of input features. */
  get numFeatures(): number {
    return this.ensemble.numFeatures;
  }

  /** Number of trees in the ensemble. */
  get numTrees(): number {
    return this.ensemble.numTrees;
  }

  /**
   * Class probabilities, row-major `rows × classes.length`, equal to scikit-learn's
   * `predict_proba`. Inputs are cast to float32 first, as scikit-learn does; NaN and
   * infinite values are rejected, as scikit-learn 1.2 rejects them. Takes rows, a
   * `DenseMatrix` or a `Table` (matched by `featureNames` when the model has them).
   *
   * @example
   * const p = model.predictProba([[0, 1.5], [2, 0]]);
   * p[0 * 2 + 1]; // probability that row 0 is classes[1]
   */
  predictProba(x: FeatureInput): Float64Array {
    const { data, numRows } = toFloat32Matrix(x, { numFeatures: this.numFeatures, featureNames: this.featureNames, what: this.estimator });
    return this.probabilities(data, numRows);
  }

  /**
   * {@link predictProba} on rows already packed as row-major float32 (no copy, for batch scoring).
   *
   * @example
   * model.predictProbaFloat32(new Float32Array([0, 1.5, 2, 0]), 2);
   */
  predictProbaFloat32(rows: Float32Array, numRows: number): Float64Array {
    if (!(rows instanceof Float32Array)) throw new InputError('rows must be a Float32Array');
    for (let i = 0; i < rows.length; i++) {
      if (!Number.isFinite(rows[i])) throw new InputError(`row ${Math.floor(i / this.numFeatures)} has a NaN or infinite value`);
    }
    return this.probabilities(rows, numRows);
  }

  /** Probabilities of rows already checked to be finite. */
  private probabilities(rows: Float32Array, numRows: number): Float64Array {
    // Compiled on first use; where code generation is forbidden, the interpreter gives the same bits.
    if (this.compiled === undefined) this.compiled = tryCompileEnsemble(this.ensemble);
    const margins = this.compiled ? this.compiled.predictMargins(rows, numRows) : predictMargins(this.ensemble, rows, numRows);
    return marginsToProba(margins, numRows, this.classes.length, this.link, this.ensemble.numTrees);
  }

  /**
   * The most probable class per row (the first one on a tie, like `numpy.argmax`).
   *
   * @example
   * model.predict([[0, 1.5]]) // => ['yes']
   */
  predict(x: FeatureInput): ClassLabel[] {
    const proba = this.predictProba(x);
    const k = this.classes.length;
    const out: ClassLabel[] = [];
    for (let r = 0; r * k < proba.length; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (proba[r * k + c] > proba[r * k + best]) best = c;
      out.push(this.classes[best]);
    }
    return out;
  }
}

function marginsToProba(margins: Float64Array, numRows: number, numClasses: number, link: ProbabilityLink, numTrees: number): Float64Array {
  if (link === 'average') {
    for (let i = 0; i < margins.length; i++) margins[i] /= numTrees;
    return margins;
  }
  const out = new Float64Array(numRows * numClasses);
  if (link === 'sigmoid' || link === 'exponential-sigmoid') {
    const scale = link === 'sigmoid' ? 1 : 2;
    for (let r = 0; r < numRows; r++) {
      const p = 1 / (1 + Math.exp(-scale * margins[r]));
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
    }
    return out;
  }
  for (let r = 0; r < numRows; r++) {
    const o = r * numClasses;
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) if (margins[o + c] > max) max = margins[o + c];
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(margins[o + c] - max);
    const logSumExp = max + Math.log(sum);
    for (let c = 0; c < numClasses; c++) out[o + c] = Math.exp(margins[o + c] - logSumExp);
  }
  return out;
}
