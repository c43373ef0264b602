import { describeValue, ModelFormatError } from '../../errors.js';
import type { NdArray, NdArrayData, PyObject, PyValue } from '../pickle/py-value.js';

/** More input columns than any real model has: a count above it is hostile or corrupt. */
const MAX_FEATURES = 2 ** 24;

/**
 * Typed reads of an unpickled scikit-learn object's attributes (its `__dict__` state):
 * every read names the class and attribute when the value has the wrong shape, so a
 * malformed or hostile pickle ends in a {@link ModelFormatError}, never a TypeError.
 *
 * @example
 * const s = new PyState(obj);
 * s.floats('mean_'); // Float64Array
 */
export class PyState {
  readonly className: string;
  readonly #attrs: ReadonlyMap<PyValue, PyValue>;

  constructor(readonly obj: PyObject) {
    this.className = obj.className;
    if (!(obj.state instanceof Map)) throw new ModelFormatError(this.className, `state must be a dict of attributes, got ${describePy(obj.state)}`);
    this.#attrs = obj.state;
  }

  /** What saved the object, for messages: `'scikit-learn 1.2.1'`, or null when it does not say. */
  get savedBy(): string | null {
    return this.version === 'unknown' ? null : `scikit-learn ${this.version}`;
  }

  /** The scikit-learn version the object was saved with, or 'unknown'. */
  get version(): string {
    const v = this.#attrs.get('_sklearn_version');
    return typeof v === 'string' ? v : 'unknown';
  }

  /** Where a problem is: `Class.attribute`. */
  where(name: string): string {
    return `${this.className.split('.').pop()}.${name}`;
  }

  has(name: string): boolean {
    return this.#attrs.has(name);
  }

  /** The raw attribute (undefined when absent). */
  get(name: string): PyValue | undefined {
    return this.#attrs.get(name);
  }

  /** The attribute, which must be present. */
  need(name: string): PyValue {
    if (!this.#attrs.has(name)) throw new ModelFormatError(this.where(name), 'is missing (is the estimator fitted?)');
    return this.#attrs.get(name)!;
  }

  number(name: string): number {
    return pyNumber(this.need(name), this.where(name));
  }

  int(name: string): number {
    const n = this.number(name);
    if (!Number.isInteger(n)) throw new ModelFormatError(this.where(name), `must be an integer, got ${n}`);
    return n;
  }

  /**
   * `n_features_in_`: a whole number from 1 to 2^24. Sizes are allocated from it before
   * the arrays are compared with it, so an absurd count is refused here.
   */
  featureCount(): number {
    const n = this.int('n_features_in_');
    if (n < 1 || n > MAX_FEATURES) throw new ModelFormatError(this.where('n_features_in_'), `must be from 1 to ${MAX_FEATURES}, got ${n}`);
    return n;
  }

  bool(name: string, fallback?: boolean): boolean {
    const v = fallback !== undefined && !this.has(name) ? fallback : this.need(name);
    if (typeof v !== 'boolean') throw new ModelFormatError(this.where(name), `must be a bool, got ${describePy(v)}`);
    return v;
  }

  string(name: string): string {
    const v = this.need(name);
    if (typeof v !== 'string') throw new ModelFormatError(this.where(name), `must be a str, got ${describePy(v)}`);
    return v;
  }

  /** A float array attribute (any numeric dtype), flattened. */
  floats(name: string, length?: number): Float64Array {
    return pyFloats(this.need(name), this.where(name), length);
  }

  /** `feature_names_in_` when the estimator was fitted on named columns, else null. */
  featureNames(): string[] | null {
    if (!this.has('feature_names_in_')) return null;
    const names = pyValues(this.need('feature_names_in_'), this.where('feature_names_in_'));
    if (names.some((n) => typeof n !== 'string')) throw new ModelFormatError(this.where('feature_names_in_'), 'must be strings');
    return names as string[];
  }
}

/**
 * A short description of a Python value for error messages.
 *
 * @example
 * describePy(new Map()) // => 'a dict'
 */
export function describePy(v: PyValue | undefined): string {
  if (v instanceof Map) return 'a dict';
  if (v instanceof Set) return 'a set';
  if (isNdArray(v)) return `an ndarray of ${v.dtype} ${JSON.stringify(v.shape)}`;
  if (isPyObject(v)) return `a ${v.className}`;
  return describeValue(v);
}

/**
 * Is the value a NumPy array?
 *
 * @example
 * isNdArray(state.get('mean_')) // => true for a fitted StandardScaler
 */
export function isNdArray(v: PyValue | undefined): v is NdArray {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as NdArray).kind === 'ndarray';
}

/**
 * Is the value an instance of an allow-listed class?
 *
 * @example
 * isPyObject(state.get('init_')) // => true for a DummyClassifier, false for 'zero'
 */
export function isPyObject(v: PyValue | undefined): v is PyObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PyObject).kind === 'object';
}

/**
 * A Python number (int, float, NumPy scalar, bigint within 2^53) as a JS number.
 *
 * @example
 * pyNumber(3n, 'n_features_in_') // => 3
 */
export function pyNumber(v: PyValue | undefined, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new ModelFormatError(where, `must be a number, got ${describePy(v)}`);
}

function plainData(a: NdArray, where: string): NdArrayData {
  const data = a.data;
  if (!Array.isArray(data) && !ArrayBuffer.isView(data)) throw new ModelFormatError(where, 'is a structured array, expected a plain one');
  const values = data as NdArrayData;
  const size = a.shape.reduce((p, n) => p * n, 1);
  if (values.length !== size) throw new ModelFormatError(where, `holds ${values.length} values for shape ${JSON.stringify(a.shape)}`);
  return values;
}

/**
 * Numbers of a numeric array (or of a list of numbers), flattened in C order, as float64.
 * int64 values beyond 2^53 are refused rather than rounded.
 *
 * @example
 * pyFloats({ kind: 'ndarray', dtype: '<i8', shape: [2], data: BigInt64Array.of(1n, 2n) }, 'x') // => Float64Array [1, 2]
 */
export function pyFloats(v: PyValue | undefined, where: string, length?: number): Float64Array {
  let out: Float64Array;
  if (isNdArray(v)) {
    const data = plainData(v, where);
    if (data instanceof Float64Array) out = data;
    else if (data instanceof BigInt64Array || data instanceof BigUint64Array || Array.isArray(data)) {
      out = Float64Array.from(data as ArrayLike<unknown>, (x, i) => pyNumber(x as PyValue, `${where}[${i}]`));
    } else out = Float64Array.from(data as ArrayLike<number>);
  } else if (Array.isArray(v)) out = Float64Array.from(v as readonly PyValue[], (x, i) => pyNumber(x, `${where}[${i}]`));
  else if (typeof v === 'number' || typeof v === 'bigint') out = Float64Array.of(pyNumber(v, where));
  else throw new ModelFormatError(where, `must be an array of numbers, got ${describePy(v)}`);
  if (length !== undefined && out.length !== length) throw new ModelFormatError(where, `has ${out.length} values, expected ${length}`);
  return out;
}

/**
 * The values of an array of any dtype (or of a list) as plain JS values: strings stay
 * strings, numbers (incl. safe int64) become numbers, `None` is `null`.
 *
 * @example
 * pyValues({ kind: 'ndarray', dtype: '|O', shape: [2], data: ['a', null] }, 'categories_[0]') // => ['a', null]
 */
export function pyValues(v: PyValue | undefined, where: string): (string | number | boolean | null)[] {
  const items: readonly unknown[] = isNdArray(v) ? Array.from(plainData(v, where) as ArrayLike<unknown>) : Array.isArray(v) ? v : fail(where, `must be an array, got ${describePy(v as PyValue)}`);
  return items.map((x, i) => {
    if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
    if (typeof x === 'bigint') return pyNumber(x, `${where}[${i}]`);
    throw new ModelFormatError(`${where}[${i}]`, `must be a str, a number or None, got ${describePy(x as PyValue)}`);
  });
}

/**
 * A list or tuple attribute as an array.
 *
 * @example
 * pyList(['a', 1], 'steps') // => ['a', 1]
 */
export function pyList(v: PyValue | undefined, where: string, length?: number): readonly PyValue[] {
  if (!Array.isArray(v)) throw new ModelFormatError(where, `must be a list or tuple, got ${describePy(v)}`);
  if (length !== undefined && v.length !== length) throw new ModelFormatError(where, `has ${v.length} items, expected ${length}`);
  return v;
}

function fail(where: string, detail: string): never {
  throw new ModelFormatError(where, detail);
}
