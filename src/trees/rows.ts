import { InputError } from '../errors.js';
import { isTable } from '../features/is-table.js';
import type { Table } from '../features/table.js';
import { denseMatrix, isDenseMatrix, type DenseMatrix } from '../matrix.js';

/** A row keyed by feature name: a plain object or a Map. */
export type NamedRow = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>;

/**
 * Everything a model accepts as input rows: flat row-major typed arrays, the library's
 * `DenseMatrix`, a `Table`, rows as arrays or rows keyed by feature name.
 */
export type Rows = Float32Array | Float64Array | DenseMatrix | Table | ReadonlyArray<ReadonlyArray<unknown>> | ReadonlyArray<NamedRow>;

/** What {@link encodeRows} needs to know about the model's features. */
export interface RowSchema {
  numFeatures: number;
  featureNames: readonly string[] | null;
  /** Per feature: category name → code, for features that accept strings. */
  categoryCodes: ReadonlyArray<ReadonlyMap<string, number> | null | undefined>;
}

/**
 * Encodes rows as the row-major float32 matrix the engine reads, with NaN for missing and
 * category names as their codes.
 * - Typed arrays are row-major with `numFeatures` values per row.
 * - A `DenseMatrix` must have `cols` = `numFeatures`.
 * - A `Table` is matched by `featureNames` (every feature must be a column; other columns
 *   are ignored), or by position (exactly `numFeatures` columns) when there are no names.
 * - Array rows must have exactly `numFeatures` entries; null, undefined and NaN are missing.
 * - Named rows (objects or Maps) are matched to `featureNames`; an absent feature is
 *   missing and an unknown key is an error, so a typo cannot pass silently.
 * - Strings are category names, mapped through `categoryCodes`; booleans are 1/0.
 * - `scratch`, when it holds exactly the rows' values, is written and returned instead of a
 *   new array (the caller must not keep the result).
 *
 * @example
 * encodeRows([[1, null, 'Delhi']], { numFeatures: 3, featureNames: null,
 *   categoryCodes: [null, null, new Map([['Delhi', 1]])] })
 * // => { values: Float32Array [1, NaN, 1], numRows: 1 }
 */
export function encodeRows(rows: Rows, schema: RowSchema, scratch?: Float32Array): { values: Float32Array; numRows: number } {
  const width = schema.numFeatures;
  if (isTable(rows)) return encodeTable(rows, schema, scratch);
  if (isDenseMatrix(rows)) {
    const m = denseMatrix(rows.data, rows.rows, rows.cols, 'rows');
    if (m.cols !== width) throw new InputError(`the matrix has ${m.cols} columns, the model expects ${width}`);
    return { values: Float32Array.from(m.data), numRows: m.rows };
  }
  if (rows instanceof Float32Array || rows instanceof Float64Array) {
    if (width === 0 ? rows.length !== 0 : rows.length % width !== 0) {
      throw new InputError(`a flat matrix must hold a multiple of ${width} values (one row per ${width} features), got ${rows.length}`);
    }
    const numRows = width === 0 ? 0 : rows.length / width;
    return { values: rows instanceof Float32Array ? rows : Float32Array.from(rows), numRows };
  }
  if (!Array.isArray(rows)) throw new InputError('rows must be a Float32Array, a Float64Array, { data: Float64Array, rows, cols }, a Table, an array of arrays or an array of named rows');
  const numRows = rows.length;
  // `scratch` (when it has exactly the size) saves allocating an ArrayBuffer, e.g. for one row.
  const values = scratch !== undefined && scratch.length === numRows * width ? scratch : new Float32Array(numRows * width);
  let nameIndex: Map<string, number> | null = null;
  for (let r = 0; r < numRows; r++) {
    const row: unknown = rows[r];
    const offset = r * width;
    if (Array.isArray(row)) {
      if (row.length !== width) throw new InputError(`row ${r} has ${row.length} values, expected ${width}`);
      for (let f = 0; f < width; f++) values[offset + f] = toFeatureValue(row[f], f, r, schema);
    } else if (row !== null && typeof row === 'object') {
      if (!schema.featureNames) throw new InputError(`row ${r} is keyed by name, but the model has no feature names`);
      nameIndex ??= new Map(schema.featureNames.map((name, f) => [name, f]));
      values.fill(NaN, offset, offset + width);
      const entries = row instanceof Map ? row.entries() : Object.entries(row as Record<string, unknown>);
      for (const [key, value] of entries) {
        const f = nameIndex.get(key);
        if (f === undefined) throw new InputError(`row ${r} has unknown feature '${key}'`);
        values[offset + f] = toFeatureValue(value, f, r, schema);
      }
    } else {
      throw new InputError(`row ${r} must be an array or an object, got ${row === null ? 'null' : typeof row}`);
    }
  }
  return { values, numRows };
}

/**
 * Encodes rows as {@link encodeRows} does.
 *
 * @deprecated Renamed {@link encodeRows} (the forest's own float32 conversion is now
 * `toFloat32Matrix`); this name stays as an alias.
 * @example
 * toFloat32Rows([[1, 2]], { numFeatures: 2, featureNames: null, categoryCodes: [] }).values // => Float32Array [1, 2]
 */
export const toFloat32Rows = encodeRows;

/** A Table, column by column, into the engine's row-major layout. */
function encodeTable(table: Table, schema: RowSchema, scratch?: Float32Array): { values: Float32Array; numRows: number } {
  const width = schema.numFeatures;
  const names = schema.featureNames;
  if (!names && table.columnNames.length !== width) throw new InputError(`the table has ${table.columnNames.length} columns, the model expects ${width}`);
  const numRows = table.numRows;
  const values = scratch !== undefined && scratch.length === numRows * width ? scratch : new Float32Array(numRows * width);
  for (let f = 0; f < width; f++) {
    const name = names ? names[f] : table.columnNames[f];
    if (names && !table.has(name)) throw new InputError(`the table has no column '${name}' (a feature of the model)`);
    const column = table.column(name);
    if (column.kind === 'number') {
      const v = column.values;
      for (let r = 0; r < numRows; r++) values[r * width + f] = v[r];
    } else {
      for (let r = 0; r < numRows; r++) values[r * width + f] = toFeatureValue(table.get(name, r), f, r, schema);
    }
  }
  return { values, numRows };
}

function toFeatureValue(value: unknown, f: number, r: number, schema: RowSchema): number {
  if (value === null || value === undefined) return NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const name = schema.featureNames?.[f] ?? `f${f}`;
  if (typeof value === 'string') {
    const codes = schema.categoryCodes[f];
    if (!codes) throw new InputError(`row ${r}, feature '${name}': got string '${value}' but the feature has no category names (pass a categories mapping)`);
    const code = codes.get(value);
    // An unseen category behaves as XGBoost treats an out-of-range code: it is in no split's set.
    return code === undefined ? -1 : code;
  }
  throw new InputError(`row ${r}, feature '${name}': expected a number, string, boolean or null, got ${typeof value}`);
}
