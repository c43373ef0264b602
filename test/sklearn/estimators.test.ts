import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimatorFromJSON } from '../../src/compose/estimator-from-json.js';
import { InputError, ModelFormatError, UnsupportedModelError } from '../../src/errors.js';
import type { Estimator, EstimatorInput } from '../../src/estimator.js';
import { OrdinalEncoder } from '../../src/features/ordinal-encoder.js';
import { Table } from '../../src/features/table.js';
import type { PyObject, PyValue } from '../../src/formats/pickle/py-value.js';
import { sklearnEstimatorFromPython } from '../../src/formats/sklearn/from-python.js';
import { SimpleImputer } from '../../src/preprocess/impute.js';
import { MinMaxScaler } from '../../src/preprocess/min-max-scaler.js';
import type { DenseMatrix } from '../../src/preprocess/matrix.js';
import { repoRoot } from '../support/paths.js';
import { pyValueFromJson } from '../support/py-value-json.js';

const fixtures = resolve(repoRoot, 'models/sklearn/fixtures');

interface Rows {
  columns: string[] | null;
  rows: unknown[][];
}
interface Fixture {
  state: unknown;
  input: Rows;
  fit_input?: Rows;
  expected: Record<string, unknown>;
}

const read = (name: string) => JSON.parse(readFileSync(resolve(fixtures, `${name}.json`), 'utf8')) as Fixture;
const state = (name: string) => pyValueFromJson(read(name).state) as PyObject;
const named = ({ columns, rows }: Rows) => rows.map((row) => Object.fromEntries(columns!.map((c, j) => [c, row[j]])));
const attrs = (o: PyValue) => (o as PyObject).state as Map<PyValue, PyValue>;

/** Every output an estimator has, for bit-for-bit comparisons. */
function outputs(model: Estimator, x: EstimatorInput): unknown[] {
  const out: unknown[] = [];
  if (model.predict) out.push(Array.from(model.predict(x) as ArrayLike<unknown>));
  if (model.predictProba) out.push(Array.from(model.predictProba(x).data));
  if (model.estimatorType === 'transformer') out.push(Array.from(model.transform!(x).data));
  return out;
}

describe('loaded scikit-learn estimators follow the estimator protocol', () => {
  const all = ['decision_tree_classifier', 'decision_tree_regressor', 'random_forest_regressor', 'extra_trees_classifier', 'gradient_boosting_multiclass', 'kmeans', 'standard_scaler',
    'min_max_scaler_clip', 'power_transformer', 'pca_whiten', 'simple_imputer_empty_column', 'one_hot_encoder_drop', 'ordinal_encoder', 'seed_onehot_encoder',
    'pipeline_segmentation', 'pipeline_forest', 'pipeline_index_columns', 'column_transformer'];
  it.each(all)('%s survives toJSON → estimatorFromJSON with identical outputs', (name) => {
    const f = read(name);
    const model = sklearnEstimatorFromPython(state(name));
    const copy = estimatorFromJSON(JSON.parse(JSON.stringify(model)));
    const x = f.input.columns ? named(f.input) : (f.input.rows as EstimatorInput);
    expect(copy.estimatorType).toBe(model.estimatorType);
    expect(copy.featureNamesIn).toEqual(model.featureNamesIn);
    expect(outputs(copy, x)).toEqual(outputs(model, x));
  });

  it('a DataFrame-fitted pipeline takes a Table, rows in any key order, or positional rows alike', () => {
    const f = read('pipeline_forest');
    const model = sklearnEstimatorFromPython(state('pipeline_forest'));
    expect(model.featureNamesIn).toEqual(['age', 'days', 'discount', 'location']);
    const rows = named(f.input);
    const expected = f.expected.predict_proba as number[][];
    const want = expected.flat();
    expect(Array.from(model.predictProba!(Table.fromRows(rows)).data)).toEqual(want);
    const reversed = rows.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    expect(Array.from(model.predictProba!(reversed).data)).toEqual(want);
    const positional = rows.map((r) => model.featureNamesIn!.map((n) => r[n]));
    expect(Array.from(model.predictProba!(positional).data)).toEqual(want);
    expect(model.predict!(Table.fromRows(rows))).toEqual(f.expected.predict);
  });

  it('a missing input column is an InputError naming it', () => {
    const model = sklearnEstimatorFromPython(state('pipeline_forest'));
    expect(() => model.predict!([{ age: 35, days: 30, discount: 0 }])).toThrow(InputError);
    expect(() => model.predict!(Table.fromRows([{ age: 35, days: 30, discount: 0 }]))).toThrow("column 'location' is missing");
  });

  it('named input may leave out the columns a ColumnTransformer drops, as scikit-learn allows', () => {
    const f = read('column_transformer');
    const model = sklearnEstimatorFromPython(state('column_transformer'));
    const withoutAge = named(f.input).map(({ age: _age, ...rest }) => rest);
    expect(Array.from(model.transform!(withoutAge).data)).toEqual(Array.from(model.transform!(named(f.input)).data));
    expect(() => model.transform!(named(f.input).map(({ days: _days, ...rest }) => rest))).toThrow("no column 'days'");
  });

  it("an unknown category is an InputError with handle_unknown='error'", () => {
    const model = sklearnEstimatorFromPython(state('ordinal_encoder_plain'));
    expect(() => model.transform!([['Bangalore', 9]])).toThrow(InputError);
  });

  it('a non-scikit-learn step (e.g. XGBoost) goes through mapOther, and an estimator already mapped is used as it is', () => {
    const pipe = state('pipeline_forest');
    const steps = attrs(pipe).get('steps') as PyValue[];
    const xgb: PyObject = { kind: 'object', className: 'xgboost.sklearn.XGBClassifier', args: [], state: new Map([['n_estimators', 3]]) };
    const seen: DenseMatrix[] = [];
    const fake: Estimator = {
      estimatorType: 'classifier',
      featureNamesIn: null,
      numFeaturesIn: 7,
      classes: ['Books', 'Clothing', 'Home'],
      predictProba(x) {
        seen.push(x as DenseMatrix);
        const m = x as DenseMatrix;
        return { data: new Float64Array(m.rows * 3).fill(1 / 3), rows: m.rows, cols: 3 };
      },
      toJSON: () => ({ type: 'Fake' }),
    };
    const withXgb = { ...pipe, state: new Map([...attrs(pipe), ['steps', [steps[0], ['xgb', xgb]]]]) } as PyObject;
    expect(() => sklearnEstimatorFromPython(withXgb)).toThrow(UnsupportedModelError);
    expect(() => sklearnEstimatorFromPython(withXgb)).toThrow('xgboost.sklearn.XGBClassifier is not supported');
    const mapped = sklearnEstimatorFromPython(withXgb, { mapOther: (o) => (o.className === 'xgboost.sklearn.XGBClassifier' ? fake : null!) });
    const rows = named(read('pipeline_forest').input);
    expect(mapped.predictProba!(rows).cols).toBe(3);
    expect(mapped.classes).toEqual(fake.classes);
    // 2 scaled numbers + 4 one-hot cities + the passthrough discount column
    expect(seen[0].cols).toBe(7);
    expect(seen[0].rows).toBe(rows.length);
    const direct = { ...pipe, state: new Map([...attrs(pipe), ['steps', [steps[0], ['xgb', fake as unknown as PyValue]]]]) } as PyObject;
    expect(sklearnEstimatorFromPython(direct).predictProba!(rows).rows).toBe(rows.length);
  });

  it('hostile or inconsistent state is a ModelFormatError, never a crash', () => {
    const tree = state('decision_tree_classifier');
    const treeObj = attrs(tree).get('tree_') as PyObject;
    const nodes = (treeObj.state as Map<PyValue, PyValue>).get('nodes') as unknown as { data: Map<string, BigInt64Array> };
    const left = nodes.data.get('left_child')!;
    left[1] = 0n; // a child pointing back at the root would loop forever
    expect(() => sklearnEstimatorFromPython(tree)).toThrow(ModelFormatError);
    const noCentres = state('kmeans');
    attrs(noCentres).delete('cluster_centers_');
    expect(() => sklearnEstimatorFromPython(noCentres)).toThrow('KMeans.cluster_centers_: is missing');
    const notAMap = { ...state('standard_scaler'), state: 'garbage' } as PyObject;
    expect(() => sklearnEstimatorFromPython(notAMap)).toThrow(ModelFormatError);
    const gb = state('gradient_boosting_binary');
    attrs(gb).set('init_', { kind: 'object', className: 'sklearn.linear_model._logistic.LogisticRegression', args: [], state: new Map() });
    expect(() => sklearnEstimatorFromPython(gb)).toThrow('only the default prior init is supported');
  });

  it('MinMaxScaler.fit, SimpleImputer most_frequent and OrdinalEncoder.fit learn what scikit-learn learned from the same rows', () => {
    const mm = read('min_max_scaler');
    const mmState = attrs(pyValueFromJson(mm.state));
    const scaler = MinMaxScaler.fit(named(mm.fit_input!), { featureRange: [-1, 2] });
    expect(Array.from(scaler.scale)).toEqual(Array.from((mmState.get('scale_') as { data: Float64Array }).data));
    expect(Array.from(scaler.min)).toEqual(Array.from((mmState.get('min_') as { data: Float64Array }).data));
    expect(Array.from(scaler.transform(named(mm.input)).data)).toEqual((mm.expected.transform as number[][]).flat());

    const mf = read('simple_imputer_most_frequent');
    const imputer = new SimpleImputer({ strategy: 'most_frequent' }).fit(mf.fit_input!.rows.map((r) => r.map((v) => (v === null ? NaN : (v as number)))));
    const mfState = attrs(pyValueFromJson(mf.state));
    // Compared with ===, so -0 meets +0: NumPy's sort, not the data, decides which zero it keeps.
    const skStats = (mfState.get('statistics_') as { data: Float64Array }).data;
    expect(Array.from(imputer.statistics, (v, j) => v === skStats[j])).toEqual([true, true, true, true]);

    const oe = read('ordinal_encoder');
    const fitted = OrdinalEncoder.fit(named(oe.fit_input!), { handleUnknown: 'use_encoded_value', unknownValue: -1 });
    const sk = sklearnEstimatorFromPython(pyValueFromJson(oe.state) as PyObject) as OrdinalEncoder;
    expect(fitted.categories).toEqual(sk.categories);
    // Rows without a missing value code alike (JavaScript cannot tell pandas' None from NaN: both are missing here).
    const rows = named(oe.input).filter((r) => Object.values(r).every((v) => v !== null));
    expect(Array.from(fitted.transform(rows).data)).toEqual(Array.from(sk.transform(rows).data));
  });
});

describe('Pipeline and ColumnTransformer as generic building blocks', () => {
  it('chain retail-ml estimators with passthrough steps, and a table with numeric column names', async () => {
    const { Pipeline } = await import('../../src/compose/pipeline.js');
    const { ColumnTransformer } = await import('../../src/compose/column-transformer.js');
    const { KMeansEstimator } = await import('../../src/cluster/kmeans-estimator.js');
    const scaler = MinMaxScaler.fit([[0, 10], [10, 30]]);
    const ct = new ColumnTransformer([{ name: 'mm', step: scaler, columns: [1, 0] }], { numFeaturesIn: 2 });
    const km = new KMeansEstimator({ data: Float64Array.of(0, 0, 1, 1), rows: 2, cols: 2 });
    const pipe = new Pipeline([['ct', ct], ['skip', 'passthrough'], ['km', km]]);
    expect(pipe.estimatorType).toBe('clusterer');
    expect(pipe.predictProba).toBeUndefined();
    // columns [1, 0] → scaled (x1, x0): row 0 is (0, 0) → cluster 0; row 1 is (1, 1) → cluster 1
    expect(Array.from(pipe.predict!(Table.fromRows([[10, 30], [0, 10]], ['10', '2'])) as Int32Array)).toEqual([1, 0]);
    expect(Array.from(pipe.predict!([[0, 10], [10, 30]]) as Int32Array)).toEqual([0, 1]);
    expect(ct.outputNames()).toEqual(['mm__x1', 'mm__x0']);
    const copy = estimatorFromJSON(JSON.parse(JSON.stringify(pipe)));
    expect(Array.from(copy.predict!([[10, 30]]) as Int32Array)).toEqual([1]);
    expect(() => new Pipeline([['km', km], ['mm', scaler]])).toThrow(ModelFormatError);
  });
});
