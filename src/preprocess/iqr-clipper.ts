import { FitError, ModelFormatError } from '../errors.js';
import { checkJsonType, numberArrayField, toDenseMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';
import { quantile } from './quantile.js';

/** JSON form of a fitted {@link IqrClipper}. */
export interface IqrClipperJSON {
  type: 'IqrClipper';
  factor: number;
  sides: 'upper' | 'both';
  /** null = unbounded. */
  lower: (number | null)[];
  upper: (number | null)[];
}

/**
 * Clips each column at Q3 + factor·IQR (and Q1 − factor·IQR when `sides` is `'both'`),
 * with quartiles from numpy's linear interpolation over the non-NaN values.
 *
 * @example
 * const c = new IqrClipper({ sides: 'upper' }).fit([[1], [2], [3], [4], [100]]);
 * c.upper[0] // => 7 (Q3 4 + 1.5 × IQR 2)
 * c.transform([[100]]).data // => Float64Array [7]
 */
export class IqrClipper {
  lower: Float64Array = new Float64Array(0);
  upper: Float64Array = new Float64Array(0);
  readonly factor: number;
  readonly sides: 'upper' | 'both';

  constructor(options: { factor?: number; sides?: 'upper' | 'both' } = {}) {
    this.factor = options.factor ?? 1.5;
    this.sides = options.sides ?? 'both';
  }

  fit(input: MatrixInput): this {
    const { data, rows, cols } = toDenseMatrix(input, undefined, 'IqrClipper.fit');
    const lower = new Float64Array(cols);
    const upper = new Float64Array(cols);
    const column = new Float64Array(rows);
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < rows; i++) column[i] = data[i * cols + j];
      const q1 = quantile(column, 0.25);
      const q3 = quantile(column, 0.75);
      if (Number.isNaN(q1)) throw new FitError(`IqrClipper.fit: column ${j} has no values`);
      const iqr = q3 - q1;
      upper[j] = q3 + this.factor * iqr;
      lower[j] = this.sides === 'both' ? q1 - this.factor * iqr : -Infinity;
    }
    this.lower = lower;
    this.upper = upper;
    return this;
  }

  transform(input: MatrixInput): DenseMatrix {
    const { data, rows, cols } = toDenseMatrix(input, this.upper.length, 'IqrClipper.transform');
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const j = i % cols;
      const v = data[i];
      out[i] = v > this.upper[j] ? this.upper[j] : v < this.lower[j] ? this.lower[j] : v;
    }
    return { data: out, rows, cols };
  }

  fitTransform(input: MatrixInput): DenseMatrix {
    return this.fit(input).transform(input);
  }

  /** Stops clipping the given columns (e.g. category codes and flags); bounds become ±∞. */
  exempt(columns: Iterable<number>): this {
    for (const j of columns) {
      this.lower[j] = -Infinity;
      this.upper[j] = Infinity;
    }
    return this;
  }

  toJSON(): IqrClipperJSON {
    return {
      type: 'IqrClipper',
      factor: this.factor,
      sides: this.sides,
      lower: Array.from(this.lower, (v) => (Number.isFinite(v) ? v : (null as unknown as number))),
      upper: Array.from(this.upper, (v) => (Number.isFinite(v) ? v : (null as unknown as number))),
    };
  }

  static fromJSON(json: unknown): IqrClipper {
    const obj = checkJsonType(json, 'IqrClipper');
    if (obj.sides !== 'upper' && obj.sides !== 'both') throw new ModelFormatError('IqrClipper.sides', 'must be "upper" or "both"');
    if (typeof obj.factor !== 'number' || !Number.isFinite(obj.factor)) throw new ModelFormatError('IqrClipper.factor', 'must be a finite number');
    const c = new IqrClipper({ factor: obj.factor, sides: obj.sides });
    c.upper = numberArrayField(obj, 'upper', 'IqrClipper', undefined, true).map((v) => (Number.isNaN(v) ? Infinity : v));
    c.lower = numberArrayField(obj, 'lower', 'IqrClipper', c.upper.length, true).map((v) => (Number.isNaN(v) ? -Infinity : v));
    return c;
  }
}
