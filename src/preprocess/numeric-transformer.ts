import { ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { frameNumbers, inputFrame } from '../estimator-input.js';
import { SimpleImputer } from './impute.js';
import { IqrClipper } from './iqr-clipper.js';
import { checkJsonType, numberArrayField, stringsOrNullField, type DenseMatrix } from './matrix.js';
import { PCA } from './pca.js';
import { PowerTransformer } from './power-transformer.js';
import { StandardScaler } from './standard-scaler.js';

/** The fitted numeric preprocessors a {@link NumericTransformer} can hold. */
export type NumericStep = StandardScaler | PowerTransformer | PCA | SimpleImputer | IqrClipper;

/** What a {@link NumericTransformer} is made of. */
export interface NumericTransformerSpec {
  step: NumericStep;
  numFeaturesIn: number;
  featureNamesIn?: readonly string[] | null;
  /** The input columns the step reads, in order (default: all). A `SimpleImputer` drops columns it saw no value of. */
  inputColumns?: readonly number[] | null;
  /** Divides each output column (PCA's `whiten`: √explained variance). */
  outputDivisor?: Float64Array | null;
  /** Output names (default: the names of the columns read, or `x0`, `x1`, …). */
  outputNames?: readonly string[] | null;
}

/** JSON form of a {@link NumericTransformer}. */
export interface NumericTransformerJSON {
  type: 'NumericTransformer';
  step: unknown;
  numFeaturesIn: number;
  featureNamesIn: string[] | null;
  inputColumns: number[] | null;
  outputDivisor: number[] | null;
  /** Names fixed by the step (PCA's), else null. */
  outputNames: string[] | null;
}

/**
 * A fitted numeric preprocessor (`StandardScaler`, `PowerTransformer`, `PCA`,
 * `SimpleImputer`, `IqrClipper`) behind the estimator protocol: it takes named rows or a
 * `Table` (matched by `featureNamesIn`) as well as numbers, and names its outputs.
 *
 * @example
 * const t = new NumericTransformer({ step: new StandardScaler().fit([[1], [3]]), numFeaturesIn: 1, featureNamesIn: ['spend'] });
 * t.transform([{ spend: 3 }]).data // => Float64Array [1]
 */
export class NumericTransformer implements Estimator {
  readonly estimatorType = 'transformer' as const;
  readonly step: NumericStep;
  readonly numFeaturesIn: number;
  readonly featureNamesIn: readonly string[] | null;
  readonly inputColumns: readonly number[] | null;
  readonly outputDivisor: Float64Array | null;
  readonly #outputNames: readonly string[];
  /** Output names fixed by the step (PCA's `pca0`…), else null: then they are the input names. */
  readonly #fixedNames: readonly string[] | null;
  /** The step's JSON type, for error messages (class names do not survive minifying). */
  readonly #name: string;

  constructor(spec: NumericTransformerSpec) {
    this.step = spec.step;
    this.#name = spec.step.toJSON().type;
    this.numFeaturesIn = spec.numFeaturesIn;
    this.featureNamesIn = spec.featureNamesIn ?? null;
    this.inputColumns = spec.inputColumns ?? null;
    this.outputDivisor = spec.outputDivisor ?? null;
    if (this.featureNamesIn && this.featureNamesIn.length !== this.numFeaturesIn) {
      throw new ModelFormatError('NumericTransformer.featureNamesIn', `has ${this.featureNamesIn.length} names for ${this.numFeaturesIn} columns`);
    }
    if (this.inputColumns?.some((c) => !Number.isInteger(c) || c < 0 || c >= this.numFeaturesIn)) {
      throw new ModelFormatError('NumericTransformer.inputColumns', `must be column indices below ${this.numFeaturesIn}`);
    }
    const read = this.inputColumns ?? Array.from({ length: this.numFeaturesIn }, (_, j) => j);
    this.#fixedNames = spec.outputNames ?? null;
    this.#outputNames = this.outputNamesFor(Array.from({ length: this.numFeaturesIn }, (_, j) => this.featureNamesIn?.[j] ?? `x${j}`));
  }

  /**
   * The step's transform of the (selected) input columns.
   *
   * @example
   * t.transform({ data: Float64Array.of(3), rows: 1, cols: 1 });
   */
  transform(x: EstimatorInput): DenseMatrix {
    const frame = inputFrame(x, this, this.#name);
    const picked = this.inputColumns ? { ...frame, columns: this.inputColumns.map((j) => frame.columns[j]) } : frame;
    const out = this.step.transform(frameNumbers(picked));
    const d = this.outputDivisor;
    if (d) for (let i = 0; i < out.data.length; i++) out.data[i] /= d[i % out.cols];
    return out;
  }

  /**
   * Names of the output columns.
   *
   * @example
   * t.outputNames() // => ['spend']
   */
  outputNames(): readonly string[] {
    return this.#outputNames;
  }

  /**
   * Output names for the given input names (scikit-learn's `get_feature_names_out(input_features)`).
   *
   * @example
   * t.outputNamesFor(['amount']) // => ['amount']
   */
  outputNamesFor(inputNames: readonly string[]): readonly string[] {
    if (this.#fixedNames) return this.#fixedNames;
    return this.inputColumns ? this.inputColumns.map((j) => inputNames[j]) : inputNames;
  }

  /**
   * JSON that {@link NumericTransformer.fromJSON} reads back.
   *
   * @example
   * NumericTransformer.fromJSON(JSON.parse(JSON.stringify(t)));
   */
  toJSON(): NumericTransformerJSON {
    return {
      type: 'NumericTransformer',
      step: this.step.toJSON(),
      numFeaturesIn: this.numFeaturesIn,
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
      inputColumns: this.inputColumns ? [...this.inputColumns] : null,
      outputDivisor: this.outputDivisor ? Array.from(this.outputDivisor) : null,
      outputNames: this.#fixedNames ? [...this.#fixedNames] : null,
    };
  }

  /**
   * Restores a transformer from {@link NumericTransformer.toJSON} output.
   *
   * @example
   * const t = NumericTransformer.fromJSON(json);
   */
  static fromJSON(json: unknown): NumericTransformer {
    const obj = checkJsonType(json, 'NumericTransformer');
    const stepType = (obj.step as { type?: unknown } | null)?.type;
    const revive: Record<string, (j: unknown) => NumericStep> = {
      StandardScaler: StandardScaler.fromJSON,
      PowerTransformer: PowerTransformer.fromJSON,
      PCA: PCA.fromJSON,
      SimpleImputer: SimpleImputer.fromJSON,
      IqrClipper: IqrClipper.fromJSON,
    };
    if (typeof stepType !== 'string' || !Object.prototype.hasOwnProperty.call(revive, stepType)) {
      throw new ModelFormatError('NumericTransformer.step.type', `must be one of ${Object.keys(revive).join(', ')}`);
    }
    const n = obj.numFeaturesIn;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ModelFormatError('NumericTransformer.numFeaturesIn', 'must be a whole number');
    return new NumericTransformer({
      step: revive[stepType](obj.step),
      numFeaturesIn: n,
      featureNamesIn: stringsOrNullField(obj, 'featureNamesIn', 'NumericTransformer'),
      inputColumns: obj.inputColumns === null ? null : Array.from(numberArrayField(obj, 'inputColumns', 'NumericTransformer')),
      outputDivisor: obj.outputDivisor === null ? null : numberArrayField(obj, 'outputDivisor', 'NumericTransformer'),
      outputNames: stringsOrNullField(obj, 'outputNames', 'NumericTransformer'),
    });
  }
}
