import { InputError } from '../../errors.js';
import type { Estimator, EstimatorInput, EstimatorType, Labels } from '../../estimator.js';
import { isTable } from '../../features/is-table.js';
import type { DenseMatrix } from '../../preprocess/matrix.js';
import type { Rows } from '../../trees/rows.js';
import { loadXGBoost } from '../xgboost/load-xgboost.js';
import type { XGBoostModel } from '../xgboost/xgboost-model.js';

/** What {@link XGBoostEstimator.toJSON} writes. */
export interface XGBoostEstimatorJSON {
  type: 'XGBoostEstimator';
  estimatorType: 'classifier' | 'regressor';
  /** The Python class it came from, e.g. `xgboost.sklearn.XGBClassifier`. */
  pythonClass: string;
  classes: Labels | null;
  featureNamesIn: string[] | null;
  /** The model as XGBoost's JSON model document. */
  model: unknown;
}

/**
 * An XGBoost model behind the one estimator protocol, as XGBoost's scikit-learn wrapper
 * scores it: `XGBClassifier` (`predictProba`, `predict` → class labels), `XGBRegressor`
 * and a bare `Booster` (`predict` → XGBoost's values, row-major `n × numOutputs`).
 * Margins and leaves stay available through {@link XGBoostEstimator.predictMargin} and `model`.
 *
 * @example
 * const clf = loadPickle(readFileSync('xgb_model_category.pkl')) as XGBoostEstimator;
 * clf.predictProba([[35, 30, 0, 0, 1, 0, 0]]).data; // Float64Array of 4 probabilities
 */
export class XGBoostEstimator implements Estimator {
  readonly estimatorType: EstimatorType;
  readonly featureNamesIn: readonly string[] | null;
  readonly numFeaturesIn: number;
  readonly classes?: Labels;
  readonly pythonClass: string;
  readonly model: XGBoostModel;
  private readonly document: unknown;

  /** @internal Use `loadPickle`, `loadJoblib` or {@link XGBoostEstimator.fromJSON}. */
  constructor(document: unknown, model: XGBoostModel, kind: 'classifier' | 'regressor', pythonClass: string, classes: Labels | null, featureNamesIn: readonly string[] | null) {
    this.document = document;
    this.model = model;
    this.estimatorType = kind;
    this.pythonClass = pythonClass;
    this.featureNamesIn = featureNamesIn ?? model.featureNames;
    this.numFeaturesIn = model.numFeatures;
    if (classes) this.classes = classes;
  }

  /**
   * Classifiers: class labels (argmax, or p > 0.5 for binary); otherwise XGBoost's values.
   *
   * @example
   * clf.predict([[35, 30, 0, 0, 1, 0, 0]]) // => Int32Array [3]
   */
  predict(x: EstimatorInput): Float64Array | Int32Array | Labels {
    if (this.estimatorType !== 'classifier') return Float64Array.from(this.model.predict(this.rows(x)));
    const proba = this.predictProba(x);
    const labels = this.classes ?? [];
    const picked = new Array<string | number | boolean>(proba.rows);
    const indices = new Int32Array(proba.rows);
    for (let r = 0; r < proba.rows; r++) {
      let best = 0;
      for (let k = 1; k < proba.cols; k++) if (proba.data[r * proba.cols + k] > proba.data[r * proba.cols + best]) best = k;
      indices[r] = best;
      picked[r] = labels[best];
    }
    return labels.every((l, i) => l === i) ? indices : picked;
  }

  /**
   * Class probabilities, one column per class; for binary models `[1 - p, p]` in float32, as XGBoost computes it.
   *
   * @example
   * clf.predictProba([[35, 30, 0, 0, 1, 0, 0]]).cols // => 4
   */
  predictProba(x: EstimatorInput): DenseMatrix {
    if (this.estimatorType !== 'classifier') throw new InputError(`${this.pythonClass} is a regressor: it has no predict_proba`);
    const values = this.model.predict(this.rows(x));
    const width = this.model.numOutputs;
    if (this.model.objective === 'multi:softmax') throw new InputError('a multi:softmax model outputs classes, not probabilities; use predict');
    if (width === 1) {
      const rows = values.length;
      const data = new Float64Array(rows * 2);
      for (let r = 0; r < rows; r++) {
        data[2 * r] = Math.fround(1 - values[r]);
        data[2 * r + 1] = values[r];
      }
      return { data, rows, cols: 2 };
    }
    return { data: Float64Array.from(values), rows: values.length / width, cols: width };
  }

  /**
   * XGBoost's raw margins (`output_margin=True`), row-major `n × numOutputs`, float32 values.
   *
   * @example
   * clf.predictMargin([[35, 30, 0, 0, 1, 0, 0]])
   */
  predictMargin(x: EstimatorInput): Float32Array {
    return this.model.predict(this.rows(x), { output: 'margin' });
  }

  /**
   * The leaf each row reaches in each tree (`pred_leaf=True`), row-major `n × trees`.
   *
   * @example
   * clf.predictLeaf([[35, 30, 0, 0, 1, 0, 0]])
   */
  predictLeaf(x: EstimatorInput): Float32Array {
    return this.model.predict(this.rows(x), { output: 'leaf' });
  }

  toJSON(): XGBoostEstimatorJSON {
    return {
      type: 'XGBoostEstimator',
      estimatorType: this.estimatorType as 'classifier' | 'regressor',
      pythonClass: this.pythonClass,
      classes: this.classes ? [...this.classes] : null,
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
      // Typed arrays become plain arrays; float32 values survive JSON exactly, NaN as null.
      model: JSON.parse(JSON.stringify(this.document, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v))),
    };
  }

  /**
   * Reads back what {@link XGBoostEstimator.toJSON} wrote.
   *
   * @example
   * const again = XGBoostEstimator.fromJSON(JSON.parse(JSON.stringify(clf)));
   */
  static fromJSON(json: XGBoostEstimatorJSON): XGBoostEstimator {
    if (json?.type !== 'XGBoostEstimator') throw new InputError('not an XGBoostEstimator JSON document');
    const model = loadXGBoost(json.model as Readonly<Record<string, unknown>>, { useBestIteration: json.pythonClass !== 'xgboost.core.Booster' });
    return new XGBoostEstimator(json.model, model, json.estimatorType, json.pythonClass, json.classes, json.featureNamesIn);
  }

  /**
   * The same model with input names (e.g. an MLflow signature's), so named rows and
   * tables are matched by name even when the model file stores none.
   *
   * @example
   * est.withFeatureNames(['age', 'days']).predict([{ age: 35, days: 30 }]);
   */
  withFeatureNames(names: readonly string[]): XGBoostEstimator {
    if (names.length !== this.numFeaturesIn) throw new InputError(`${names.length} input names for a model with ${this.numFeaturesIn} features`);
    return new XGBoostEstimator(this.document, this.model, this.estimatorType as 'classifier' | 'regressor', this.pythonClass, this.classes ?? null, names);
  }

  /**
   * The input as `model.predict` reads it. Where the model file stores feature names, the
   * model matches a Table's or named rows' columns itself; names known only here (an MLflow
   * signature, `feature_names_in_`) pick them first. Either way a Table without names is
   * read by position and must be exactly `numFeaturesIn` wide, as for `XGBoostModel`.
   */
  private rows(x: EstimatorInput): Rows {
    const names = this.featureNamesIn;
    if (!names || this.model.featureNames) return x as Rows;
    if (isTable(x)) {
      const missing = names.filter((name) => !x.has(name));
      if (missing.length > 0) throw new InputError(`input lacks the model's column(s): ${missing.join(', ')}`);
      return x.select(names);
    }
    const rows = x as readonly unknown[];
    if (Array.isArray(rows) && rows.length > 0 && !Array.isArray(rows[0]) && !ArrayBuffer.isView(rows[0])) {
      const index = new Map(names.map((name, f) => [name, f]));
      return rows.map((row, r) => {
        const out = new Array<unknown>(names.length).fill(null);
        for (const [key, value] of Object.entries(row as Record<string, unknown>)) {
          const f = index.get(key);
          if (f === undefined) throw new InputError(`row ${r + 1} has unknown feature '${key}'`);
          out[f] = value;
        }
        return out;
      }) as Rows;
    }
    return x as Rows;
  }
}
