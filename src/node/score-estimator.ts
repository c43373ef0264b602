import { InputError, RetailMlError } from '../errors.js';
import type { Estimator, Labels } from '../estimator.js';
import { XGBoostEstimator } from '../formats/pickle/xgboost-estimator.js';
import type { ScoreCell, ScoreInputBatch } from './score-input.js';
import { featureColumns, type RejectedRow } from './score-rows.js';
import type { ScoreValueKind, ScoreValues } from './score-writers/score-sink.js';

/**
 * Which estimator method scores: scikit-learn's names.
 *
 * @example
 * await scoreFile(loadModelFile('churn.pkl'), 'in.csv', 'out.csv', { method: 'predict' satisfies ScoreMethod });
 */
export type ScoreMethod = 'predict' | 'predict_proba' | 'transform';

/**
 * One block scored by an estimator: the kept rows' ids and scores, and the rows refused.
 *
 * @example
 * const { ids, values, rejected }: EstimatorBlock = scorer.score(batch);
 */
export interface EstimatorBlock {
  ids: ScoreCell[][];
  values: ScoreValues;
  numRows: number;
  rejected: RejectedRow[];
}

/**
 * Whether a model is an estimator-protocol model (pickles, joblib files, MLflow folders,
 * forests, k-means, pipelines) rather than an `XGBoostModel` booster.
 *
 * @example
 * isEstimator(loadModelFile('pipeline.pkl')) // => true
 */
export function isEstimator(model: object): model is Estimator {
  return typeof (model as Estimator).estimatorType === 'string' && typeof (model as Estimator).toJSON === 'function';
}

/**
 * scikit-learn's convention, as `retail-ml predict`: probabilities for classifiers, predict
 * for regressors and clusterers (k-means: the cluster index), transform for transformers.
 *
 * @example
 * defaultScoreMethod(loadModelFile('kmeans.pkl')) // => 'predict'
 */
export function defaultScoreMethod(est: Estimator): ScoreMethod {
  if (est.estimatorType === 'classifier' && est.predictProba) return 'predict_proba';
  if (est.estimatorType === 'transformer' && est.transform) return 'transform';
  return 'predict';
}

/**
 * Scores blocks of input rows with any estimator, in the shape `retail-ml predict` writes:
 * `predict_proba` gives `proba_<class>` per class, `transform` one column per output name,
 * `predict` a `predict` column (labels, values or cluster indices). Input columns are
 * matched by the estimator's input names when it has them, else taken by position; a cell
 * is a number when it reads as one, missing when empty/NA, else kept as text (category
 * names for encoders). With `skipBadRows`, a block the estimator refuses is scored row by
 * row and the rows it refuses are set aside with its message.
 *
 * @example
 * const scorer = new EstimatorBlockScorer(loadModelFile('forest.pkl'), undefined, header, ['customer_id'], false);
 * const { ids, values } = scorer.score(batch);
 */
export class EstimatorBlockScorer {
  readonly method: ScoreMethod;
  private readonly columns: number[];
  private readonly idColumns: number[];
  private readonly float32: boolean;
  private outputNames: string[] | null;

  constructor(
    private readonly est: Estimator,
    method: ScoreMethod | undefined,
    private readonly header: readonly string[],
    ids: readonly string[],
    private readonly skipBadRows: boolean,
  ) {
    this.method = method ?? defaultScoreMethod(est);
    if (this.method === 'predict_proba' && (est.estimatorType !== 'classifier' || !est.predictProba)) throw new InputError(`method predict_proba needs a classifier; this model is a ${est.estimatorType}`);
    if (this.method === 'transform' && !est.transform) throw new InputError(`method transform needs a transformer; this model is a ${est.estimatorType}`);
    if (this.method === 'predict' && !est.predict) throw new InputError(`this ${est.estimatorType} has no predict`);
    this.columns = featureColumns({ featureNames: est.featureNamesIn, numFeatures: est.numFeaturesIn }, header);
    this.idColumns = ids.map((name) => {
      const c = header.indexOf(name);
      if (c < 0) throw new InputError(`input has no id column '${name}' (columns: ${header.slice(0, 20).join(', ')})`);
      return c;
    });
    // XGBoost's scores are float32s: written as such, as `retail-ml predict` does (class labels excepted).
    this.float32 = est instanceof XGBoostEstimator && !(this.method === 'predict' && est.estimatorType === 'classifier');
    this.outputNames = this.knownNames();
  }

  /** The score columns' names, when known before scoring (else after the first block). */
  names(): string[] | null {
    return this.outputNames;
  }

  /** Scores one block; see the class. */
  score(batch: ScoreInputBatch): EstimatorBlock {
    const rows = batch.rows.map((cells) => this.columns.map((c) => estimatorCell(cells[c])));
    const keep = (r: number) => this.idColumns.map((c) => batch.rows[r][c]);
    // Some estimators refuse an empty input; an empty block has nothing to score anyway.
    if (rows.length === 0) return { ids: [], values: { kind: 'label', width: this.width(), data: [] }, numRows: 0, rejected: [] };
    try {
      const values = this.run(rows);
      return { ids: batch.rows.map((_, r) => keep(r)), values, numRows: rows.length, rejected: [] };
    } catch (error) {
      if (!(error instanceof RetailMlError) || rows.length === 0) throw error;
      // Estimators number rows within the block (from 0); name the row of the whole input instead.
      const at = /^row (\d+), (.*)$/s.exec(error.message);
      if (!this.skipBadRows) throw at ? new InputError(`row ${batch.firstRow + Number(at[1])}, ${this.columnName(at[2])}`, { cause: error }) : error;
    }
    // The estimator refused the block: find the rows it refuses, one by one.
    const ids: ScoreCell[][] = [];
    const rejected: RejectedRow[] = [];
    const parts: ScoreValues[] = [];
    for (let r = 0; r < rows.length; r++) {
      try {
        parts.push(this.run([rows[r]]));
        ids.push(keep(r));
      } catch (error) {
        if (!(error instanceof RetailMlError)) throw error;
        rejected.push({ row: batch.firstRow + r, reason: this.columnName(error.message.replace(/^row 0, /, '')), cells: batch.rows[r] });
      }
    }
    return { ids, values: concatValues(parts, this.width()), numRows: ids.length, rejected };
  }

  /** The number of score columns, once known (1 before any block for predict). */
  width(): number {
    return this.outputNames?.length ?? 1;
  }

  /** An estimator names its input columns by index ('column 2: …'); name the input file's column instead. */
  private columnName(reason: string): string {
    return reason.replace(/^column (\d+): /, (all, k: string) => (Number(k) < this.columns.length ? `column '${this.header[this.columns[Number(k)]]}': ` : all));
  }

  private knownNames(): string[] | null {
    return estimatorScoreNames(this.est, this.method);
  }

  private run(rows: unknown[][]): ScoreValues {
    const est = this.est;
    let values: ScoreValues;
    if (this.method === 'predict_proba' || this.method === 'transform') {
      const m = this.method === 'predict_proba' ? est.predictProba!(rows) : est.transform!(rows);
      values = { kind: this.float32 ? 'float32' : 'float64', width: m.cols, data: m.data };
      this.outputNames ??= Array.from({ length: m.cols }, (_, k) => (this.method === 'predict_proba' ? `proba_${k}` : `x${k}`));
    } else {
      const out = est.predict!(rows);
      const width = rows.length === 0 ? this.width() : out.length / rows.length;
      const kind: ScoreValueKind = out instanceof Float64Array ? (this.float32 ? 'float32' : 'float64') : out instanceof Int32Array ? 'int32' : 'label';
      values = { kind, width, data: out as Float64Array | Int32Array | Labels };
      this.outputNames ??= width === 1 ? ['predict'] : Array.from({ length: width }, (_, k) => `predict_${k}`);
    }
    if (rows.length > 0 && values.width !== this.width()) throw new InputError(`the model returned ${values.width} columns for a block, ${this.width()} before`);
    return values;
  }
}

/**
 * The score columns' names an estimator gives before scoring anything: `proba_<class>` from
 * its classes, its transform's output names; null when only its scores tell (`predict`).
 *
 * @example
 * estimatorScoreNames(loadModelFile('forest.pkl'), 'predict_proba') // => ['proba_0', 'proba_1']
 */
export function estimatorScoreNames(est: Estimator, method: ScoreMethod): string[] | null {
  if (method === 'predict_proba') return est.classes ? est.classes.map((c) => `proba_${String(c)}`) : null;
  if (method === 'transform') return est.outputNames ? [...est.outputNames()] : null;
  return null;
}

/** Joins blocks of scores scored row by row. */
function concatValues(parts: readonly ScoreValues[], width: number): ScoreValues {
  if (parts.length === 0) return { kind: 'label', width, data: [] };
  const kind = parts[0].kind;
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const data = kind === 'float32' || kind === 'float64' ? new Float64Array(total) : kind === 'int32' ? new Int32Array(total) : new Array<string | number | boolean>(total);
  let at = 0;
  for (const p of parts) for (let i = 0; i < p.data.length; i++) (data as (string | number | boolean)[])[at++] = p.data[i];
  return { kind, width, data: data as ScoreValues['data'] };
}

/** A cell as `retail-ml predict` hands it to an estimator: a number, null for missing, else the text. */
function estimatorCell(cell: ScoreCell): unknown {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'bigint') return Number(cell);
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (cell === '' || cell === 'NA') return null;
  const value = Number(cell);
  return Number.isNaN(value) && cell.trim() !== 'NaN' ? cell : value;
}
