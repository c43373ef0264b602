import { InputError, ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { inputFrame, inputWidth } from '../estimator-input.js';
import { stringsOrNullField, type DenseMatrix } from '../preprocess/matrix.js';
import { parseCategoryList, uniqueCategories, type Category } from './categories.js';

/** What {@link OrdinalEncoder} does with a category it did not see in fitting. */
export type OrdinalUnknown = 'error' | 'use_encoded_value';

/** Options of {@link OrdinalEncoder.fit} and {@link OrdinalEncoder.fromCategories}. */
export interface OrdinalEncoderOptions {
  /** `'error'` (default) throws an InputError; `'use_encoded_value'` writes `unknownValue`. */
  handleUnknown?: OrdinalUnknown;
  unknownValue?: number;
  /** The code of a missing value when the categories hold "missing" as NaN (default NaN). */
  encodedMissingValue?: number;
  /** Per feature, the index of the NaN category (scikit-learn's `_missing_indices`), or null. */
  missingIndices?: readonly (number | null)[];
  featureNamesIn?: readonly string[] | null;
}

/** JSON form of an {@link OrdinalEncoder} (non-finite codes written as null = NaN). */
export interface OrdinalEncoderJSON {
  type: 'OrdinalEncoder';
  categories: Category[][];
  handleUnknown: OrdinalUnknown;
  unknownValue: number | null;
  encodedMissingValue: number | null;
  missingIndices: (number | null)[];
  featureNamesIn: string[] | null;
}

function toKey(v: unknown): Category | undefined {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  return undefined;
}

/**
 * Codes each categorical column as 0, 1, 2, … in category order, as scikit-learn's
 * `OrdinalEncoder`: categories sorted like `numpy.unique` when fitted, unknown categories
 * an error or `unknownValue`, a missing value (`null`, `undefined`, NaN) coded
 * `encodedMissingValue` when fitting saw missing values as NaN, else matched to a `None`
 * category like any other.
 *
 * @example
 * const enc = OrdinalEncoder.fromCategories([['Delhi', 'Mumbai']], { handleUnknown: 'use_encoded_value', unknownValue: -1 });
 * enc.transform([['Mumbai'], ['Paris']]).data // => Float64Array [1, -1]
 */
export class OrdinalEncoder implements Estimator {
  readonly estimatorType = 'transformer' as const;
  readonly categories: readonly (readonly Category[])[];
  readonly handleUnknown: OrdinalUnknown;
  readonly unknownValue: number;
  readonly encodedMissingValue: number;
  readonly missingIndices: readonly (number | null)[];
  readonly featureNamesIn: readonly string[] | null;
  readonly #codes: Map<Category, number>[];

  private constructor(categories: Category[][], options: OrdinalEncoderOptions) {
    this.categories = categories;
    this.handleUnknown = options.handleUnknown ?? 'error';
    if (this.handleUnknown !== 'error' && this.handleUnknown !== 'use_encoded_value') {
      throw new InputError(`ordinal encoder: handleUnknown must be 'error' or 'use_encoded_value', not ${JSON.stringify(this.handleUnknown)}`);
    }
    this.unknownValue = options.unknownValue ?? NaN;
    this.encodedMissingValue = options.encodedMissingValue ?? NaN;
    this.missingIndices = options.missingIndices ?? categories.map(() => null);
    this.featureNamesIn = options.featureNamesIn ?? null;
    if (this.featureNamesIn && this.featureNamesIn.length !== categories.length) throw new InputError('ordinal encoder: one name per feature');
    if (this.missingIndices.length !== categories.length) throw new InputError('ordinal encoder: one missing index per feature');
    this.#codes = categories.map((cats, f) => {
      const codes = new Map<Category, number>();
      cats.forEach((c, j) => {
        if (codes.has(c)) throw new InputError(`ordinal encoder: category ${JSON.stringify(c)} repeats in feature ${f}`);
        codes.set(c, j);
      });
      return codes;
    });
  }

  get numFeaturesIn(): number {
    return this.categories.length;
  }

  /**
   * An encoder with the given categories per feature, in the given order.
   *
   * @example
   * OrdinalEncoder.fromCategories([['b', 'a']]).transform([['a']]).data // => Float64Array [1]
   */
  static fromCategories(categories: readonly (readonly Category[])[], options: OrdinalEncoderOptions = {}): OrdinalEncoder {
    return new OrdinalEncoder(
      categories.map((c, f) => parseCategoryList(c, `categories[${f}]`)),
      options,
    );
  }

  /**
   * Fits sorted categories per column; a missing value becomes a category sorted last
   * whose code is `encodedMissingValue`.
   *
   * @example
   * OrdinalEncoder.fit([{ city: 'Mumbai' }, { city: 'Delhi' }]).categories // => [['Delhi', 'Mumbai']]
   */
  static fit(x: EstimatorInput, options: Omit<OrdinalEncoderOptions, 'missingIndices' | 'featureNamesIn'> = {}): OrdinalEncoder {
    const frame = inputFrame(x, { featureNamesIn: null, numFeaturesIn: inputWidth(x) }, 'OrdinalEncoder.fit');
    const categories = frame.columns.map((column, f) =>
      uniqueCategories(Array.from(column as ArrayLike<unknown>, (v, i) => {
        const key = toKey(v);
        if (key === undefined) throw new InputError(`OrdinalEncoder.fit: row ${i}, column ${f} is not a string or a number`);
        return key;
      })),
    );
    const missingIndices = categories.map((c) => (c.length > 0 && c[c.length - 1] === null ? c.length - 1 : null));
    return new OrdinalEncoder(categories, { ...options, missingIndices, featureNamesIn: frame.names });
  }

  /**
   * Codes, `rows × features`, as float64 (scikit-learn's default dtype).
   *
   * @example
   * enc.transform([{ city: 'Delhi' }]).data // => Float64Array [0]
   */
  transform(x: EstimatorInput): DenseMatrix {
    const { rows, columns } = inputFrame(x, this, 'OrdinalEncoder');
    const cols = columns.length;
    const out = new Float64Array(rows * cols);
    for (let f = 0; f < cols; f++) {
      const column = columns[f] as ArrayLike<unknown>;
      for (let i = 0; i < rows; i++) {
        const key = toKey(column[i]);
        const code = key === undefined ? undefined : this.#codes[f].get(key);
        if (key === null && this.missingIndices[f] !== null) out[i * cols + f] = this.encodedMissingValue;
        else if (code !== undefined) out[i * cols + f] = code;
        else if (this.handleUnknown === 'use_encoded_value') out[i * cols + f] = this.unknownValue;
        else throw new InputError(`OrdinalEncoder: unknown category ${JSON.stringify(column[i] ?? null)} in column ${this.featureNamesIn?.[f] ?? f}`);
      }
    }
    return { data: out, rows, cols };
  }

  /**
   * Output names: the input names (or `x0`, `x1`, …).
   *
   * @example
   * enc.outputNames() // => ['city']
   */
  outputNames(): string[] {
    return this.categories.map((_, f) => this.featureNamesIn?.[f] ?? `x${f}`);
  }

  /**
   * Output names for the given input names: the same names.
   *
   * @example
   * enc.outputNamesFor(['city']) // => ['city']
   */
  outputNamesFor(inputNames: readonly string[]): string[] {
    return [...inputNames];
  }

  /**
   * JSON that {@link OrdinalEncoder.fromJSON} reads back.
   *
   * @example
   * OrdinalEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
   */
  toJSON(): OrdinalEncoderJSON {
    const finite = (v: number) => (Number.isFinite(v) ? v : null);
    return {
      type: 'OrdinalEncoder',
      categories: this.categories.map((c) => [...c]),
      handleUnknown: this.handleUnknown,
      unknownValue: finite(this.unknownValue),
      encodedMissingValue: finite(this.encodedMissingValue),
      missingIndices: [...this.missingIndices],
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
    };
  }

  /**
   * Restores an encoder from {@link OrdinalEncoder.toJSON} output.
   *
   * @example
   * const enc = OrdinalEncoder.fromJSON(json);
   */
  static fromJSON(json: unknown): OrdinalEncoder {
    if (json === null || typeof json !== 'object' || (json as { type?: unknown }).type !== 'OrdinalEncoder') {
      throw new ModelFormatError('OrdinalEncoder', 'expected a JSON object with type "OrdinalEncoder"');
    }
    const j = json as Record<string, unknown>;
    if (!Array.isArray(j.categories)) throw new ModelFormatError('OrdinalEncoder.categories', 'must be an array');
    const num = (v: unknown, name: string): number => {
      if (v === null) return NaN;
      if (typeof v !== 'number') throw new ModelFormatError(`OrdinalEncoder.${name}`, 'must be a number or null');
      return v;
    };
    const missing = j.missingIndices;
    if (!Array.isArray(missing) || missing.some((m) => m !== null && !Number.isInteger(m))) throw new ModelFormatError('OrdinalEncoder.missingIndices', 'must be integers or null');
    return OrdinalEncoder.fromCategories(j.categories as Category[][], {
      handleUnknown: j.handleUnknown as OrdinalUnknown,
      unknownValue: num(j.unknownValue, 'unknownValue'),
      encodedMissingValue: num(j.encodedMissingValue, 'encodedMissingValue'),
      missingIndices: missing as (number | null)[],
      featureNamesIn: stringsOrNullField(j, 'featureNamesIn', 'OrdinalEncoder'),
    });
  }
}
