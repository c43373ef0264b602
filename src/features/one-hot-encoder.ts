import { InputError } from '../errors.js';
import { categoryText, parseCategoryList, uniqueCategories, type Category } from './categories.js';
import { columnAsStrings, type Column } from './column.js';
import { Table } from './table.js';

/** What a category not seen in fitting does at transform time. */
export type HandleUnknown = 'ignore' | 'error';

/** Options for {@link OneHotEncoder.fit} and {@link OneHotEncoder.fromCategories}. */
export interface OneHotEncoderOptions {
  /** `'error'` (scikit-learn's default) throws an InputError; `'ignore'` encodes all zeros. */
  handleUnknown?: HandleUnknown;
  /**
   * Drop one column per feature: `'first'` category, `'if_binary'` (only features with two
   * categories), or an explicit category per feature. Default: drop nothing.
   */
  drop?: 'first' | 'if_binary' | readonly Category[] | null;
}

/** The JSON form of a fitted {@link OneHotEncoder} (what `models/features/export_sklearn.py` writes). */
export interface OneHotEncoderJSON {
  type: 'OneHotEncoder';
  /** Input column names, in order (scikit-learn's `feature_names_in_`). */
  features: string[];
  /** Categories per feature, in output order (scikit-learn's `categories_`; null = missing). */
  categories: Category[][];
  handleUnknown: HandleUnknown;
  /** Index of the dropped category per feature, or null (scikit-learn's `drop_idx_`). */
  dropIndices: (number | null)[];
}

/**
 * One-hot encoding compatible with scikit-learn's `OneHotEncoder`: categories sorted like
 * `numpy.unique` when fitted (or imported as given), `handle_unknown` `'ignore' | 'error'`,
 * `drop` `'first' | 'if_binary'`, output names `<feature>_<category>` (e.g. `location_Delhi`),
 * and a JSON form. Instances are immutable.
 *
 * @example
 * const enc = OneHotEncoder.fromCategories(['location'], [['Bangalore', 'Delhi', 'Hyderabad', 'Mumbai']], { handleUnknown: 'ignore' });
 * enc.featureNamesOut // => ['location_Bangalore', 'location_Delhi', 'location_Hyderabad', 'location_Mumbai']
 * enc.encodeRow(['Delhi'])  // => Float64Array [0, 1, 0, 0]
 * enc.encodeRow(['Paris'])  // => Float64Array [0, 0, 0, 0]
 */
export class OneHotEncoder {
  readonly features: readonly string[];
  readonly categories: readonly (readonly Category[])[];
  readonly handleUnknown: HandleUnknown;
  readonly dropIndices: readonly (number | null)[];
  /** Output column names, `<feature>_<category>`, without dropped categories. */
  readonly featureNamesOut: readonly string[];
  readonly #lookup: Map<Category, number>[];
  /** Output offset of category j of feature f, or -1 when dropped. */
  readonly #slot: Int32Array[];

  private constructor(features: string[], categories: Category[][], handleUnknown: HandleUnknown, dropIndices: (number | null)[]) {
    if (features.length !== categories.length || features.length !== dropIndices.length) {
      throw new InputError('one-hot encoder: features, categories and dropIndices differ in length');
    }
    if (new Set(features).size !== features.length) throw new InputError('one-hot encoder: repeated feature name');
    if (handleUnknown !== 'ignore' && handleUnknown !== 'error') {
      throw new InputError(`one-hot encoder: handleUnknown must be 'ignore' or 'error', not ${JSON.stringify(handleUnknown)}`);
    }
    this.features = Object.freeze([...features]);
    this.categories = Object.freeze(categories.map((c) => Object.freeze([...c])));
    this.handleUnknown = handleUnknown;
    this.dropIndices = Object.freeze([...dropIndices]);
    const names: string[] = [];
    this.#lookup = [];
    this.#slot = [];
    features.forEach((feature, f) => {
      const lookup = new Map<Category, number>();
      const slot = new Int32Array(categories[f].length);
      const drop = dropIndices[f];
      if (drop !== null && (!Number.isInteger(drop) || drop < 0 || drop >= categories[f].length)) {
        throw new InputError(`one-hot encoder: drop index ${drop} out of range for '${feature}'`);
      }
      categories[f].forEach((c, j) => {
        if (lookup.has(c)) throw new InputError(`one-hot encoder: category ${JSON.stringify(c)} repeats in '${feature}'`);
        lookup.set(c, j);
        if (j === drop) slot[j] = -1;
        else {
          slot[j] = names.length;
          names.push(`${feature}_${categoryText(c, categories[f])}`);
        }
      });
      this.#lookup.push(lookup);
      this.#slot.push(slot);
    });
    this.featureNamesOut = Object.freeze(names);
  }

  /**
   * Fits categories from table columns (sorted like `numpy.unique`; missing becomes a
   * `null` category, as scikit-learn 1.2 does).
   *
   * @example
   * const t = Table.fromRows([{ city: 'Mumbai' }, { city: 'Delhi' }]);
   * OneHotEncoder.fit(t, ['city']).categories // => [['Delhi', 'Mumbai']]
   */
  static fit(table: Table, features: readonly string[], options: OneHotEncoderOptions = {}): OneHotEncoder {
    const categories = features.map((f) => uniqueCategories(categoryValues(table.column(f), f)));
    return OneHotEncoder.fromCategories(features, categories, options);
  }

  /**
   * An encoder with the given categories per feature, kept in the given order.
   *
   * @example
   * OneHotEncoder.fromCategories(['g'], [['F', 'M']], { drop: 'if_binary' }).featureNamesOut // => ['g_M']
   */
  static fromCategories(
    features: readonly string[],
    categories: readonly (readonly Category[])[],
    options: OneHotEncoderOptions = {},
  ): OneHotEncoder {
    const drop = options.drop ?? null;
    const dropIndices = categories.map((cats, f): number | null => {
      if (drop === null) return null;
      if (drop === 'first') return 0;
      if (drop === 'if_binary') return cats.length === 2 ? 0 : null;
      if (!Array.isArray(drop) || drop.length !== features.length) {
        throw new InputError('one-hot encoder: drop must be first, if_binary or one category per feature');
      }
      const j = cats.indexOf(drop[f]);
      if (j === -1) throw new InputError(`one-hot encoder: drop category ${JSON.stringify(drop[f])} is not a category of '${features[f]}'`);
      return j;
    });
    return new OneHotEncoder(
      [...features],
      categories.map((c, f) => parseCategoryList(c, `categories[${f}]`)),
      options.handleUnknown ?? 'error',
      dropIndices,
    );
  }

  /**
   * Restores an encoder from {@link OneHotEncoder.toJSON} output (or the sklearn export);
   * malformed JSON is an {@link InputError} naming the field.
   *
   * @example
   * const enc = OneHotEncoder.fromJSON({ type: 'OneHotEncoder', features: ['x'], categories: [['a']], handleUnknown: 'ignore', dropIndices: [null] });
   */
  static fromJSON(json: unknown): OneHotEncoder {
    if (json === null || typeof json !== 'object') throw new InputError('one-hot encoder JSON must be an object');
    const j = json as Record<string, unknown>;
    if (j.type !== 'OneHotEncoder') throw new InputError(`one-hot encoder JSON: type is ${JSON.stringify(j.type)}`);
    if (!Array.isArray(j.features) || !j.features.every((f) => typeof f === 'string')) {
      throw new InputError('one-hot encoder JSON: features must be an array of strings');
    }
    if (!Array.isArray(j.categories)) throw new InputError('one-hot encoder JSON: categories must be an array');
    const dropIndices = j.dropIndices ?? j.features.map(() => null);
    if (!Array.isArray(dropIndices) || !dropIndices.every((d) => d === null || Number.isInteger(d))) {
      throw new InputError('one-hot encoder JSON: dropIndices must be integers or null');
    }
    return new OneHotEncoder(
      j.features as string[],
      j.categories.map((c, f) => parseCategoryList(c, `categories[${f}]`)),
      j.handleUnknown as HandleUnknown,
      dropIndices as (number | null)[],
    );
  }

  /**
   * The JSON form, accepted by {@link OneHotEncoder.fromJSON}.
   *
   * @example
   * JSON.stringify(encoder) // uses toJSON
   */
  toJSON(): OneHotEncoderJSON {
    return {
      type: 'OneHotEncoder',
      features: [...this.features],
      categories: this.categories.map((c) => [...c]),
      handleUnknown: this.handleUnknown,
      dropIndices: [...this.dropIndices],
    };
  }

  /**
   * Encodes one row: one raw value per feature (strings, numbers, or null/undefined/NaN for
   * missing). Writes into `out` at `offset` when given (for building model rows without
   * allocation). An unknown category is an {@link InputError} with `handleUnknown: 'error'`.
   *
   * @example
   * OneHotEncoder.fromCategories(['c'], [['a', 'b']]).encodeRow(['b']) // => Float64Array [0, 1]
   */
  encodeRow(values: readonly unknown[], out?: Float64Array | Float32Array, offset = 0): Float64Array | Float32Array {
    if (values.length !== this.features.length) {
      throw new InputError(`one-hot encoder expects ${this.features.length} values, got ${values.length}`);
    }
    const width = this.featureNamesOut.length;
    const target = out ?? new Float64Array(width);
    if (offset < 0 || offset + width > target.length) throw new InputError('one-hot encoder: output buffer too small');
    target.fill(0, offset, offset + width);
    for (let f = 0; f < values.length; f++) {
      const j = this.#lookup[f].get(toCategory(values[f]));
      if (j === undefined) {
        if (this.handleUnknown === 'error') {
          throw new InputError(`unknown category ${JSON.stringify(values[f] ?? null)} for '${this.features[f]}' (known: ${this.categories[f].map((c) => JSON.stringify(c)).join(', ')})`);
        }
        continue;
      }
      const slot = this.#slot[f][j];
      if (slot >= 0) target[offset + slot] = 1;
    }
    return target;
  }

  /**
   * Encodes the feature columns of a table into a row-major matrix (`numRows × featureNamesOut.length`).
   *
   * @example
   * const t = Table.fromRows([{ c: 'a' }, { c: 'b' }]);
   * OneHotEncoder.fit(t, ['c']).transform(t) // => Float64Array [1, 0, 0, 1]
   */
  transform(table: Table): Float64Array {
    const columns = this.features.map((f) => categoryValues(table.column(f), f));
    const width = this.featureNamesOut.length;
    const out = new Float64Array(table.numRows * width);
    const row = new Array<Category>(columns.length);
    for (let r = 0; r < table.numRows; r++) {
      for (let f = 0; f < columns.length; f++) row[f] = columns[f][r];
      this.encodeRow(row, out, r * width);
    }
    return out;
  }

  /**
   * The table with each encoded feature column replaced by its one-hot number columns,
   * placed where the first encoded feature was (other columns keep their order).
   *
   * @example
   * const t = Table.fromRows([{ id: 1, c: 'a', n: 5 }]);
   * OneHotEncoder.fit(t, ['c']).transformTable(t).columnNames // => ['id', 'c_a', 'n']
   */
  transformTable(table: Table): Table {
    const matrix = this.transform(table);
    const width = this.featureNamesOut.length;
    const encoded: [string, Column][] = this.featureNamesOut.map((name, k) => {
      const values = new Float64Array(table.numRows);
      for (let r = 0; r < table.numRows; r++) values[r] = matrix[r * width + k];
      return [name, { kind: 'number', values }];
    });
    const inputs = new Set(this.features);
    const entries: [string, Column][] = [];
    let placed = false;
    for (const name of table.columnNames) {
      if (!inputs.has(name)) entries.push([name, table.column(name)]);
      else if (!placed) {
        entries.push(...encoded);
        placed = true;
      }
    }
    return Table.fromColumns(entries);
  }
}

function toCategory(v: unknown): Category {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'string') return v;
  return `\u0000${typeof v}`; // never a category: unknown
}

function categoryValues(column: Column, name: string): Category[] {
  if (column.kind === 'string') return column.values;
  if (column.kind === 'number') return Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
  if (column.kind === 'boolean') return columnAsStrings(column).map((v) => (v === null ? null : v === 'true' ? 'True' : 'False'));
  throw new InputError(`column '${name}' holds dates; encode a string or number column`);
}
