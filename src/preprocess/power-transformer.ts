import { FitError, ModelFormatError } from '../errors.js';
import { pairwiseSum } from '../cluster/numeric.js';
import { brentMinimize } from './brent.js';
import { checkJsonType, numberArrayField, toDenseMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';
import { StandardScaler, type StandardScalerJSON } from './standard-scaler.js';

const EPS = 2 ** -52;
const TINY = 2 ** -1022;

/**
 * The Yeo-Johnson transform of one value for a given lambda, as scikit-learn computes it.
 *
 * @example
 * yeoJohnson(3, 0) // => Math.log1p(3)
 * yeoJohnson(-1, 2) // => -Math.log1p(1)
 */
export function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) {
    return Math.abs(lambda) < EPS ? Math.log1p(x) : (Math.pow(x + 1, lambda) - 1) / lambda;
  }
  if (x < 0) {
    return Math.abs(lambda - 2) > EPS ? -(Math.pow(-x + 1, 2 - lambda) - 1) / (2 - lambda) : -Math.log1p(-x);
  }
  return NaN;
}

/** Inverse of {@link yeoJohnson}. */
export function yeoJohnsonInverse(y: number, lambda: number): number {
  if (y >= 0) {
    return Math.abs(lambda) < EPS ? Math.expm1(y) : Math.pow(y * lambda + 1, 1 / lambda) - 1;
  }
  if (y < 0) {
    return Math.abs(lambda - 2) > EPS ? 1 - Math.pow(-(2 - lambda) * y + 1, 1 / (2 - lambda)) : -Math.expm1(-y);
  }
  return NaN;
}

/** numpy's `x.var()`: pairwise mean, then pairwise mean of squared deviations. */
function numpyVar(x: Float64Array): number {
  const n = x.length;
  const mean = pairwiseSum(x) / n;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    sq[i] = d * d;
  }
  return pairwiseSum(sq) / n;
}

/**
 * Maximum-likelihood Yeo-Johnson lambda for one column (NaNs dropped), found with Brent's
 * method from the bracket (−2, 2) like scikit-learn.
 *
 * @example
 * yeoJohnsonLambda(new Float64Array([1, 2, 3, 40, 500])) // ≈ -0.3 (a strong right skew)
 */
export function yeoJohnsonLambda(column: ArrayLike<number>): number {
  const values: number[] = [];
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) values.push(column[i]);
  const x = Float64Array.from(values);
  const n = x.length;
  if (n === 0) throw new FitError('PowerTransformer: a column has no values');
  const logTerms = new Float64Array(n);
  for (let i = 0; i < n; i++) logTerms[i] = Math.sign(x[i]) * Math.log1p(Math.abs(x[i]));
  const logSum = pairwiseSum(logTerms);
  const trans = new Float64Array(n);
  const negLogLikelihood = (lambda: number): number => {
    for (let i = 0; i < n; i++) trans[i] = yeoJohnson(x[i], lambda);
    const v = numpyVar(trans);
    if (v < TINY) return Infinity;
    let loglike = (-n / 2) * Math.log(v);
    loglike += (lambda - 1) * logSum;
    return -loglike;
  };
  const { x: lambda } = brentMinimize(negLogLikelihood, -2, 2);
  if (!Number.isFinite(lambda)) throw new FitError('PowerTransformer: lambda search did not converge');
  return lambda;
}

/** JSON form of a fitted {@link PowerTransformer}. */
export interface PowerTransformerJSON {
  type: 'PowerTransformer';
  method: 'yeo-johnson';
  lambdas: number[];
  /** Present when the output is standardised. */
  scaler: StandardScalerJSON | null;
}

/**
 * Yeo-Johnson power transform per column, then (by default) standardisation to zero mean
 * and unit variance — scikit-learn's `PowerTransformer(method='yeo-johnson')`.
 *
 * @example
 * const pt = new PowerTransformer().fit([[1], [2], [3], [40], [500]]);
 * pt.lambdas; // one lambda per column
 * pt.transform([[10]]).data; // standardised transformed value
 */
export class PowerTransformer {
  lambdas: Float64Array = new Float64Array(0);
  scaler: StandardScaler | null = null;

  constructor(readonly options: { standardize?: boolean } = {}) {}

  fit(input: MatrixInput): this {
    this.fitTransform(input);
    return this;
  }

  fitTransform(input: MatrixInput): DenseMatrix {
    const m = toDenseMatrix(input, undefined, 'PowerTransformer.fit');
    if (m.rows === 0) throw new FitError('PowerTransformer.fit: no rows');
    const lambdas = new Float64Array(m.cols);
    const column = new Float64Array(m.rows);
    for (let j = 0; j < m.cols; j++) {
      for (let i = 0; i < m.rows; i++) column[i] = m.data[i * m.cols + j];
      lambdas[j] = yeoJohnsonLambda(column);
    }
    this.lambdas = lambdas;
    const transformed = this.powerOnly(m);
    this.scaler = this.options.standardize === false ? null : new StandardScaler().fit(transformed);
    return this.scaler ? this.scaler.transform(transformed) : transformed;
  }

  transform(input: MatrixInput): DenseMatrix {
    const m = toDenseMatrix(input, this.lambdas.length, 'PowerTransformer.transform');
    const t = this.powerOnly(m);
    return this.scaler ? this.scaler.transform(t) : t;
  }

  inverseTransform(input: MatrixInput): DenseMatrix {
    let m = toDenseMatrix(input, this.lambdas.length, 'PowerTransformer.inverseTransform');
    if (this.scaler) m = this.scaler.inverseTransform(m);
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = yeoJohnsonInverse(m.data[i * m.cols + j], this.lambdas[j]);
    }
    return { data: out, rows: m.rows, cols: m.cols };
  }

  private powerOnly(m: DenseMatrix): DenseMatrix {
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = yeoJohnson(m.data[i * m.cols + j], this.lambdas[j]);
    }
    return { data: out, rows: m.rows, cols: m.cols };
  }

  toJSON(): PowerTransformerJSON {
    return { type: 'PowerTransformer', method: 'yeo-johnson', lambdas: Array.from(this.lambdas), scaler: this.scaler ? this.scaler.toJSON() : null };
  }

  static fromJSON(json: unknown): PowerTransformer {
    const obj = checkJsonType(json, 'PowerTransformer');
    if (obj.method !== 'yeo-johnson') throw new ModelFormatError('PowerTransformer.method', 'only "yeo-johnson" is supported');
    const lambdas = numberArrayField(obj, 'lambdas', 'PowerTransformer');
    const pt = new PowerTransformer({ standardize: obj.scaler !== null });
    pt.lambdas = lambdas;
    if (obj.scaler !== null) {
      pt.scaler = StandardScaler.fromJSON(obj.scaler);
      if (pt.scaler.mean.length !== lambdas.length) throw new ModelFormatError('PowerTransformer.scaler', 'width differs from lambdas');
    }
    return pt;
  }
}
