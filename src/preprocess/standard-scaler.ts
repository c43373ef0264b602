import { FitError, ModelFormatError } from '../errors.js';
import { checkJsonType, numberArrayField, toDenseMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';

/** JSON form of a fitted {@link StandardScaler}. */
export interface StandardScalerJSON {
  type: 'StandardScaler';
  mean: number[];
  /** Population variance (ddof = 0) per column. */
  var: number[];
  /** Standard deviation used to divide; 1 for constant columns, as scikit-learn does. */
  scale: number[];
  nSamplesSeen: number[];
}

/**
 * Centres each column on its mean and divides by its population standard deviation,
 * exactly as scikit-learn's `StandardScaler` (corrected two-pass variance, NaN ignored in
 * fit and passed through in transform, near-constant columns get scale 1).
 *
 * @example
 * const s = new StandardScaler().fit([[1], [3]]);
 * s.transform([[1], [3]]).data // => Float64Array [-1, 1]
 */
export class StandardScaler {
  mean: Float64Array = new Float64Array(0);
  var: Float64Array = new Float64Array(0);
  scale: Float64Array = new Float64Array(0);
  nSamplesSeen: Float64Array = new Float64Array(0);

  /** Learns mean and scale per column; NaNs are ignored. */
  fit(input: MatrixInput): this {
    const { data, rows, cols } = toDenseMatrix(input, undefined, 'StandardScaler.fit');
    if (rows === 0) throw new FitError('StandardScaler.fit: no rows');
    const sum = new Float64Array(cols);
    const count = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        if (v === v) {
          sum[j] += v;
          count[j]++;
        }
      }
    }
    const mean = new Float64Array(cols);
    const variance = new Float64Array(cols);
    const correction = new Float64Array(cols);
    const sq = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      if (count[j] === 0) throw new FitError(`StandardScaler.fit: column ${j} has no values`);
      mean[j] = sum[j] / count[j];
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        if (v === v) {
          const t = v - mean[j];
          correction[j] += t;
          sq[j] += t * t;
        }
      }
    }
    const scale = new Float64Array(cols);
    const eps = 2 ** -52;
    for (let j = 0; j < cols; j++) {
      variance[j] = (sq[j] - (correction[j] * correction[j]) / count[j]) / count[j];
      const n = count[j];
      const constant = variance[j] <= n * eps * variance[j] + (n * mean[j] * eps) ** 2;
      scale[j] = constant ? 1 : Math.sqrt(variance[j]);
    }
    this.mean = mean;
    this.var = variance;
    this.scale = scale;
    this.nSamplesSeen = count;
    return this;
  }

  /** (x − mean) / scale per column; NaN stays NaN. */
  transform(input: MatrixInput): DenseMatrix {
    const { data, rows, cols } = toDenseMatrix(input, this.mean.length, 'StandardScaler.transform');
    const out = new Float64Array(data.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = (data[i * cols + j] - this.mean[j]) / this.scale[j];
    }
    return { data: out, rows, cols };
  }

  /** x · scale + mean per column. */
  inverseTransform(input: MatrixInput): DenseMatrix {
    const { data, rows, cols } = toDenseMatrix(input, this.mean.length, 'StandardScaler.inverseTransform');
    const out = new Float64Array(data.length);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = data[i * cols + j] * this.scale[j] + this.mean[j];
    }
    return { data: out, rows, cols };
  }

  fitTransform(input: MatrixInput): DenseMatrix {
    return this.fit(input).transform(input);
  }

  toJSON(): StandardScalerJSON {
    return {
      type: 'StandardScaler',
      mean: Array.from(this.mean),
      var: Array.from(this.var),
      scale: Array.from(this.scale),
      nSamplesSeen: Array.from(this.nSamplesSeen),
    };
  }

  /** Restores a scaler from {@link toJSON} output or from `models/cluster/export_sklearn.py`. */
  static fromJSON(json: unknown): StandardScaler {
    const obj = checkJsonType(json, 'StandardScaler');
    const s = new StandardScaler();
    s.mean = numberArrayField(obj, 'mean', 'StandardScaler');
    const n = s.mean.length;
    s.var = numberArrayField(obj, 'var', 'StandardScaler', n);
    s.scale = numberArrayField(obj, 'scale', 'StandardScaler', n);
    s.nSamplesSeen = numberArrayField(obj, 'nSamplesSeen', 'StandardScaler', n);
    if (s.scale.some((v) => v === 0)) throw new ModelFormatError('StandardScaler.scale', 'must not contain 0');
    return s;
  }
}
