import { FitError, ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { frameNumbers, inputFrame, inputWidth } from '../estimator-input.js';
import { checkJsonType, numberArrayField, stringsOrNullField, type DenseMatrix } from './matrix.js';

/** JSON form of a fitted {@link MinMaxScaler}. */
export interface MinMaxScalerJSON {
  type: 'MinMaxScaler';
  featureRange: [number, number];
  clip: boolean;
  /** Per column: output = x · scale + min (scikit-learn's `scale_` and `min_`). */
  scale: number[];
  min: number[];
  dataMin: number[];
  dataMax: number[];
  featureNamesIn: string[] | null;
}

/** Options of {@link MinMaxScaler.fit}. */
export interface MinMaxScalerOptions {
  /** Output range, default [0, 1]. */
  featureRange?: readonly [number, number];
  /** Clip transformed values to the range (for rows beyond the fitted min and max). */
  clip?: boolean;
}

const EPS = 2 ** -52;

/**
 * Scales each column linearly so the fitted minimum and maximum land on `featureRange`,
 * exactly as scikit-learn's `MinMaxScaler` (`x · scale_ + min_`, NaN ignored in fit and
 * kept in transform, near-constant columns get range 1, optional clipping).
 *
 * @example
 * const s = MinMaxScaler.fit([[1], [3]]);
 * s.transform([[2], [5]]).data // => Float64Array [0.5, 2]
 */
export class MinMaxScaler implements Estimator {
  readonly estimatorType = 'transformer' as const;
  readonly numFeaturesIn: number;

  constructor(
    readonly scale: Float64Array,
    readonly min: Float64Array,
    readonly options: { featureRange: readonly [number, number]; clip: boolean; dataMin?: Float64Array; dataMax?: Float64Array },
    readonly featureNamesIn: readonly string[] | null = null,
  ) {
    if (min.length !== scale.length) throw new ModelFormatError('MinMaxScaler.min', `has ${min.length} values, scale ${scale.length}`);
    if (featureNamesIn && featureNamesIn.length !== scale.length) throw new ModelFormatError('MinMaxScaler.featureNamesIn', `has ${featureNamesIn.length} names for ${scale.length} columns`);
    this.numFeaturesIn = scale.length;
  }

  /**
   * Fits the per-column minimum and maximum (NaN ignored). Named inputs keep their
   * column names, so later inputs are matched by name.
   *
   * @example
   * MinMaxScaler.fit([{ a: 0 }, { a: 10 }], { featureRange: [-1, 1] }).transform([{ a: 5 }]).data // => Float64Array [0]
   */
  static fit(x: EstimatorInput, options: MinMaxScalerOptions = {}): MinMaxScaler {
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(lo < hi)) throw new FitError(`MinMaxScaler: featureRange must be increasing, got [${lo}, ${hi}]`);
    const frame = inputFrame(x, { featureNamesIn: null, numFeaturesIn: inputWidth(x) }, 'MinMaxScaler.fit');
    const { data, rows, cols } = frameNumbers(frame);
    if (rows === 0) throw new FitError('MinMaxScaler.fit: no rows');
    const dataMin = new Float64Array(cols).fill(Infinity);
    const dataMax = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        if (v < dataMin[j]) dataMin[j] = v;
        if (v > dataMax[j]) dataMax[j] = v;
      }
    }
    const scale = new Float64Array(cols);
    const min = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      if (dataMin[j] > dataMax[j]) throw new FitError(`MinMaxScaler.fit: column ${j} has no values`);
      let range = dataMax[j] - dataMin[j];
      // scikit-learn's _handle_zeros_in_scale: a (near-)constant column is left unscaled.
      if (range < 10 * EPS) range = 1;
      scale[j] = (hi - lo) / range;
      min[j] = lo - dataMin[j] * scale[j];
    }
    return new MinMaxScaler(scale, min, { featureRange: [lo, hi], clip: options.clip ?? false, dataMin, dataMax }, frame.names);
  }

  /**
   * `x · scale + min` per column (NaN stays NaN), clipped to the range when `clip`.
   *
   * @example
   * scaler.transform([[2]]).data
   */
  transform(x: EstimatorInput): DenseMatrix {
    const { data, rows, cols } = frameNumbers(inputFrame(x, this, 'MinMaxScaler'));
    const out = new Float64Array(data.length);
    const [lo, hi] = this.options.featureRange;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let v = data[i * cols + j] * this.scale[j] + this.min[j];
        if (this.options.clip) v = v < lo ? lo : v > hi ? hi : v;
        out[i * cols + j] = v;
      }
    }
    return { data: out, rows, cols };
  }

  /**
   * Output column names: the input names (or `x0`, `x1`, … as scikit-learn names unnamed columns).
   *
   * @example
   * MinMaxScaler.fit([[1], [2]]).outputNames() // => ['x0']
   */
  outputNames(): string[] {
    return this.featureNamesIn ? [...this.featureNamesIn] : Array.from({ length: this.numFeaturesIn }, (_, j) => `x${j}`);
  }

  /**
   * Output names for the given input names: the same names.
   *
   * @example
   * scaler.outputNamesFor(['spend']) // => ['spend']
   */
  outputNamesFor(inputNames: readonly string[]): string[] {
    return [...inputNames];
  }

  /**
   * JSON that {@link MinMaxScaler.fromJSON} reads back.
   *
   * @example
   * MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
   */
  toJSON(): MinMaxScalerJSON {
    const n = this.numFeaturesIn;
    return {
      type: 'MinMaxScaler',
      featureRange: [this.options.featureRange[0], this.options.featureRange[1]],
      clip: this.options.clip,
      scale: Array.from(this.scale),
      min: Array.from(this.min),
      dataMin: Array.from(this.options.dataMin ?? new Float64Array(n).fill(NaN)),
      dataMax: Array.from(this.options.dataMax ?? new Float64Array(n).fill(NaN)),
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
    };
  }

  /**
   * Restores a scaler from {@link MinMaxScaler.toJSON} output.
   *
   * @example
   * const s = MinMaxScaler.fromJSON({ type: 'MinMaxScaler', featureRange: [0, 1], clip: false, scale: [0.5], min: [-0.5], dataMin: [1], dataMax: [3], featureNamesIn: null });
   */
  static fromJSON(json: unknown): MinMaxScaler {
    const obj = checkJsonType(json, 'MinMaxScaler');
    const scale = numberArrayField(obj, 'scale', 'MinMaxScaler');
    const n = scale.length;
    const range = numberArrayField(obj, 'featureRange', 'MinMaxScaler', 2);
    return new MinMaxScaler(
      scale,
      numberArrayField(obj, 'min', 'MinMaxScaler', n),
      {
        featureRange: [range[0], range[1]],
        clip: obj.clip === true,
        dataMin: numberArrayField(obj, 'dataMin', 'MinMaxScaler', n, true),
        dataMax: numberArrayField(obj, 'dataMax', 'MinMaxScaler', n, true),
      },
      stringsOrNullField(obj, 'featureNamesIn', 'MinMaxScaler'),
    );
  }
}
