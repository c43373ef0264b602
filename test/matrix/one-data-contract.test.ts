// One data contract (issue #14 item 6): every estimator family takes the one numeric
// matrix (`DenseMatrix`) and a `Table` as well as its rows. Expectations are the reference
// tools' own outputs (scikit-learn 1.2.1 and XGBoost 1.7.4 fixtures under models/), and the
// matrix and Table paths must give the same bits as the rows path.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_ATTRIBUTES,
  DecisionTreeClassifier,
  denseMatrix,
  encodeRows,
  fitKMeans,
  InputError,
  KMeansEstimator,
  loadSklearnTrees,
  loadXGBoost,
  matrixFromRows,
  matrixRows,
  PCA,
  predictKMeans,
  RandomForestClassifier,
  seededRandom,
  SegmentationModel,
  SimpleImputer,
  StandardScaler,
  Table,
  toDenseMatrix,
  toFloat32Rows,
  TreeEnsembleClassifier,
  type DenseMatrix,
  type Estimator,
} from '../../src/index.js';
import { estimatorFromJSON } from '../../src/compose/estimator-from-json.js';
import type { PyObject } from '../../src/formats/pickle/py-value.js';
import { sklearnEstimatorFromPython } from '../../src/formats/sklearn/from-python.js';
import { expectBitExact } from '../support/float32.js';
import { generatedFixtures, repoRoot } from '../support/paths.js';
import { pyValueFromJson } from '../support/py-value-json.js';

type Cell = number | null;

/** Rows (null = missing) as the one matrix, NaN for null. */
const asMatrix = (rows: readonly (readonly Cell[])[]): DenseMatrix => {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => row.forEach((v, j) => (data[i * cols + j] = v ?? NaN)));
  return { data, rows: rows.length, cols };
};

/** Rows as a Table with the given column names (numbers, NaN missing). */
const asTable = (rows: readonly (readonly Cell[])[], names: readonly string[]): Table =>
  Table.fromColumns(names.map((name, j) => [name, { kind: 'number', values: Float64Array.from(rows, (r) => r[j] ?? NaN) }] as const));

const positional = (n: number) => Array.from({ length: n }, (_, j) => `c${j}`);

describe('the matrix helpers', () => {
  it('denseMatrix checks the shape and shares the data', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    expect(denseMatrix(data, 2, 3).data).toBe(data);
    expect(() => denseMatrix(data, 4, 2)).toThrow(InputError);
    expect(() => denseMatrix(data, 2.5, 2)).toThrow(InputError);
    expect(() => denseMatrix([1, 2] as unknown as Float64Array, 1, 2)).toThrow(InputError);
  });

  it('rows → matrix → rows, and a Table reads by position', () => {
    const rows = [
      [1.5, -2],
      [3, 4e-300],
    ];
    const m = matrixFromRows(rows);
    expect(matrixRows(m)).toEqual(rows);
    expect(toDenseMatrix(asTable(rows, ['a', 'b']))).toEqual(m);
    expect(toDenseMatrix(m)).toBe(m);
  });

  it('a Table of the wrong width, a text column or a bad shape is an InputError', () => {
    expect(() => toDenseMatrix(asTable([[1, 2]], ['a', 'b']), 3)).toThrow(InputError);
    expect(() => toDenseMatrix(Table.fromRows([{ a: 1, b: 'x' }]))).toThrow(InputError);
    expect(() => toDenseMatrix({ data: Float64Array.of(1, 2, 3), rows: 2, cols: 2 })).toThrow(InputError);
    expect(() => toDenseMatrix('rows' as never)).toThrow(InputError);
  });
});

describe('forests (scikit-learn 1.2.1 fixtures)', () => {
  const training = JSON.parse(readFileSync(join(repoRoot, 'models/forest/fixtures-training/training_tree.json'), 'utf8'));
  const X: number[][] = training.X;
  const names = positional(X[0].length);

  for (const [name, entry] of Object.entries(training.trees) as [string, any][]) {
    it(`${name}: a DecisionTreeClassifier fitted on a matrix or a Table is scikit-learn's tree, node for node`, () => {
      const p = entry.params;
      const fit = (x: Parameters<DecisionTreeClassifier['fit']>[0]) =>
        new DecisionTreeClassifier({ criterion: p.criterion ?? 'gini', maxDepth: p.max_depth, minSamplesLeaf: p.min_samples_leaf, minSamplesSplit: p.min_samples_split, classWeight: p.class_weight ?? null }).fit(
          x,
          training.y,
          entry.weighted ? { sampleWeight: training.sample_weight } : {},
        );
      const theirs = entry.model.trees[0];
      for (const tree of [fit(asMatrix(X)), fit(asTable(X, names))]) {
        const mine = tree.toJSON().trees[0];
        expect(mine.children_left).toEqual(theirs.children_left);
        expect(mine.feature).toEqual(theirs.feature);
        expect(mine.threshold).toEqual(theirs.threshold);
      }
    });
  }

  it('a Table fit keeps its column names; predict matches a Table by name, bit for bit with rows', () => {
    const rng = seededRandom(5);
    const rows = Array.from({ length: 300 }, () => [rng.nextDouble(), rng.nextDouble() * 10, rng.nextInt(3)]);
    const y = rows.map((r) => (r[0] + r[2] / 3 > 0.9 ? 'yes' : 'no'));
    const cols = ['spend', '__proto__', 'visits'];
    const fromRows = new RandomForestClassifier({ nEstimators: 8, seed: 3 }).fit(rows, y);
    const fromTable = new RandomForestClassifier({ nEstimators: 8, seed: 3 }).fit(asTable(rows, cols), y);
    const fromMatrix = new RandomForestClassifier({ nEstimators: 8, seed: 3 }).fit(asMatrix(rows), y);
    expect(fromTable.toJSON().feature_names).toEqual(cols);
    expect(fromTable.toJSON().trees).toEqual(fromRows.toJSON().trees);
    expect(JSON.stringify(fromMatrix.toJSON())).toBe(JSON.stringify(fromRows.toJSON()));
    const want = fromRows.predictProba(rows);
    // Columns in another order plus one the model does not use: picked by name.
    const shuffled = Table.fromColumns([
      ['id', { kind: 'string', values: rows.map((_, i) => `u${i}`) }],
      ...[2, 0, 1].map((j) => [cols[j], { kind: 'number', values: Float64Array.from(rows, (r) => r[j]) }] as const),
    ]);
    expect(fromTable.predictProba(shuffled)).toEqual(want);
    expect(fromTable.predict(shuffled)).toEqual(fromRows.predict(rows));
    expect(fromRows.predictProba(asMatrix(rows))).toEqual(want);
    expect(fromRows.predictProba(asTable(rows, ['a', 'b', 'c']))).toEqual(want);
    // Behind the estimator protocol: named rows in any key order, a DenseMatrix out, JSON round trip.
    const est = fromTable.toEstimator();
    // JSON.parse makes '__proto__' an own key, as a request body would.
    const objects = rows.map((r) => JSON.parse(`{"visits":${r[2]},"spend":${r[0]},"__proto__":${r[1]}}`) as Record<string, number>);
    expect(Array.from(est.predictProba(objects).data)).toEqual(Array.from(want));
    expect(Array.from(estimatorFromJSON(JSON.parse(JSON.stringify(est))).predictProba!(shuffled).data)).toEqual(Array.from(want));
    // The deprecated { data, numRows, numFeatures } shape still works.
    expect(fromRows.predictProba({ data: Float32Array.from(rows.flat()), numRows: rows.length, numFeatures: 3 })).toEqual(want);
  });

  for (const file of ['rf_iris.json', 'gb_cancer.json', 'dt_cancer.json']) {
    it(`${file}: loaded model's predict_proba from a matrix and a Table equals the rows path and scikit-learn`, () => {
      const fixture = JSON.parse(readFileSync(join(repoRoot, 'models/forest/fixtures', file), 'utf8'));
      const model: TreeEnsembleClassifier = loadSklearnTrees(JSON.stringify(fixture.model));
      const rows: number[][] = fixture.X;
      const want = model.predictProba(rows);
      expect(model.predictProba(asMatrix(rows))).toEqual(want);
      expect(model.predictProba(asTable(rows, model.featureNames ?? positional(rows[0].length)))).toEqual(want);
      const sk = (fixture.proba as number[][]).flat();
      want.forEach((v, i) => expect(Math.abs(v - sk[i])).toBeLessThanOrEqual(1e-12));
    });
  }

  it('wrong width, NaN and a missing named column are InputErrors', () => {
    const forest = new RandomForestClassifier({ nEstimators: 2, seed: 1 }).fit(asTable([[0, 1], [1, 0], [2, 2]], ['__proto__', 'b']), [0, 1, 0]);
    expect(() => forest.predict(asMatrix([[1, 2, 3]]))).toThrow(InputError);
    expect(() => forest.predict(asMatrix([[1, null]]))).toThrow(InputError);
    expect(() => forest.predict(asTable([[1, null]], ['__proto__', 'b']))).toThrow(InputError);
    expect(() => forest.predict(asTable([[1, 2]], ['b', 'constructor']))).toThrow("column '__proto__' is missing");
    expect(() => new RandomForestClassifier({ nEstimators: 2 }).fit(asTable([[NaN, 1]], ['a', 'b']), [0])).toThrow(InputError);
  });
});

describe('XGBoost (XGBoost 1.7.4 fixtures)', () => {
  const manifest = JSON.parse(readFileSync(join(generatedFixtures, 'manifest.json'), 'utf8'));
  for (const { name } of manifest.cases as { name: string }[]) {
    it(`${name}: margins from a matrix and a Table are XGBoost's, bit for bit`, () => {
      const expected = JSON.parse(readFileSync(join(generatedFixtures, `${name}.expected.json`), 'utf8'));
      const model = loadXGBoost(readFileSync(join(generatedFixtures, `${name}.json`)));
      const rows: Cell[][] = expected.rows;
      const margin = (expected.margin as number[][]).flat();
      expectBitExact(model.predict(asMatrix(rows), { output: 'margin' }), margin, 'matrix');
      const names = model.featureNames ?? positional(model.numFeatures);
      // With names the Table may hold its columns in any order, and more of them.
      const order = model.featureNames ? names.map((_, j) => names.length - 1 - j) : names.map((_, j) => j);
      const table = Table.fromColumns([
        ...order.map((j) => [names[j], { kind: 'number' as const, values: Float64Array.from(rows, (r) => r[j] ?? NaN) }] as const),
        ...(model.featureNames ? [['row_id', { kind: 'number' as const, values: Float64Array.from(rows, (_, i) => i) }] as const] : []),
      ]);
      expectBitExact(model.predict(table, { output: 'margin' }), margin, 'table');
    });
  }

  it('names_and_types: wrong width, a missing column or an unknown `__proto__` key are InputErrors', () => {
    const model = loadXGBoost(readFileSync(join(generatedFixtures, 'names_and_types.json')));
    const n = model.numFeatures;
    expect(() => model.predict({ data: new Float64Array(n + 1), rows: 1, cols: n + 1 })).toThrow(InputError);
    expect(() => model.predict({ data: new Float64Array(5), rows: 2, cols: 3 })).toThrow(InputError);
    const names = model.featureNames!;
    expect(() => model.predict(asTable([new Array(n - 1).fill(0)], names.slice(1)))).toThrow(`no column '${names[0]}'`);
    expect(() => model.predict([JSON.parse('{"__proto__": 1}')])).toThrow(InputError);
  });

  it('encodeRows is the renamed toFloat32Rows (kept as a deprecated alias)', () => {
    expect(toFloat32Rows).toBe(encodeRows);
    const schema = { numFeatures: 2, featureNames: ['a', 'b'], categoryCodes: [null, new Map([['x', 3]])] };
    expect(Array.from(encodeRows(Table.fromRows([{ b: 'x', a: 1 }, { b: 'y', a: null }]), schema).values)).toEqual([1, 3, NaN, -1]);
  });
});

describe('k-means', () => {
  const f = JSON.parse(readFileSync(resolve(repoRoot, 'models/sklearn/fixtures/kmeans.json'), 'utf8'));
  const rows: number[][] = f.input.rows;

  it("a loaded KMeans labels a matrix and a Table as scikit-learn's predict does", () => {
    const model = sklearnEstimatorFromPython(pyValueFromJson(f.state) as PyObject) as KMeansEstimator;
    expect(Array.from(model.predict(asMatrix(rows)) as Int32Array)).toEqual(f.expected.predict);
    expect(Array.from(model.predict(asTable(rows, positional(3))) as Int32Array)).toEqual(f.expected.predict);
    expect(Array.from(predictKMeans(model.centroids, asTable(rows, positional(3))))).toEqual(f.expected.predict);
  });

  it('fitKMeans on a matrix or a Table gives the same bits as on rows', () => {
    const a = fitKMeans(rows, { k: 3, seed: 1, nInit: 2 });
    for (const x of [asMatrix(rows), asTable(rows, ['x', 'y', 'z'])]) {
      const b = fitKMeans(x, { k: 3, seed: 1, nInit: 2 });
      expect(b.centroids).toEqual(a.centroids);
      expect(b.labels).toEqual(a.labels);
      expect(b.inertia).toBe(a.inertia);
    }
  });

  it('SegmentationModel reads a Table by attribute name, in any column order', () => {
    const rng = seededRandom(11);
    const rows = Array.from({ length: 120 }, (_, i) => CUSTOMER_ATTRIBUTES.map((_, j) => (i % 13 === j ? NaN : rng.nextDouble() * (j + 1) * 10)));
    const model = SegmentationModel.fit(rows, { k: 3, seed: 0, nInit: 2 });
    const reversed = asTable(
      rows.map((r) => [...r].reverse()),
      [...CUSTOMER_ATTRIBUTES].reverse(),
    );
    expect(SegmentationModel.fit(reversed, { k: 3, seed: 0, nInit: 2 }).toJSON()).toEqual(model.toJSON());
    expect(model.predict(reversed)).toEqual(model.predict(rows));
    expect(model.embed(asMatrix(rows))).toEqual(model.embed(rows));
    expect(() => model.predict(asTable(rows, positional(CUSTOMER_ATTRIBUTES.length)))).toThrow("column 'Age' is missing");
  });

  it('wrong width, NaN and an inherited name (`constructor`) are InputErrors', () => {
    const km = new KMeansEstimator({ data: Float64Array.of(0, 0, 9, 9), rows: 2, cols: 2 }, ['constructor', 'x']);
    expect(() => km.predict(asMatrix([[1, 2, 3]]))).toThrow(InputError);
    expect(() => km.predict(asMatrix([[1, null]]))).toThrow(InputError);
    expect(() => km.predict([{ x: 1 }])).toThrow("no column 'constructor'");
    expect(() => predictKMeans(km.centroids, asTable([[1, 2, 3]], ['a', 'b', 'c']))).toThrow(InputError);
    expect(() => fitKMeans(asTable([[1, NaN]], ['a', 'b']), { k: 1 })).toThrow(InputError);
  });
});

describe('preprocessors and pipelines (scikit-learn 1.2.1 fixtures)', () => {
  const read = (name: string) => JSON.parse(readFileSync(resolve(repoRoot, `models/sklearn/fixtures/${name}.json`), 'utf8'));

  const all = ['standard_scaler', 'min_max_scaler', 'pca', 'simple_imputer_mean', 'power_transformer', 'pipeline_segmentation', 'one_hot_encoder', 'one_hot_encoder_float', 'ordinal_encoder'];
  for (const name of all) {
    it(`${name}: a matrix and a Table give scikit-learn's output, as rows do`, () => {
      const f = read(name);
      const model = sklearnEstimatorFromPython(pyValueFromJson(f.state) as PyObject) as Estimator;
      const rows: Cell[][] = f.input.rows;
      const names: string[] = f.input.columns ?? positional(rows[0].length);
      const run = (x: Parameters<NonNullable<Estimator['transform']>>[0]) => (model.predict ? Array.from(model.predict(x) as Int32Array) : Array.from(model.transform!(x).data));
      const want = f.expected.predict ?? (f.expected.transform as number[][]).flat();
      const viaRows = run(rows);
      // Encoders' text columns have no numeric matrix; their Table keeps the text.
      const numeric = rows.every((r) => r.every((v) => v === null || typeof v === 'number'));
      if (numeric) expect(run(asMatrix(rows))).toEqual(viaRows);
      expect(run(numeric ? asTable(rows, names) : Table.fromRows(rows, names))).toEqual(viaRows);
      if (f.expected.predict) expect(viaRows).toEqual(want);
      else viaRows.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want[i]))));
    });
  }

  it('StandardScaler, PCA and SimpleImputer fit and transform a Table as they do rows', () => {
    const rng = seededRandom(9);
    const rows = Array.from({ length: 50 }, () => [rng.nextDouble() * 100, rng.nextDouble() - 0.5, rng.nextInt(7)]);
    const table = asTable(rows, ['spend', 'delta', 'days']);
    expect(new StandardScaler().fit(table).transform(table)).toEqual(new StandardScaler().fit(rows).transform(rows));
    expect(new PCA({ nComponents: 2 }).fit(table).transform(asMatrix(rows))).toEqual(new PCA({ nComponents: 2 }).fit(rows).transform(rows));
    const holes = rows.map((r, i) => (i % 7 === 0 ? [r[0], NaN, r[2]] : r));
    expect(new SimpleImputer().fit(asTable(holes, ['a', 'b', 'c'])).transform(holes)).toEqual(new SimpleImputer().fit(holes).transform(holes));
    expect(() => new StandardScaler().fit(table).transform(asTable([[1, 2]], ['a', 'b']))).toThrow(InputError);
    expect(() => new PCA({ nComponents: 1 }).fit(asTable([[1, NaN], [2, 3]], ['a', 'b']))).toThrow(InputError);
  });
});

describe('isTable', () => {
  it('recognises a Table by its mark, not a look-alike or a Map', async () => {
    const { isTable, Table } = await import('../../src/index.js');
    expect(isTable(Table.fromRows([{ a: 1 }]))).toBe(true);
    expect(isTable({ columnNames: ['a'], numRows: 1, column: () => null })).toBe(false);
    expect(isTable(new Map())).toBe(false);
    expect(isTable(null)).toBe(false);
    expect(isTable(JSON.parse('{"__proto__": {"x": 1}}'))).toBe(false);
  });
});
