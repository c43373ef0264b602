import { ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputFrame } from '../estimator-input.js';
import type { DenseMatrix } from '../preprocess/matrix.js';
import { OneHotEncoder, type OneHotEncoderJSON } from './one-hot-encoder.js';

/** JSON form of a {@link OneHotEstimator}. */
export interface OneHotEstimatorJSON {
  type: 'OneHotEstimator';
  encoder: OneHotEncoderJSON;
  /** True when the encoder's feature names are scikit-learn's `feature_names_in_` (matched by name). */
  named: boolean;
  /** Output names when they differ from the encoder's (e.g. Python's spelling of float categories). */
  outputNames: string[] | null;
}

/**
 * A {@link OneHotEncoder} behind the estimator protocol: any input (named rows, a `Table`,
 * array rows, by name when fitted on named columns), a dense `rows × outputs` matrix out.
 * An encoder fitted on unnamed columns calls them `x0`, `x1`, … as scikit-learn does.
 *
 * @example
 * const enc = new OneHotEstimator(OneHotEncoder.fromCategories(['x0'], [['Delhi', 'Mumbai']], { handleUnknown: 'ignore' }), false);
 * enc.transform([['Mumbai'], ['Paris']]).data // => Float64Array [0, 1, 0, 0]
 */
export class OneHotEstimator implements Estimator {
  readonly estimatorType = 'transformer' as const;
  readonly featureNamesIn: readonly string[] | null;
  readonly numFeaturesIn: number;
  readonly #outputNames: readonly string[] | null;

  constructor(
    readonly encoder: OneHotEncoder,
    named: boolean,
    outputNames: readonly string[] | null = null,
  ) {
    this.featureNamesIn = named ? encoder.features : null;
    this.numFeaturesIn = encoder.features.length;
    if (outputNames && outputNames.length !== encoder.featureNamesOut.length) {
      throw new ModelFormatError('OneHotEstimator.outputNames', `has ${outputNames.length} names for ${encoder.featureNamesOut.length} outputs`);
    }
    this.#outputNames = outputNames;
  }

  /**
   * One-hot codes, `rows × outputNames().length`.
   *
   * @example
   * enc.transform([{ city: 'Delhi' }]).data
   */
  transform(x: EstimatorInput): DenseMatrix {
    const { rows, columns } = inputFrame(x, this, 'OneHotEncoder');
    const cols = this.encoder.featureNamesOut.length;
    const out = new Float64Array(rows * cols);
    const row = new Array<unknown>(columns.length);
    for (let i = 0; i < rows; i++) {
      for (let f = 0; f < columns.length; f++) row[f] = columns[f][i];
      this.encoder.encodeRow(row, out, i * cols);
    }
    return { data: out, rows, cols };
  }

  /**
   * `<feature>_<category>` per output column.
   *
   * @example
   * enc.outputNames() // => ['x0_Delhi', 'x0_Mumbai']
   */
  outputNames(): readonly string[] {
    return this.#outputNames ?? this.encoder.featureNamesOut;
  }

  /**
   * JSON that {@link OneHotEstimator.fromJSON} reads back.
   *
   * @example
   * OneHotEstimator.fromJSON(JSON.parse(JSON.stringify(enc)));
   */
  toJSON(): OneHotEstimatorJSON {
    return { type: 'OneHotEstimator', encoder: this.encoder.toJSON(), named: this.featureNamesIn !== null, outputNames: this.#outputNames ? [...this.#outputNames] : null };
  }

  /**
   * Restores an estimator from {@link OneHotEstimator.toJSON} output.
   *
   * @example
   * const enc = OneHotEstimator.fromJSON(json);
   */
  static fromJSON(json: unknown): OneHotEstimator {
    if (json === null || typeof json !== 'object' || (json as { type?: unknown }).type !== 'OneHotEstimator') {
      throw new ModelFormatError('OneHotEstimator', 'expected a JSON object with type "OneHotEstimator"');
    }
    const j = json as Record<string, unknown>;
    const names = j.outputNames ?? null;
    if (names !== null && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) throw new ModelFormatError('OneHotEstimator.outputNames', 'must be strings or null');
    return new OneHotEstimator(OneHotEncoder.fromJSON(j.encoder), j.named === true, names as string[] | null);
  }
}
