// Any estimator through the batch scorer (scoreFile and `retail-ml score`): pickled
// scikit-learn forests, pipelines and k-means, the library's JSON models, and a pickled
// XGBClassifier. Expected values are scikit-learn 1.2.1's and XGBoost 1.7.4's, committed by
// models/sklearn/export_state.py, models/forest/make_fixtures.py and models/pickle/generate.py.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/node/load-model-file.js';
import { loadScoreModel } from '../../src/node/load-score-model.js';
import { scoreFile } from '../../src/node/score-file.js';
import { cli } from '../support/cli.js';
import { expectWithinUlps } from '../support/float32.js';
import { repoRoot } from '../support/paths.js';
import { readScoreOutput } from '../support/read-score-output.js';

const sklearn = (name: string) => JSON.parse(readFileSync(join(repoRoot, 'models/sklearn/fixtures', `${name}.json`), 'utf8'));
const pickle = (name: string) => join(repoRoot, 'models/sklearn/pickles', `${name}.pkl`);
// The fixtures hold a few dozen rows; cycled to this many, scored in blocks of 97, they cross many blocks.
const REPEAT = 40;
let dir: string;

/** A CSV of the fixture's rows cycled REPEAT times, with a customer_id column at `idAt`, and the rows' fixture indices. */
function writeInput(file: string, header: readonly string[], rows: readonly (readonly unknown[])[], idAt: number): string {
  const lines = [[...header.slice(0, idAt), 'customer_id', ...header.slice(idAt)].join(',')];
  for (let i = 0; i < rows.length * REPEAT; i++) {
    const cells = rows[i % rows.length].map((v) => (v === null ? '' : String(v)));
    lines.push([...cells.slice(0, idAt), `c${i + 1}`, ...cells.slice(idAt)].join(','));
  }
  const path = join(dir, file);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}
function closeTo(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}
function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-score-est-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scoreFile with estimators', () => {
  it('a Pipeline pickle (ColumnTransformer by name → forest): proba_<class> per class as predict writes them, then labels with method predict, then Parquet', async () => {
    const f = sklearn('pipeline_forest');
    const columns = [...(f.input.columns as string[])].reverse(); // matched by name, so any order works
    const rows = (f.input.rows as unknown[][]).map((r) => columns.map((c) => r[(f.input.columns as string[]).indexOf(c)]));
    const input = writeInput('pipeline.csv', columns, rows, 2);
    const model = loadModelFile(pickle('pipeline_forest'));
    const n = rows.length * REPEAT;

    const summary = await scoreFile(model, input, join(dir, 'pipeline.csv.out'), { ids: ['customer_id'], blockRows: 97, outputFormat: 'csv' });
    expect(summary.rows).toBe(n);
    const [header, ...lines] = readCsv(join(dir, 'pipeline.csv.out'));
    expect(header).toEqual(['customer_id', ...(f.expected.classes as string[]).map((c) => `proba_${c}`)]);
    expect(lines.length).toBe(n);
    lines.forEach((line, i) => {
      expect(line[0]).toBe(`c${i + 1}`);
      line.slice(1).forEach((v, k) => closeTo(Number(v), f.expected.predict_proba[i % rows.length][k]));
    });

    await scoreFile(model, input, join(dir, 'labels.jsonl'), { ids: ['customer_id'], method: 'predict', blockRows: 97 });
    const labels = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(labels.slice(0, 2)).toEqual([{ customer_id: 'c1', predict: f.expected.predict[0] }, { customer_id: 'c2', predict: f.expected.predict[1] }]);
    expect(labels.map((l) => l.predict)).toEqual(Array.from({ length: n }, (_, i) => f.expected.predict[i % rows.length]));

    await scoreFile(model, input, join(dir, 'pipeline.parquet'), { ids: ['customer_id'], blockRows: 97 });
    const back = await readScoreOutput(join(dir, 'pipeline.parquet'));
    expect(back.names).toEqual(header);
    back.rows.forEach((row, i) => {
      expect(row[0]).toBe(`c${i + 1}`);
      // Float64 columns: the very doubles the CSV printed.
      row.slice(1).forEach((v, k) => expect(v).toBe(Number(lines[i][k + 1])));
    });
  });

  it('a RandomForestClassifier pickle without input names takes the first columns by position; Arrow output; a bad row is named in the whole file', async () => {
    const f = sklearn('random_forest_classifier');
    const input = writeInput('iris.csv', ['a', 'b', 'c', 'd'], f.input.rows, 4);
    const model = loadModelFile(pickle('random_forest_classifier'));
    await scoreFile(model, input, join(dir, 'iris.arrow'), { ids: ['customer_id'], blockRows: 97 });
    const back = await readScoreOutput(join(dir, 'iris.arrow'));
    expect(back.names).toEqual(['customer_id', 'proba_0', 'proba_1', 'proba_2']);
    expect(back.rows.length).toBe(f.input.rows.length * REPEAT);
    back.rows.forEach((row, i) => row.slice(1).forEach((v, k) => closeTo(v as number, f.expected.predict_proba[i % f.input.rows.length][k])));

    const lines = readFileSync(input, 'utf8').split('\n');
    lines[500] = lines[500].replace(/^[^,]*/, 'oops'); // row 499 of the file (line 1 is the header)
    writeFileSync(join(dir, 'iris-bad.csv'), lines.join('\n'));
    await expect(scoreFile(model, join(dir, 'iris-bad.csv'), join(dir, 'bad.csv'), { blockRows: 97 })).rejects.toThrow(/^row 500, column 'a': the string "oops" is not a number$/);
    const summary = await scoreFile(model, join(dir, 'iris-bad.csv'), join(dir, 'bad.csv'), { ids: ['customer_id'], blockRows: 97, skipBadRows: join(dir, 'rejects.csv') });
    expect([summary.rows, summary.rejected]).toEqual([f.input.rows.length * REPEAT - 1, 1]);
    expect(readFileSync(join(dir, 'rejects.csv'), 'utf8')).toBe(`row,reason,a,b,c,d,customer_id\n500,"column 'a': the string ""oops"" is not a number",${lines[500]}\n`);
    const scored = readCsv(join(dir, 'bad.csv'));
    expect(scored.length).toBe(f.input.rows.length * REPEAT); // header + every row but one
    expect(scored[499][0]).toBe('c499');
    expect(scored[500][0]).toBe('c501');
  });

  it('k-means (pickle, and its JSON) writes cluster indices: an int32 column in Parquet', async () => {
    const f = sklearn('kmeans');
    const input = writeInput('points.csv', ['x', 'y', 'z'], f.input.rows, 3);
    const km = loadModelFile(pickle('kmeans'));
    writeFileSync(join(dir, 'kmeans.json'), JSON.stringify(km.toJSON()));
    const expected = Array.from({ length: f.input.rows.length * REPEAT }, (_, i) => f.expected.predict[i % f.input.rows.length]);
    for (const model of [km, loadScoreModel(join(dir, 'kmeans.json'))]) {
      await scoreFile(model, input, join(dir, 'segments.parquet'), { ids: ['customer_id'], blockRows: 97 });
      const back = await readScoreOutput(join(dir, 'segments.parquet'));
      expect(back.names).toEqual(['customer_id', 'predict']);
      expect(back.rows.map((r) => r[1])).toEqual(expected);
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, 'segments.parquet')));
      expect(parquetSchema(meta).children.map((c) => c.element.type)).toEqual(['BYTE_ARRAY', 'INT32']);
    }
  });

  it('a RandomForestRegressor pickle writes its predictions', async () => {
    const f = sklearn('random_forest_regressor');
    const header = (f.input.rows[0] as unknown[]).map((_, j) => `x${j}`);
    const input = writeInput('diabetes.csv', header, f.input.rows, 10);
    await scoreFile(loadModelFile(pickle('random_forest_regressor')), input, join(dir, 'reg.csv'), { ids: ['customer_id'] });
    const [head, ...lines] = readCsv(join(dir, 'reg.csv'));
    expect(head).toEqual(['customer_id', 'predict']);
    lines.forEach((l, i) => closeTo(Number(l[1]), f.expected.predict[i % f.input.rows.length]));
  }, 30_000);

  it('a pickled XGBClassifier scores as predict_proba, float32 values as XGBoost 1.7.4 gives them', async () => {
    const e = JSON.parse(readFileSync(join(repoRoot, 'models/pickle/fixtures/xgb_classifier_binary.expected.json'), 'utf8'));
    const input = writeInput('xgb.csv', ['age', 'last_login_days', 'orders', 'basket', 'discount'], e.rows, 5);
    await scoreFile(loadModelFile(join(repoRoot, 'models/pickle/fixtures/xgb_classifier_binary.p2.pkl')), input, join(dir, 'xgb.arrow'), { ids: ['customer_id'] });
    const back = await readScoreOutput(join(dir, 'xgb.arrow'));
    expect(back.names).toEqual(['customer_id', 'proba_0', 'proba_1']);
    const got = back.rows.slice(0, e.rows.length).flatMap((r) => [r[1] as number, r[2] as number]);
    expectWithinUlps(Float64Array.from(got), e.proba, 2, 'xgb pickle');
  });
});

describe('retail-ml score with estimators', () => {
  it('forest train’s JSON (sklearn-trees, here exported from scikit-learn) scores through the CLI as scikit-learn predict_proba', async () => {
    const f = JSON.parse(readFileSync(join(repoRoot, 'models/forest/fixtures/rf_iris.json'), 'utf8'));
    writeFileSync(join(dir, 'rf.json'), JSON.stringify(f.model));
    const input = writeInput('rf-iris.csv', ['a', 'b', 'c', 'd'], f.X, 4);
    const out = join(dir, 'rf-out.csv');
    const run = await cli(['score', '--model', join(dir, 'rf.json'), '--input', input, '--output', out, '--id', 'customer_id', '--threads', '2']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`retail-ml score: note: --threads applies to XGBoost models; this classifier scores on the main thread\n${run.stderr.split('\n')[1]}\n`);
    const [head, ...lines] = readCsv(out);
    expect(head).toEqual(['customer_id', 'proba_0', 'proba_1', 'proba_2']);
    expect(lines.length).toBe(f.X.length * REPEAT);
    lines.forEach((l, i) => l.slice(1).forEach((v, k) => closeTo(Number(v), f.proba[i % f.X.length][k])));
  });

  it('a Pipeline pickle and its JSON score the same bytes; usage mistakes are clear', async () => {
    const f = sklearn('pipeline_forest');
    const input = writeInput('pipe-cli.csv', f.input.columns, f.input.rows, 0);
    writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(loadModelFile(pickle('pipeline_forest')).toJSON()));
    const a = await cli(['score', '--model', pickle('pipeline_forest'), '--input', input, '--output', join(dir, 'a.csv'), '--id', 'customer_id', '--method', 'predict']);
    const b = await cli(['score', '--model', join(dir, 'pipeline.json'), '--input', input, '--output', join(dir, 'b.csv'), '--id', 'customer_id', '--method', 'predict']);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe(readFileSync(join(dir, 'b.csv'), 'utf8'));
    expect(readCsv(join(dir, 'a.csv')).slice(1, 7).map((l) => l[1])).toEqual(f.expected.predict);
    writeFileSync(join(dir, 'no-rows.csv'), `customer_id,${f.input.columns.join(',')}\n`);
    await scoreFile(loadModelFile(pickle('pipeline_forest')), join(dir, 'no-rows.csv'), join(dir, 'no-rows.out.csv'), { ids: ['customer_id'] });
    expect(readFileSync(join(dir, 'no-rows.out.csv'), 'utf8')).toBe('customer_id,proba_Books,proba_Clothing,proba_Home\n');
    const margin = await cli(['score', '--model', pickle('pipeline_forest'), '--input', input, '--output', join(dir, 'c.csv'), '--output-kind', 'margin']);
    expect([margin.code, margin.stderr]).toEqual([1, "retail-ml score: output 'margin' needs an XGBoost model file (this model is a classifier)\n"]);
    const method = await cli(['score', '--model', pickle('kmeans'), '--input', input, '--output', join(dir, 'c.csv'), '--method', 'predict_proba']);
    expect([method.code, method.stderr]).toEqual([1, 'retail-ml score: method predict_proba needs a classifier; this model is a clusterer\n']);
  });
});
