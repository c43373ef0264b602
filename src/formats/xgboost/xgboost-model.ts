import { describeValue, InputError } from '../../errors.js';
import { codeGenerationPolicy, noteCodeGenerationRefused } from '../../trees/code-generation.js';
import { compileEnsemble, interpretedPredictor, type CompiledPredictor } from '../../trees/compile.js';
import { featureImportance, type ImportanceType } from '../../trees/importance.js';
import { predictLeaves } from '../../trees/predict.js';
import { encodeRows, type Rows } from '../../trees/rows.js';
import { approximateContributions, shapInteractions, treeShap } from '../../trees/shap.js';
import type { TreeEnsemble } from '../../trees/types.js';
import { applyTransform, outputTransform, xgboostSigmoid, type OutputTransform } from './objective.js';
import type { LearnerParts, LinearBooster } from './read-learner.js';

/**
 * What `predict` returns: transformed predictions, raw margins, leaf ids per tree, or
 * explanations: exact TreeSHAP ('contrib', XGBoost's `pred_contribs`), Saabas
 * ('contrib-approx', `approx_contribs`) or SHAP interaction values ('interactions',
 * `pred_interactions`).
 */
export type XGBoostOutput = 'value' | 'margin' | 'leaf' | 'contrib' | 'contrib-approx' | 'interactions';

const OUTPUTS: readonly XGBoostOutput[] = ['value', 'margin', 'leaf', 'contrib', 'contrib-approx', 'interactions'];

/** How a model scores: compiled JavaScript (when `new Function` is allowed) or the interpreter. */
export interface XGBoostEngineOptions {
  /**
   * 'auto' (default): compile trees to JavaScript unless a Content-Security-Policy that can be
   * read (a `<meta>` tag, an extension page's manifest) or an earlier refusal in this realm
   * says `new Function` is forbidden, so no violation report is filed where that is
   * detectable; else the interpreter, with one row on WebAssembly where that is allowed.
   * true: always try to compile (falling back the same way). false: the interpreter only.
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

  /** True when predictions run on compiled JavaScript, false when on the interpreter. */
  readonly compiled: boolean;
  /** What `predictRow` runs on for the default rounds: WebAssembly (also without `new Function`), generated JavaScript or the interpreter. */
  readonly rowEngine: 'webassembly' | 'javascript' | 'interpreter';
  /** What `predict` runs batches on for the default rounds (other ranges run the JavaScript or the interpreter). */
  readonly batchEngine: 'webassembly' | 'javascript' | 'interpreter';

  private readonly linear: LinearBooster | null;
  private readonly transform: OutputTransform;
  private readonly categoryCodes: (Map<string, number> | null)[];
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
    this.categoryCodes = [];
    categories.forEach((names, f) => {
      if (names) this.categoryCodes[f] = new Map(names.map((name, code) => [name, code]));
    });
    // gblinear has no rounds to cut: XGBoost's sklearn wrapper scores all of it, best_iteration or not.
    this.defaultIterationRange = useBestIteration && parts.bestIteration !== null && parts.ensemble ? [0, parts.bestIteration + 1] : [0, 0];
    this.defaultTrees = this.treesFor(this.defaultIterationRange);
    // The one-row fast path (WebAssembly) is built for the default trees, the range predictRow uses.
    const mode = engine.compile ?? 'auto';
    const compiled = parts.ensemble && mode !== false ? compileIfAllowed(parts.ensemble, this.defaultTrees, mode === 'auto') : null;
    this.compiled = compiled !== null;
    // WebAssembly needs only 'wasm-unsafe-eval', so one row keeps it where JavaScript may not be generated.
    this.predictor = compiled ?? (parts.ensemble ? interpretedPredictor(parts.ensemble, { webassembly: mode !== false, rowRange: this.defaultTrees }) : null);
    this.rowEngine = this.predictor ? this.predictor.rowEngine : 'interpreter';
    this.batchEngine = this.predictor ? this.predictor.batchEngine : 'interpreter';
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
    if (!OUTPUTS.includes(output)) throw new InputError(`output must be one of ${OUTPUTS.map((o) => `'${o}'`).join(', ')}, got '${String(output)}'`);
    // One array or named row is converted into the model's row buffer (scoring is synchronous and keeps no reference).
    const { values, numRows } = encodeRows(rows, { numFeatures: this.numFeatures, featureNames: this.featureNames, categoryCodes: this.categoryCodes }, this.rowInput);
    // One row skips the batch machinery: predictRow's path (WebAssembly where the trees allow it), same bits.
    if (numRows === 1 && this.predictor !== null && (output === 'value' || output === 'margin')) return this.predictOne(values, output, options.iterationRange);
    const range = this.treesFor(options.iterationRange);
    if (output === 'leaf') {
      if (!this.ensemble) throw new InputError('leaf output needs a tree model; this one is gblinear');
      return Float32Array.from(predictLeaves(this.ensemble, values, numRows, range));
    }
    if (output === 'contrib' || output === 'contrib-approx' || output === 'interactions') return this.explain(output, values, numRows, range);
    const margins = this.predictor ? this.predictor.predictMargins(values, numRows, range) : this.linearMargins(values, numRows);
    if (output === 'margin') return Float32Array.from(margins);
    return applyTransform(this.transform, margins, numRows, this.numOutputs);
  }

  /** `predict` for one row of a tree model: `predictRow`'s engine and transform into a fresh array, same bits as the batch path. */
  private predictOne(x: Float32Array, output: 'value' | 'margin', iterationRange: readonly [number, number] | undefined): Float32Array {
    const m = this.rowMargins;
    this.predictor!.predictRowInto(x, m, iterationRange === undefined ? this.defaultTrees : this.treesFor(iterationRange));
    if (output === 'margin') return Float32Array.from(m);
    const into = new Float32Array(this.transform === 'argmax' ? 1 : m.length);
    transformRowInto(this.transform, m, into);
    return into;
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
    transformRowInto(this.transform, m, into);
    return into;
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

  private explain(output: 'contrib' | 'contrib-approx' | 'interactions', values: Float32Array, numRows: number, range: { treeBegin: number; treeEnd: number }): Float32Array {
    if (!this.ensemble) {
      if (output === 'interactions') throw new InputError('interaction values need a tree model; a linear model has none');
      return this.linearContributions(values, numRows);
    }
    if (output === 'contrib') return Float32Array.from(treeShap(this.ensemble, values, numRows, range));
    if (output === 'contrib-approx') return Float32Array.from(approximateContributions(this.ensemble, values, numRows, range));
    return Float32Array.from(shapInteractions(this.ensemble, values, numRows, range));
  }

  /** gblinear's contributions: x·w per present feature, bias + base margin last (XGBoost's layout). */
  private linearContributions(values: Float32Array, numRows: number): Float32Array {
    const weights = this.linear!.weights;
    const k = this.numOutputs;
    const nf = this.numFeatures;
    const f = Math.fround;
    const out = new Float32Array(numRows * k * (nf + 1));
    for (let r = 0; r < numRows; r++) {
      for (let g = 0; g < k; g++) {
        const o = (r * k + g) * (nf + 1);
        for (let j = 0; j < nf; j++) {
          const x = values[r * nf + j];
          if (x === x) out[o + j] = f(x * weights[j * k + g]);
        }
        out[o + nf] = f(weights[nf * k + g] + this.baseMargin[g]);
      }
    }
    return out;
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

/**
 * The compiled predictor, or null where generating JavaScript is forbidden. With `auto`,
 * a policy known to forbid it is not tried (trying files a CSP violation report), and a
 * refusal is remembered for later loads.
 */
function compileIfAllowed(ensemble: TreeEnsemble, rowRange: { treeBegin: number; treeEnd: number }, auto: boolean): CompiledPredictor | null {
  if (auto && codeGenerationPolicy().javascript === false) return null;
  try {
    return compileEnsemble(ensemble, { rowRange });
  } catch (error) {
    if (auto && error instanceof EvalError) noteCodeGenerationRefused('javascript');
    return null;
  }
}

/** `applyTransform` for one row, written into `into` without allocating; same float32 steps. */
function transformRowInto(transform: OutputTransform, m: Float64Array, into: Float32Array): void {
  const f = Math.fround;
  const width = m.length;
  if (transform === 'argmax') {
    let best = 0;
    for (let k = 1; k < width; k++) if (m[k] > m[best]) best = k;
    into[0] = best;
    return;
  }
  if (transform === 'softmax') {
    let max = m[0];
    for (let k = 1; k < width; k++) max = Math.max(max, m[k]);
    let sum = 0;
    for (let k = 0; k < width; k++) {
      const e = f(Math.exp(f(m[k] - max)));
      into[k] = e;
      sum += e;
    }
    const total = f(sum);
    for (let k = 0; k < width; k++) into[k] = f(into[k] / total);
    return;
  }
  for (let k = 0; k < width; k++) {
    const x = m[k];
    if (transform === 'sigmoid') into[k] = xgboostSigmoid(x);
    else if (transform === 'exp') into[k] = f(Math.exp(x));
    else if (transform === 'hinge') into[k] = x > 0 ? 1 : 0;
    else into[k] = x;
  }
}
