import { InputError } from '../errors.js';
import { parseCategoryList, uniqueCategories } from './categories.js';

/** A class label: a string or a number. */
export type Label = string | number;

/** The JSON form of a {@link LabelEncoder}. */
export interface LabelEncoderJSON {
  type: 'LabelEncoder';
  /** Sorted classes (scikit-learn's `classes_`); code i decodes to classes[i]. */
  classes: Label[];
}

/**
 * Label encoding compatible with scikit-learn's `LabelEncoder`: classes sorted like
 * `numpy.unique`, labels ↔ codes `0..k-1`, unseen labels and out-of-range codes are
 * {@link InputError}s. Immutable; serialisable with `toJSON`/`fromJSON`.
 *
 * @example
 * const le = LabelEncoder.fit(['Home', 'Books', 'Home', 'Clothing']);
 * le.classes                   // => ['Books', 'Clothing', 'Home']
 * le.transform(['Home'])       // => Int32Array [2]
 * le.inverseTransform([0, 2])  // => ['Books', 'Home']
 */
export class LabelEncoder {
  readonly classes: readonly Label[];
  readonly #codes: Map<Label, number>;

  private constructor(classes: Label[]) {
    this.classes = Object.freeze(classes);
    this.#codes = new Map(classes.map((c, i) => [c, i]));
    if (this.#codes.size !== classes.length) throw new InputError('label encoder: classes repeat');
  }

  /**
   * Fits the sorted distinct labels. Missing labels are an {@link InputError}.
   *
   * @example
   * LabelEncoder.fit([3, 1, 3]).classes // => [1, 3]
   */
  static fit(labels: Iterable<unknown>): LabelEncoder {
    const list = [...labels];
    list.forEach((l, i) => {
      if (!(typeof l === 'string' || (typeof l === 'number' && Number.isFinite(l)))) {
        throw new InputError(`label ${i} is ${JSON.stringify(l) ?? String(l)}; labels must be strings or finite numbers`);
      }
    });
    return new LabelEncoder(uniqueCategories(list as Label[]) as Label[]);
  }

  /**
   * Classes as given (they are the codes' order, e.g. from a trained model's metadata).
   *
   * @example
   * LabelEncoder.fromClasses(['Books', 'Clothing', 'Electronics', 'Home']).decode(3) // => 'Home'
   */
  static fromClasses(classes: readonly Label[]): LabelEncoder {
    const parsed = parseCategoryList(classes, 'classes');
    if (parsed.some((c) => c === null)) throw new InputError('classes: a class cannot be null');
    return new LabelEncoder(parsed as Label[]);
  }

  /**
   * Restores an encoder from its JSON form.
   *
   * @example
   * LabelEncoder.fromJSON({ type: 'LabelEncoder', classes: ['a', 'b'] }).classes // => ['a', 'b']
   */
  static fromJSON(json: unknown): LabelEncoder {
    if (json === null || typeof json !== 'object') throw new InputError('label encoder JSON must be an object');
    const j = json as Record<string, unknown>;
    if (j.type !== 'LabelEncoder') throw new InputError(`label encoder JSON: type is ${JSON.stringify(j.type)}`);
    return LabelEncoder.fromClasses(j.classes as Label[]);
  }

  /**
   * The JSON form.
   *
   * @example
   * LabelEncoder.fit(['b', 'a']).toJSON() // => { type: 'LabelEncoder', classes: ['a', 'b'] }
   */
  toJSON(): LabelEncoderJSON {
    return { type: 'LabelEncoder', classes: [...this.classes] };
  }

  /**
   * One label's code.
   *
   * @example
   * LabelEncoder.fit(['a', 'b']).encode('b') // => 1
   */
  encode(label: Label): number {
    const code = this.#codes.get(label);
    if (code === undefined) throw new InputError(`unseen label ${JSON.stringify(label)} (classes: ${this.classes.map((c) => JSON.stringify(c)).join(', ')})`);
    return code;
  }

  /**
   * One code's label.
   *
   * @example
   * LabelEncoder.fit(['a', 'b']).decode(0) // => 'a'
   */
  decode(code: number): Label {
    if (!Number.isInteger(code) || code < 0 || code >= this.classes.length) {
      throw new InputError(`code ${code} out of range [0, ${this.classes.length})`);
    }
    return this.classes[code];
  }

  /**
   * Codes for many labels.
   *
   * @example
   * LabelEncoder.fit(['a', 'b']).transform(['b', 'a']) // => Int32Array [1, 0]
   */
  transform(labels: readonly Label[]): Int32Array {
    return Int32Array.from(labels, (l) => this.encode(l));
  }

  /**
   * Labels for many codes.
   *
   * @example
   * LabelEncoder.fit(['a', 'b']).inverseTransform([1]) // => ['b']
   */
  inverseTransform(codes: ArrayLike<number>): Label[] {
    return Array.from(codes, (c) => this.decode(c));
  }
}
