import { FitError, ModelFormatError } from '../errors.js';
import { checkJsonType, numberArrayField, toDenseMatrix, type DenseMatrix, type MatrixInput } from './matrix.js';
import { median } from './quantile.js';

/** How {@link SimpleImputer} fills a column: scikit-learn's `strategy`. */
export type ImputeStrategy = 'median' | 'mean' | 'most_frequent' | 'constant';

/** JSON form of a fitted {@link SimpleImputer}. */
export interface SimpleImputerJSON {
  type: 'SimpleImputer';
  strategy: ImputeStrategy;
  statistics: number[];
}

/**
 * Replaces NaN by a per-column median, mean, most frequent value (the smallest on a tie)
 * or constant, like scikit-learn's `SimpleImputer`.
 * A column with no values at all cannot get a median or mean: that is a FitError.
 *
 * @example
 * new SimpleImputer({ strategy: 'median' }).fitTransform([[1], [NaN], [3], [10]]).data
 * // => Float64Array [1, 3, 3, 10]
 */
export class SimpleImputer {
  statistics: Float64Array = new Float64Array(0);
  readonly strategy: ImputeStrategy;
  readonly fillValue: number;

  constructor(options: { strategy?: ImputeStrategy; fillValue?: number } = {}) {
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
      stats[j] = this.strategy === 'median' ? median(column) : this.strategy === 'most_frequent' ? mostFrequent(column) : sum / count;
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
    if (strategy !== 'median' && strategy !== 'mean' && strategy !== 'most_frequent' && strategy !== 'constant') {
      throw new ModelFormatError('SimpleImputer.strategy', 'must be "median", "mean", "most_frequent" or "constant"');
    }
    const imp = new SimpleImputer({ strategy });
    imp.statistics = numberArrayField(obj, 'statistics', 'SimpleImputer');
    return imp;
  }
}

/**
 * The most frequent non-NaN value, the smallest one on a tie (as `scipy.stats.mode`).
 * -0 and +0 count as one value; which of the two is returned may differ from NumPy's
 * (its sort decides), though they compare equal.
 */
function mostFrequent(column: Float64Array): number {
  const sorted = column.filter((v) => v === v).sort();
  let best = NaN;
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      best = sorted[i];
      bestCount = j - i;
    }
    i = j;
  }
  return best;
}
