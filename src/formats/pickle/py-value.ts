/**
 * What the safe unpickler builds: plain data, never code. Every loader that maps a
 * pickled Python object onto a retail-ml estimator reads these shapes.
 *
 * - `None` → `null`, `bool` → `boolean`, `float` → `number`;
 * - `int` → `number` when it is a safe integer, otherwise `bigint`;
 * - `str` → `string`, `bytes`/`bytearray` → `Uint8Array`;
 * - `list` and `tuple` → arrays (a tuple is frozen), `set`/`frozenset` → `Set`;
 * - `dict` → `Map` (so `__proto__` is an ordinary key), insertion order kept;
 * - a NumPy array → {@link NdArray}, a NumPy scalar → `number` / `bigint` / `boolean`;
 * - an instance of an allow-listed class → {@link PyObject}.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly PyValue[]
  | Set<PyValue>
  | Map<PyValue, PyValue>
  | NdArray
  | PyObject;

/**
 * A NumPy array, C order (a Fortran-ordered array is reordered when read).
 * `data` is a typed array for numeric dtypes, `PyValue[]` for object arrays (`|O`),
 * and one column per field for structured dtypes (e.g. a scikit-learn tree's nodes).
 *
 * @example
 * // np.array([[1.0, 2.0], [3.0, 4.0]])
 * const a: NdArray = { kind: 'ndarray', dtype: '<f8', shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) };
 */
export interface NdArray {
  readonly kind: 'ndarray';
  /** NumPy's `dtype.str` for plain dtypes (`'<f8'`, `'<i8'`, `'|u1'`, `'|O'`, `'<U5'`), `'struct'` for structured ones. */
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: NdArrayData | ReadonlyMap<string, NdArrayData>;
}

/** The values of a plain (non-structured) array: a typed array, or Python values for `|O`. */
export type NdArrayData =
    | Float64Array
    | Float32Array
    | Int8Array
    | Int16Array
    | Int32Array
    | BigInt64Array
    | Uint8Array
    | Uint16Array
    | Uint32Array
    | BigUint64Array
    | readonly PyValue[];

/**
 * An instance of an allow-listed class: its fully qualified name, the arguments it was
 * created with (`REDUCE`/`NEWOBJ`), and the state given to `BUILD` (`__setstate__`),
 * usually a `Map` of attribute names (for scikit-learn, `__dict__` with `_sklearn_version`).
 *
 * @example
 * const obj: PyObject = { kind: 'object', className: 'sklearn.preprocessing._data.StandardScaler', args: [], state: new Map() };
 */
export interface PyObject {
  readonly kind: 'object';
  /** `module.qualname`, e.g. `'sklearn.cluster._kmeans.KMeans'`. */
  readonly className: string;
  readonly args: readonly PyValue[];
  readonly state: PyValue;
}
