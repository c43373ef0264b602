import { describeValue, InputError } from '../../errors.js';
import { interpretedPredictor, type CompiledPredictor } from '../../trees/compile.js';
import { featureImportance, type ImportanceType } from '../../trees/importance.js';
import { predictLeaves } from '../../trees/predict.js';
import { encodeRows, type RowSchema, type Rows } from '../../trees/rows.js';
import type { TreeEnsemble } from '../../trees/types.js';
import { applyTransform, outputTransform, type OutputTransform } from './objective.js';
import type { LearnerParts, LinearBooster } from './read-learner.js';

/**
 * What `predict` returns: transformed predictions, raw margins or leaf ids per tree.
 * Explanations (XGBoost's `pred_contribs`, `approx_contribs`, `pred_interactions`) are
 * `explainXGBoost`, so that scoring alone does not bundle SHAP.
 */
export type XGBoostOutput = 'value' | 'margin' | 'leaf';

const OUTPUTS: readonly XGBoostOutput[] = ['value', 'margin', 'leaf'];

/** How a model scores: trees compiled to WebAssembly, or the interpreter. */
export interface XGBoostEngineOptions {
  /**
   * 'auto' (default) or true: compile the trees to WebAssembly unless it is unavailable or
   * forbidden (a Content-Security-Policy without 'wasm-unsafe-eval' that can be read, or an
   * earlier refusal in this realm), else the interpreter. JavaScript is never generated, so
   * no policy about `new Function` matters. false: the interpreter only.
   */
  compile?: boolean | 'auto';
}

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

  /** True when the default rounds run on trees compiled to WebAssembly, false when on the interpreter. */
  readonly compiled: boolean;
  /** What `predictRow` runs on for the default rounds. */
  readonly rowEngine: 'webassembly' | 'interpreter';
  /** What `predict` runs batches on for the default rounds (other ranges run the interpreter). */
  readonly batchEngine: 'webassembly' | 'interpreter';

  /** The weights of a gblinear model (null for trees). */
  readonly linear: LinearBooster | null;
  private readonly transform: OutputTransform;
  private readonly schema: RowSchema;
  private readonly predictor: CompiledPredictor | null;
  private readonly rowInput: Float32Array;
  private readonly rowMargins: Float64Array;
  private readonly defaultTrees: { treeBegin: number; treeEnd: number };

  /** @internal Use `loadXGBoost`. */
  constructor(parts: LearnerParts, categories: ReadonlyArray<readonly string[] | null>, useBestIteration: boolean, engine: XGBoostEngineOptions = {}) {
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
    const categoryCodes: (Map<string, number> | null)[] = [];
    categories.forEach((names, f) => {
      if (names) categoryCodes[f] = new Map(names.map((name, code) => [name, code]));
    });
    this.schema = { numFeatures: this.numFeatures, featureNames: this.featureNames, categoryCodes };
    // gblinear has no rounds to cut: XGBoost's sklearn wrapper scores all of it, best_iteration or not.
    this.defaultIterationRange = useBestIteration && parts.bestIteration !== null && parts.ensemble ? [0, parts.bestIteration + 1] : [0, 0];
    this.defaultTrees = this.treesFor(this.defaultIterationRange);
    // WebAssembly is compiled for the default trees, the range predictRow and predict use unless told otherwise.
    this.predictor = parts.ensemble ? interpretedPredictor(parts.ensemble, { webassembly: engine.compile !== false, rowRange: this.defaultTrees }) : null;
    this.rowEngine = this.predictor?.rowEngine === 'webassembly' ? 'webassembly' : 'interpreter';
    this.batchEngine = this.predictor?.batchEngine === 'webassembly' ? 'webassembly' : 'interpreter';
    this.compiled = this.batchEngine === 'webassembly';
    this.rowInput = new Float32Array(this.numFeatures);
    this.rowMargins = new Float64Array(this.numOutputs);
  }

  /**
   * Scores rows. Returns a row-major Float32Array: `n × numOutputs` for 'value' and
   * 'margin' (one column, the class index, for multi:softmax values), `n × trees` node
   * ids for 'leaf'. Rows are arrays, named rows, flat typed arrays, a `DenseMatrix`
   * (`cols` = `numFeatures`) or a `Table` (matched by `featureNames` when the model has
   * them, else by position); see `encodeRows`.
   *
   * @example
   * model.predict([[1, null, 'Delhi']], { output: 'margin', iterationRange: [0, 10] });
   * model.predict(Table.fromRows(customers)); // columns picked by the model's feature names
   */
  predict(rows: Rows, options: XGBoostPredictOptions = {}): Float32Array {
    const output = options.output ?? 'value';
    if (!OUTPUTS.includes(output)) {
      const hint = /contrib|interactions/.test(String(output)) ? `; explanations are explainXGBoost(model, rows, { output: '${String(output)}' })` : '';
      throw new InputError(`output must be one of ${OUTPUTS.map((o) => `'${o}'`).join(', ')}, got '${String(output)}'${hint}`);
    }
    // One array or named row is converted into the model's row buffer (scoring is synchronous and keeps no reference).
    const { values, numRows } = encodeRows(rows, this.schema, this.rowInput);
    // One row skips the batch machinery: predictRow's path (WebAssembly where the trees allow it), same bits.
    if (numRows === 1 && this.predictor !== null && (output === 'value' || output === 'margin')) return this.predictOne(values, output, options.iterationRange);
    const range = this.treesFor(options.iterationRange);
    if (output === 'leaf') {
      if (!this.ensemble) throw new InputError('leaf output needs a tree model; this one is gblinear');
      return Float32Array.from(predictLeaves(this.ensemble, values, numRows, range));
    }
    const margins = this.predictor ? this.predictor.predictMargins(values, numRows, range) : this.linearMargins(values, numRows);
    if (output === 'margin') return Float32Array.from(margins);
    return applyTransform(this.transform, margins, numRows, this.numOutputs);
  }

  /** `predict` for one row of a tree model: `predictRow`'s engine and transform into a fresh array, same bits as the batch path. */
  private predictOne(x: Float32Array, output: 'value' | 'margin', iterationRange: readonly [number, number] | undefined): Float32Array {
    const m = this.rowMargins;
    this.predictor!.predictRowInto(x, m, iterationRange === undefined ? this.defaultTrees : this.treesFor(iterationRange));
    if (output === 'margin') return Float32Array.from(m);
    return applyTransform(this.transform, m, 1, m.length);
  }

  /**
   * Scores one row without allocating (when `into` is given): the fast path for online
   * scoring. `row` holds `numFeatures` numbers (NaN, null or undefined = missing).
   * Returns `into`, holding `numOutputs` values ('value': transformed; for multi:softmax,
   * the class index in `into[0]`) or margins. `iterationRange` works as in `predict`,
   * defaulting to the same rounds.
   *
   * @example
   * const out = new Float32Array(model.numOutputs);
   * model.predictRow([35, 30, 0, 0, 1, 0, 0], out); // out[k] = p(class k)
   * model.predictRow([35, 30, 0, 0, 1, 0, 0], out, 'margin', [0, 10]); // margins of rounds [0, 10)
   */
  predictRow(
    row: ArrayLike<number | null | undefined>,
    into: Float32Array = new Float32Array(this.numOutputs),
    output: 'value' | 'margin' = 'value',
    iterationRange?: readonly [number, number],
  ): Float32Array {
    const n = this.numFeatures;
    if (row.length !== n) throw new InputError(`row has ${row.length} values, expected ${n}`);
    if (into.length < this.numOutputs) throw new InputError(`output buffer holds ${into.length} values, expected ${this.numOutputs}`);
    // A Float32Array row is scored in place; anything else is copied, null and undefined as NaN.
    let x: Float32Array;
    if (row instanceof Float32Array) x = row;
    else {
      x = this.rowInput;
      for (let f = 0; f < n; f++) {
        const v = row[f];
        x[f] = v === null || v === undefined ? NaN : v;
      }
    }
    const m = this.rowMargins;
    const trees = iterationRange === undefined ? this.defaultTrees : this.treesFor(iterationRange);
    if (this.predictor) this.predictor.predictRowInto(x, m, trees);
    else m.set(this.linearMargins(x, 1));
    if (output === 'margin') {
      for (let k = 0; k < m.length; k++) into[k] = m[k];
      return into;
    }
    return applyTransform(this.transform, m, 1, m.length, into);
  }

  /**
   * Applies the objective's transform to margins (`numRows × numOutputs`), as `predict`
   * does for 'value'; for margins computed elsewhere, e.g. by a worker pool.
   *
   * @example
   * model.marginsToValues(model.predict(rows, { output: 'margin' }), rows.length);
   */
  marginsToValues(margins: ArrayLike<number>, numRows: number): Float32Array {
    return applyTransform(this.transform, margins, numRows, this.numOutputs);
  }

  /**
   * The rows as the model reads them: a row-major float32 matrix of `numRows ×
   * numFeatures`, columns matched by feature name (a `Table`, named rows), category names
   * coded, missing values as NaN (a Float32Array input is returned as it is). What
   * `predict`, `explainXGBoost` and the worker pool score.
   *
   * @example
   * const { values, numRows } = model.encodeRows([{ age: 35, city: 'Delhi' }]);
   */
  encodeRows(rows: Rows): { values: Float32Array; numRows: number } {
    return encodeRows(rows, this.schema);
  }

  /**
   * Global feature importance, as XGBoost's `get_score(importance_type=type)` reports it:
   * only features some split uses, keyed by feature name (or `f{i}`).
   *
   * @example
   * model.featureImportance('gain'); // Map { 'last_login_days' => 14.2, 'age' => 3.1, ... }
   */
  featureImportance(type: ImportanceType = 'weight'): Map<string, number> {
    if (!this.ensemble) throw new InputError('feature importance needs a tree model; this one is gblinear');
    return featureImportance(this.ensemble, type, this.featureNames);
  }

  /**
   * The trees that boosting rounds `iterationRange` select, validated like XGBoost's
   * `iteration_range` (`[0, 0]` = every round); without a range, the model's default
   * rounds (every round, or `[0, best_iteration + 1)` when loaded with `useBestIteration`).
   * The one rule behind `predict` (every output), `predictRow`, the worker pool and the CLI.
   *
   * @example
   * model.treesFor([0, 10]); // { treeBegin: 0, treeEnd: 40 } for 4 classes
   */
  treesFor(iterationRange: readonly [number, number] = this.defaultIterationRange): { treeBegin: number; treeEnd: number } {
    if (!Array.isArray(iterationRange) || iterationRange.length !== 2) throw new InputError(`iterationRange must be [begin, end], got ${describeValue(iterationRange)}`);
    const [begin, end] = iterationRange;
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
