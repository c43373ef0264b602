// The safe unpickler on real pickles written by Python (models/pickle/generate.py) and on
// hand-made hostile ones (models/pickle/hostile.py).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowedGlobals, loadJoblib, loadPickle, ModelFormatError, RetailMlError, unjoblib, unpickle, UnsafePickleError, UnsupportedModelError,
  type NdArray, type PyObject, type PyValue,
} from '../../src/index.js';
import { repoRoot, sharedData } from '../support/paths.js';

const fixtures = join(repoRoot, 'models/pickle/fixtures');
const hostileDir = join(repoRoot, 'models/pickle/hostile');
const read = (dir: string, f: string) => readFileSync(join(dir, f));

function plain(a: NdArray): unknown {
  if (a.data instanceof Map) return { dtype: 'struct', shape: a.shape, fields: Object.fromEntries([...a.data].map(([k, v]) => [k, Array.from(v as ArrayLike<number | bigint>, Number)])) };
  const values = Array.from(a.data as ArrayLike<PyValue>, (v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' && Number.isNaN(v) ? null : v));
  return { dtype: a.dtype, shape: a.shape, values: a.dtype === '|b1' ? values.map((v) => v === 1) : values };
}

describe('unpickle: NumPy arrays and scalars', () => {
  const expected = JSON.parse(read(fixtures, 'numpy.expected.json').toString()) as Record<string, unknown>;
  const files = ['numpy.p0.pkl', 'numpy.p2.pkl', 'numpy.p4.pkl', 'numpy.p5.pkl', 'numpy.joblib', 'numpy.z3.joblib', 'numpy.gz.joblib'];
  for (const file of files) {
    it(`${file}: every dtype, order and shape as NumPy has it`, () => {
      const bytes = read(fixtures, file);
      const value = (file.endsWith('.joblib') ? unjoblib(bytes) : unpickle(bytes)) as Map<string, PyValue>;
      expect(value).toBeInstanceOf(Map);
      for (const [key, want] of Object.entries(expected)) {
        const got = value.get(key);
        if (typeof want === 'number') expect(got, key).toBe(want);
        else expect(plain(got as NdArray), key).toEqual(want);
      }
    });
  }

  it('names the compressor joblib used when it is not zlib or gzip', () => {
    expect(() => unjoblib(read(fixtures, 'numpy.bz2.joblib'))).toThrow(/compressed with bz2/);
  });
});

describe('unpickle: scikit-learn objects', () => {
  const manifest = JSON.parse(read(fixtures, 'manifest.json').toString()) as { sklearn_globals: string[] };

  it('allows every global scikit-learn 1.2.1 pickles of the supported classes name', () => {
    const allowed = new Set(allowedGlobals());
    const py2 = (g: string) => g.replace(/^__builtin__\./, 'builtins.').replace(/^copy_reg\./, 'copyreg.');
    expect(manifest.sklearn_globals.length).toBeGreaterThan(30);
    expect(manifest.sklearn_globals.filter((g) => !allowed.has(py2(g)))).toEqual([]);
  });

  it("reads a tree's structured node array and its values", () => {
    const want = JSON.parse(read(fixtures, 'sklearn_DecisionTreeClassifier.expected.json').toString());
    const clf = unpickle(read(fixtures, 'sklearn_DecisionTreeClassifier.p4.pkl')) as PyObject;
    expect(clf.className).toBe('sklearn.tree._classes.DecisionTreeClassifier');
    const tree = (clf.state as Map<string, PyValue>).get('tree_') as PyObject;
    expect(tree.className).toBe('sklearn.tree._tree.Tree');
    const state = tree.state as Map<string, PyValue>;
    const nodes = state.get('nodes') as NdArray;
    expect(nodes.dtype).toBe('struct');
    const columns = nodes.data as unknown as Map<string, ArrayLike<number | bigint>>;
    expect([...columns.keys()]).toEqual(want.node_fields);
    expect(Array.from(columns.get('threshold')!)).toEqual(want.threshold);
    expect(Array.from(columns.get('left_child')!, Number)).toEqual(want.left);
    expect(Array.from(columns.get('feature')!, Number)).toEqual(want.feature);
    const values = state.get('values') as NdArray;
    expect(values.shape).toEqual(want.value_shape);
    expect(Array.from(values.data as Float64Array)).toEqual(want.value);
  });

  it('reads a scaler and a one-hot encoder (object arrays of strings)', () => {
    const scaler = (unpickle(read(fixtures, 'sklearn_StandardScaler.p4.pkl')) as PyObject).state as Map<string, PyValue>;
    const want = JSON.parse(read(fixtures, 'sklearn_StandardScaler.expected.json').toString());
    expect(Array.from((scaler.get('mean_') as NdArray).data as Float64Array)).toEqual(want.mean);
    expect(Array.from((scaler.get('scale_') as NdArray).data as Float64Array)).toEqual(want.scale);
    expect(Number(scaler.get('n_samples_seen_'))).toBe(want.n_samples_seen);
    const enc = (unpickle(read(fixtures, 'sklearn_OneHotEncoder.p4.pkl')) as PyObject).state as Map<string, PyValue>;
    const cats = enc.get('categories_') as NdArray[];
    expect(cats.map((c) => c.data)).toEqual(JSON.parse(read(fixtures, 'sklearn_OneHotEncoder.expected.json').toString()).categories);
  });

  it('loads a scikit-learn estimator through loadPickle, and refuses a class outside the list naming it and its version', () => {
    const scaler = loadPickle(read(fixtures, 'sklearn_StandardScaler.p4.pkl'));
    expect(scaler.estimatorType).toBe('transformer');
    expect(() => loadPickle(read(join(repoRoot, 'models/sklearn/pickles'), 'unsupported_svc.pkl'))).toThrow(UnsupportedModelError);
    expect(() => loadPickle(read(join(repoRoot, 'models/sklearn/pickles'), 'unsupported_svc.pkl'))).toThrow(/sklearn\.svm\._classes\.SVC \(saved by scikit-learn 1\.2\.1\)/);
  });

  const seed = join(sharedData, 'category-recommender');
  it.skipIf(!existsSync(join(seed, 'label_encoder.pkl')))("reads the seed's label and one-hot encoders", () => {
    const le = unpickle(read(seed, 'label_encoder.pkl')) as PyObject;
    expect(le.className).toBe('sklearn.preprocessing._label.LabelEncoder');
    expect(((le.state as Map<string, PyValue>).get('classes_') as NdArray).data).toEqual(['Books', 'Clothing', 'Electronics', 'Home']);
    const ohe = unpickle(read(seed, 'onehot_encoder.pkl')) as PyObject;
    const cats = (ohe.state as Map<string, PyValue>).get('categories_') as NdArray[];
    expect(cats[0].data).toEqual(['Bangalore', 'Delhi', 'Hyderabad', 'Mumbai']);
  });
});

describe('hostile pickles', () => {
  const manifest = JSON.parse(read(hostileDir, 'manifest.json').toString()) as {
    canary: string;
    cases: { file: string; error: string; fragment: string; note: string; options: Record<string, number> }[];
  };
  const classes: Record<string, new (...args: never[]) => Error> = { UnsafePickleError, ModelFormatError };

  for (const c of manifest.cases) {
    it(`${c.file} (${c.note}): ${c.error} mentioning '${c.fragment}'`, () => {
      const bytes = read(hostileDir, c.file);
      const started = performance.now();
      let error: unknown = null;
      try {
        if (c.file.endsWith('.joblib')) loadJoblib(bytes, c.options);
        else loadPickle(bytes, c.options);
      } catch (e) {
        error = e;
      }
      expect(performance.now() - started).toBeLessThan(2000);
      expect(error).toBeInstanceOf(classes[c.error]);
      expect((error as RetailMlError).code).toMatch(/^[A-Z_]+$/);
      expect((error as Error).message).toContain(c.fragment);
      expect((error as Error).message).not.toContain('\n');
    });
  }

  it('ran nothing: the canary file the payloads would create does not exist', () => {
    expect(existsSync(manifest.canary)).toBe(false);
  });

  it('names the refused global on the error object', () => {
    try {
      unpickle(read(hostileDir, 'eval.pkl'));
      expect.unreachable();
    } catch (e) {
      expect((e as UnsafePickleError).global).toBe('builtins.eval');
      expect((e as UnsafePickleError).code).toBe('UNSAFE_PICKLE');
    }
  });

  it('accepts the memo-bomb file under the default limits (it is only 3,000 entries) and the deep file with a larger maxDepth', () => {
    expect(unpickle(read(hostileDir, 'memo_bomb.pkl'))).toBeNull();
    expect(Array.isArray(unpickle(read(hostileDir, 'deep_nesting.pkl'), { maxDepth: 10_000 }))).toBe(true);
  });

  it('refuses the plain data a pickle may hold instead of a model', () => {
    expect(() => loadPickle(read(fixtures, 'numpy.p4.pkl'))).toThrow(/^dict is plain data/);
  });
});
