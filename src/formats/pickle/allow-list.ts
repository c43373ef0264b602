/**
 * What a global may be once the safe unpickler resolves it. The unpickler never imports
 * or calls anything: each kind names a data-building rule it implements itself.
 * - `class`: an instance becomes a `PyObject` with that class name (REDUCE/NEWOBJ + BUILD);
 * - the other kinds are the few functions pickles of NumPy, scikit-learn and XGBoost
 *   call to rebuild plain data (bytes, sets, arrays, dtypes, scalars).
 */
export type GlobalKind =
  | 'class'
  | 'reconstructor'
  | 'codecs-encode'
  | 'bytes'
  | 'bytearray'
  | 'set'
  | 'frozenset'
  | 'ordered-dict'
  | 'ndarray-reconstruct'
  | 'dtype'
  | 'scalar'
  | 'frombuffer'
  | 'numpy-type'
  | 'joblib-array';

const NUMPY_CORE = ['numpy.core', 'numpy._core'];

function entries(): [string, GlobalKind][] {
  const out: [string, GlobalKind][] = [
    ['copyreg._reconstructor', 'reconstructor'],
    ['builtins.object', 'class'],
    ['builtins.slice', 'class'],
    ['builtins.bytes', 'bytes'],
    ['builtins.bytearray', 'bytearray'],
    ['builtins.set', 'set'],
    ['builtins.frozenset', 'frozenset'],
    ['collections.OrderedDict', 'ordered-dict'],
    ['_codecs.encode', 'codecs-encode'],
    ['numpy.dtype', 'dtype'],
    ['numpy.ndarray', 'numpy-type'],
    ['numpy.random._pickle.__randomstate_ctor', 'class'],
    ['numpy.random._pickle.__bit_generator_ctor', 'class'],
    ['numpy.random._pickle.__generator_ctor', 'class'],
    ['joblib.numpy_pickle.NumpyArrayWrapper', 'joblib-array'],
    ['xgboost.core.Booster', 'class'],
  ];
  for (const core of NUMPY_CORE) {
    out.push([`${core}.multiarray._reconstruct`, 'ndarray-reconstruct'], [`${core}.multiarray.scalar`, 'scalar'], [`${core}.numeric._frombuffer`, 'frombuffer']);
  }
  for (const t of ['float64', 'float32', 'float16', 'int64', 'int32', 'int16', 'int8', 'uint64', 'uint32', 'uint16', 'uint8', 'bool_', 'object_', 'str_', 'bytes_']) out.push([`numpy.${t}`, 'numpy-type']);
  for (const name of ['XGBClassifier', 'XGBRegressor', 'XGBRFClassifier', 'XGBRFRegressor']) out.push([`xgboost.sklearn.${name}`, 'class']);
  for (const [modules, names] of SKLEARN) for (const m of modules) for (const n of names) out.push([`sklearn.${m}.${n}`, 'class']);
  return out;
}

// scikit-learn classes by every module path a pickle may name them with: the private
// module that defines them (what pickles hold), the public package, and the pre-0.22 path.
const SKLEARN: [string[], string[]][] = [
  [['tree._classes', 'tree', 'tree.tree'], ['DecisionTreeClassifier', 'DecisionTreeRegressor', 'ExtraTreeClassifier', 'ExtraTreeRegressor']],
  [['tree._tree'], ['Tree']],
  [['ensemble._forest', 'ensemble', 'ensemble.forest'], ['RandomForestClassifier', 'RandomForestRegressor', 'ExtraTreesClassifier', 'ExtraTreesRegressor']],
  [['ensemble._gb', 'ensemble', 'ensemble.gradient_boosting'], ['GradientBoostingClassifier']],
  [['ensemble._gb_losses'], ['BinomialDeviance', 'MultinomialDeviance', 'ExponentialLoss', 'LeastSquaresError']],
  [['dummy'], ['DummyClassifier', 'DummyRegressor']],
  [['cluster._kmeans', 'cluster', 'cluster.k_means_'], ['KMeans']],
  [['preprocessing._data', 'preprocessing', 'preprocessing.data'], ['StandardScaler', 'MinMaxScaler', 'PowerTransformer']],
  [['preprocessing._label', 'preprocessing', 'preprocessing.label'], ['LabelEncoder']],
  [['preprocessing._encoders', 'preprocessing'], ['OneHotEncoder', 'OrdinalEncoder']],
  [['preprocessing._function_transformer', 'preprocessing'], ['FunctionTransformer']],
  [['impute._base', 'impute'], ['SimpleImputer']],
  [['decomposition._pca', 'decomposition', 'decomposition.pca'], ['PCA']],
  [['pipeline'], ['Pipeline']],
  [['compose._column_transformer', 'compose'], ['ColumnTransformer']],
];

const ALLOWED: ReadonlyMap<string, GlobalKind> = new Map(entries());

// Python 2 names that protocols 0-2 write for the modules above (pickle's fix_imports).
const PY2_MODULES: Readonly<Record<string, string>> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

/**
 * Resolves `module.name` against the allow-list; null when refused.
 *
 * @example
 * allowedGlobal('numpy.core.multiarray', '_reconstruct') // => { name: 'numpy.core.multiarray._reconstruct', kind: 'ndarray-reconstruct' }
 * allowedGlobal('sklearn.svm._classes', 'SVC') // => { name: 'sklearn.svm._classes.SVC', kind: 'class' } (refused later by name)
 * allowedGlobal('os', 'system') // => null
 */
export function allowedGlobal(module: string, name: string): { name: string; kind: GlobalKind } | null {
  const resolved = Object.hasOwn(PY2_MODULES, module) ? PY2_MODULES[module] : module;
  const full = `${resolved}.${name}`;
  const kind = ALLOWED.get(full);
  if (kind !== undefined) return { name: full, kind };
  // Any other scikit-learn class is built as inert data too, so that the estimator mapping
  // can refuse it by name with the version that saved it (nothing is ever imported or run).
  if (SKLEARN_MODULE.test(resolved) && CLASS_NAME.test(name)) return { name: full, kind: 'class' };
  return null;
}

const SKLEARN_MODULE = /^sklearn(\.[a-z_][a-z0-9_]*)+$/;
const CLASS_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Every allowed global, for documentation and tests.
 *
 * @example
 * allowedGlobals().includes('sklearn.tree._tree.Tree') // => true
 */
export function allowedGlobals(): string[] {
  return [...ALLOWED.keys()];
}
