import { InputError } from '../../errors.js';
import { predictLeaves, predictMargins } from '../../trees/predict.js';
import { toFloat32Rows, type Rows } from '../../trees/rows.js';
import type { TreeEnsemble } from '../../trees/types.js';
import { applyTransform, outputTransform, type OutputTransform } from './objective.js';
import type { LearnerParts, LinearBooster } from './read-learner.js';

/** What `predict` returns: transformed predictions, raw margins, or leaf ids per tree. */
export type XGBoostOutput = 'value' | 'margin' | 'leaf';

/** Options for {@link XGBoostModel.predict}. */
export interface XGBoostPredictOptions {
  /** Default 'value'. */
  output?: XGBoostOutput;
  /** Boosting rounds [begin, end) to use; `[0, 0]` means all, as in XGBoost. */
  iterationRange?: readonly [number, number];
}

/**
 * A loaded XGBoost model, scored exactly as XGBoost's CPU predictor scores it:
 * float32 inputs, `x < threshold` splits, default directions for missing values,
 * category sets, leaves summed in float32 in tree order from the base margin.
 * Create one with `loadXGBoost`.
 *
 * @example
 * const model = loadXGBoost(readFileSync('model.json'));
 * model.predict([[35, 30, 0, 0, 1, 0, 0]]); // Float32Array, n × numOutputs
 */
export class XGBoostModel {
  /** Input width. */
  readonly numFeatures: number;
  /** Margin columns: num_class for multi-class, num_target for multi-target, else 1. */
  readonly numOutputs: number;
  readonly featureNames: readonly string[] | null;
  readonly featureTypes: readonly string[] | null;
  readonly objective: string;
  readonly booster: 'gbtree' | 'dart' | 'gblinear';
  /** The XGBoost version that saved the file, when it says. */
  readonly version: readonly number[] | null;
  /** base_score as stored (output space) and as the starting margin. */
  readonly baseScore: readonly number[];
  readonly baseMargin: readonly number[];
  /** `best_iteration` from early stopping, if any. */
  readonly bestIteration: number | null;
  /** Boosting rounds and trees per round (0 for gblinear). */
  readonly numRounds: number;
  readonly treesPerRound: number;
  /** Category names per feature (index = code), from the model (≥ 3.1) or the caller. */
  readonly categories: ReadonlyArray<readonly string[] | null>;
  /** The compiled trees (null for gblinear). */
  readonly ensemble: TreeEnsemble | null;
  /** Rounds used when `iterationRange` is not given: all, or up to best_iteration if opted in. */
  readonly defaultIterationRange: readonly [number, number];

  private readonly linear: LinearBooster | null;
  private readonly transform: OutputTransform;
  private readonly categoryCodes: (Map<string, number> | null)[];

  /** @internal Use `loadXGBoost`. */
  constructor(parts: LearnerParts, categories: ReadonlyArray<readonly string[] | null>, useBestIteration: boolean) {
    this.numFeatures = parts.numFeatures;
    this.numOutputs = parts.numOutputs;
    this.featureNames = parts.featureNames;
    this.featureTypes = parts.featureTypes;
    this.objective = parts.objective;
    this.booster = parts.booster;
    this.version = parts.version;
    this.baseScore = parts.baseScore;
    this.baseMargin = parts.baseMargin;
    this.bestIteration = parts.bestIteration;
    this.numRounds = parts.numRounds;
    this.treesPerRound = parts.treesPerRound;
    this.ensemble = parts.ensemble;
    this.linear = parts.linear;
    this.transform = outputTransform(parts.objective);
    this.categories = categories;
    this.categoryCodes = [];
    categories.forEach((names, f) => {
      if (names) this.categoryCodes[f] = new Map(names.map((name, code) => [name, code]));
    });
    this.defaultIterationRange = useBestIteration && parts.bestIteration !== null ? [0, parts.bestIteration + 1] : [0, 0];
  }

  /**
   * Scores rows. Returns a row-major Float32Array: `n × numOutputs` for 'value' and
   * 'margin' (one column, the class index, for multi:softmax values), `n × trees` node
   * ids for 'leaf'.
   *
   * @example
   * model.predict([[1, null, 'Delhi']], { output: 'margin', iterationRange: [0, 10] });
   */
  predict(rows: Rows, options: XGBoostPredictOptions = {}): Float32Array {
    const output = options.output ?? 'value';
    if (output !== 'value' && output !== 'margin' && output !== 'leaf') {
      throw new InputError(`output must be 'value', 'margin' or 'leaf', got '${String(output)}'`);
    }
    const { values, numRows } = toFloat32Rows(rows, { numFeatures: this.numFeatures, featureNames: this.featureNames, categoryCodes: this.categoryCodes });
    const range = this.treeRange(options.iterationRange ?? this.defaultIterationRange);
    if (output === 'leaf') {
      if (!this.ensemble) throw new InputError('leaf output needs a tree model; this one is gblinear');
      return Float32Array.from(predictLeaves(this.ensemble, values, numRows, range));
    }
    const margins = this.ensemble ? predictMargins(this.ensemble, values, numRows, range) : this.linearMargins(values, numRows);
    if (output === 'margin') return Float32Array.from(margins);
    return applyTransform(this.transform, margins, numRows, this.numOutputs);
  }

  /** Converts a round range to a tree range, validating it like XGBoost's `iteration_range`. */
  private treeRange([begin, end]: readonly [number, number]): { treeBegin: number; treeEnd: number } {
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < 0) {
      throw new InputError(`iterationRange must be two non-negative integers, got [${begin}, ${end}]`);
    }
    if (!this.ensemble) {
      if (begin !== 0 || end !== 0) throw new InputError('iterationRange applies to tree models only; this one is gblinear');
      return { treeBegin: 0, treeEnd: 0 };
    }
    const last = end === 0 ? this.numRounds : end;
    if (last > this.numRounds || begin > last) throw new InputError(`iterationRange [${begin}, ${end}) is outside the model's ${this.numRounds} rounds`);
    const indptr = this.ensemble.iterationIndptr;
    return { treeBegin: indptr[begin], treeEnd: indptr[last] };
  }

  private linearMargins(values: Float32Array, numRows: number): Float64Array {
    const weights = this.linear!.weights;
    const k = this.numOutputs;
    const nf = this.numFeatures;
    const f = Math.fround;
    const out = new Float64Array(numRows * k);
    for (let r = 0; r < numRows; r++) {
      for (let g = 0; g < k; g++) {
        let sum = f(weights[nf * k + g] + this.baseMargin[g]);
        for (let j = 0; j < nf; j++) {
          const x = values[r * nf + j];
          if (x === x) sum = f(sum + f(x * weights[j * k + g]));
        }
        out[r * k + g] = sum;
      }
    }
    return out;
  }
}
