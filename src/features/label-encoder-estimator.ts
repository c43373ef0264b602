import { InputError, ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputFrame } from '../estimator-input.js';
import type { DenseMatrix } from '../preprocess/matrix.js';
import { LabelEncoder, type Label } from './label-encoder.js';

/**
 * A {@link LabelEncoder} behind the estimator protocol: `transform` codes one column of
 * labels (`rows × 1`), `inverseTransform` turns codes (e.g. a model's class indices) back
 * into labels, as scikit-learn's `LabelEncoder.inverse_transform` does.
 *
 * @example
 * const le = new LabelEncoderEstimator(LabelEncoder.fromClasses(['Books', 'Home']));
 * le.transform([['Home']]).data // => Float64Array [1]
 * le.inverseTransform([1, 0]) // => ['Home', 'Books']
 */
export class LabelEncoderEstimator implements Estimator {
  readonly estimatorType = 'transformer' as const;
  readonly featureNamesIn = null;
  readonly numFeaturesIn = 1;

  constructor(readonly encoder: LabelEncoder) {}

  /** The sorted labels (scikit-learn's `classes_`). */
  get classes(): readonly Label[] {
    return this.encoder.classes;
  }

  /**
   * Codes of a column of labels; an unseen label is an InputError.
   *
   * @example
   * le.transform([['Books'], ['Home']]).data // => Float64Array [0, 1]
   */
  transform(x: EstimatorInput): DenseMatrix {
    const { rows, columns } = inputFrame(x, this, 'LabelEncoder');
    const data = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = columns[0][i];
      if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`LabelEncoder: row ${i} is not a label`);
      data[i] = this.encoder.encode(v);
    }
    return { data, rows, cols: 1 };
  }

  /**
   * Labels of codes.
   *
   * @example
   * le.inverseTransform([1]) // => ['Home']
   */
  inverseTransform(codes: ArrayLike<number>): Label[] {
    return this.encoder.inverseTransform(codes);
  }

  /**
   * The encoder's JSON (`{ type: 'LabelEncoder', classes }`).
   *
   * @example
   * LabelEncoderEstimator.fromJSON(le.toJSON()).classes
   */
  toJSON() {
    return this.encoder.toJSON();
  }

  /**
   * Restores an estimator from `LabelEncoder` JSON.
   *
   * @example
   * LabelEncoderEstimator.fromJSON({ type: 'LabelEncoder', classes: ['a', 'b'] });
   */
  static fromJSON(json: unknown): LabelEncoderEstimator {
    try {
      return new LabelEncoderEstimator(LabelEncoder.fromJSON(json));
    } catch (e) {
      throw new ModelFormatError('LabelEncoder', e instanceof Error ? e.message : 'invalid JSON', { cause: e });
    }
  }
}
