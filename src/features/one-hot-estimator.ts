import { ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputFrame } from '../estimator-input.js';
import type { DenseMatrix } from '../preprocess/matrix.js';
import { categoryText } from './categories.js';
import { OneHotEncoder, type OneHotEncoderJSON } from './one-hot-encoder.js';

/** JSON form of a {@link OneHotEstimator}. */
export interface OneHotEstimatorJSON {
  type: 'OneHotEstimator';
  encoder: OneHotEncoderJSON;
  /** True when the encoder's feature names are scikit-learn's `feature_names_in_` (matched by name). */
  named: boolean;
  /** Per feature, each category as output names spell it, when not as the encoder spells it (e.g. Python's `2.5`, `nan`). */
  categoryNames: string[][] | null;
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
  readonly #categoryNames: readonly (readonly string[])[];
  readonly #custom: boolean;

  constructor(
    readonly encoder: OneHotEncoder,
    named: boolean,
    categoryNames: readonly (readonly string[])[] | null = null,
  ) {
    this.featureNamesIn = named ? encoder.features : null;
    this.numFeaturesIn = encoder.features.length;
    if (categoryNames && (categoryNames.length !== encoder.categories.length || categoryNames.some((c, f) => c.length !== encoder.categories[f].length))) {
      throw new ModelFormatError('OneHotEstimator.categoryNames', 'must name every category of every feature');
    }
    this.#custom = categoryNames !== null;
    this.#categoryNames = categoryNames ?? encoder.categories.map((cats) => cats.map((c) => categoryText(c, cats)));
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
    return this.outputNamesFor(this.encoder.features);
  }

  /**
   * Output names for the given input names, `<input>_<category>` (scikit-learn's
   * `get_feature_names_out(input_features)`).
   *
   * @example
   * enc.outputNamesFor(['city']) // => ['city_Delhi', 'city_Mumbai']
   */
  outputNamesFor(inputNames: readonly string[]): string[] {
    return this.#categoryNames.flatMap((cats, f) => cats.filter((_, j) => j !== this.encoder.dropIndices[f]).map((c) => `${inputNames[f]}_${c}`));
  }

  /**
   * JSON that {@link OneHotEstimator.fromJSON} reads back.
   *
   * @example
   * OneHotEstimator.fromJSON(JSON.parse(JSON.stringify(enc)));
   */
  toJSON(): OneHotEstimatorJSON {
    return { type: 'OneHotEstimator', encoder: this.encoder.toJSON(), named: this.featureNamesIn !== null, categoryNames: this.#custom ? this.#categoryNames.map((c) => [...c]) : null };
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
    const names = j.categoryNames ?? null;
    if (names !== null && (!Array.isArray(names) || names.some((c) => !Array.isArray(c) || c.some((n) => typeof n !== 'string')))) {
      throw new ModelFormatError('OneHotEstimator.categoryNames', 'must be lists of strings or null');
    }
    return new OneHotEstimator(OneHotEncoder.fromJSON(j.encoder), j.named === true, names as string[][] | null);
  }
}
