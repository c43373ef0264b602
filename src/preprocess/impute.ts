import { FitError, ModelFormatError } from '../errors.js';
import { checkJsonType, numberArrayField, toDenseMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';
import { median } from './quantile.js';

/** JSON form of a fitted {@link SimpleImputer}. */
export interface SimpleImputerJSON {
  type: 'SimpleImputer';
  strategy: 'median' | 'mean' | 'constant';
  statistics: number[];
}

/**
 * Replaces NaN by a per-column median, mean or constant, like scikit-learn's `SimpleImputer`.
 * A column with no values at all cannot get a median or mean: that is a FitError.
 *
 * @example
 * new SimpleImputer({ strategy: 'median' }).fitTransform([[1], [NaN], [3], [10]]).data
 * // => Float64Array [1, 3, 3, 10]
 */
export class SimpleImputer {
  statistics: Float64Array = new Float64Array(0);
  readonly strategy: 'median' | 'mean' | 'constant';
  readonly fillValue: number;

  constructor(options: { strategy?: 'median' | 'mean' | 'constant'; fillValue?: number } = {}) {
    this.strategy = options.strategy ?? 'median';
    this.fillValue = options.fillValue ?? 0;
  }

  fit(input: MatrixInput): this {
    const { data, rows, cols } = toDenseMatrix(input, undefined, 'SimpleImputer.fit');
    const stats = new Float64Array(cols);
    const column = new Float64Array(rows);
    for (let j = 0; j < cols; j++) {
      if (this.strategy === 'constant') {
        stats[j] = this.fillValue;
        continue;
      }
      let count = 0;
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        const v = data[i * cols + j];
        column[i] = v;
        if (v === v) {
          count++;
          sum += v;
        }
      }
      if (count === 0) throw new FitError(`SimpleImputer.fit: column ${j} has no values to take a ${this.strategy} of`);
      stats[j] = this.strategy === 'median' ? median(column) : sum / count;
    }
    this.statistics = stats;
    return this;
  }

  transform(input: MatrixInput): DenseMatrix {
    const { data, rows, cols } = toDenseMatrix(input, this.statistics.length, 'SimpleImputer.transform');
    const out = Float64Array.from(data);
    for (let i = 0; i < out.length; i++) if (out[i] !== out[i]) out[i] = this.statistics[i % cols];
    return { data: out, rows, cols };
  }

  fitTransform(input: MatrixInput): DenseMatrix {
    return this.fit(input).transform(input);
  }

  toJSON(): SimpleImputerJSON {
    return { type: 'SimpleImputer', strategy: this.strategy, statistics: Array.from(this.statistics) };
  }

  static fromJSON(json: unknown): SimpleImputer {
    const obj = checkJsonType(json, 'SimpleImputer');
    const strategy = obj.strategy;
    if (strategy !== 'median' && strategy !== 'mean' && strategy !== 'constant') {
      throw new ModelFormatError('SimpleImputer.strategy', 'must be "median", "mean" or "constant"');
    }
    const imp = new SimpleImputer({ strategy });
    imp.statistics = numberArrayField(obj, 'statistics', 'SimpleImputer');
    return imp;
  }
}
