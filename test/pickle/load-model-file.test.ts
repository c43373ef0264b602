// loadModelFile from retail-ml/node: every file kind the issue lists, and MLflow folders.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, ModelFormatError, UnsupportedModelError, XGBoostEstimator } from '../../src/index.js';
import { loadModelFile } from '../../src/node/index.js';
import { expectBitExact, expectWithinUlps } from '../support/float32.js';
import { repoRoot } from '../support/paths.js';

const fixtures = join(repoRoot, 'models/pickle/fixtures');
const legacy = join(repoRoot, 'models/xgboost/fixtures-legacy');
const expected = JSON.parse(readFileSync(join(fixtures, 'xgb_classifier_binary.expected.json'), 'utf8'));
const names = ['age', 'last_login_days', 'orders', 'basket', 'discount'];

describe('loadModelFile', () => {
  it.each(['xgb_classifier_binary.p3.pkl', 'xgb_classifier_binary.joblib', 'xgb_classifier_binary.z3.joblib'])('%s', (file) => {
    const est = loadModelFile(join(fixtures, file)) as XGBoostEstimator;
    expectWithinUlps(est.predictProba!(expected.rows).data, expected.proba, 2, file);
  });

  it('reads a joblib file saved under a .pkl name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retail-ml-'));
    cpSync(join(fixtures, 'xgb_classifier_binary.z3.joblib'), join(dir, 'model.pkl'));
    expect(loadModelFile(join(dir, 'model.pkl')).estimatorType).toBe('classifier');
  });

  it.each(['.model', '.bin'])('XGBoost legacy binary %s loads as a Booster', (ext) => {
    const want = JSON.parse(readFileSync(join(legacy, 'multi_softprob.expected.json'), 'utf8'));
    const est = loadModelFile(join(legacy, `multi_softprob${ext}`)) as XGBoostEstimator;
    expect(est.pythonClass).toBe('xgboost.core.Booster');
    expectBitExact(est.predictMargin(want.rows), want.margin, ext);
  });

  it.each(['json', 'ubj'])('XGBoost .%s', (ext) => {
    const base = join(repoRoot, 'models/xgboost/fixtures', 'base_score_binary_logistic_0p02');
    const want = JSON.parse(readFileSync(`${base}.expected.json`, 'utf8'));
    const est = loadModelFile(`${base}.${ext}`) as XGBoostEstimator;
    expect(est.estimatorType).toBe('regressor');
    expectBitExact(est.predictMargin(want.rows), want.margin.flat(), ext);
  });

  it('refuses unknown extensions and missing files with a typed error', () => {
    expect(() => loadModelFile(join(fixtures, 'manifest.json.txt'))).toThrow(InputError);
    expect(() => loadModelFile(join(fixtures, 'nope.pkl'))).toThrow(/does not exist/);
  });
});

describe('MLflow model folders', () => {
  it.each(['mlflow-xgboost', 'mlflow-sklearn'])('%s: the flavour loads, with the signature as input names', (folder) => {
    const est = loadModelFile(join(fixtures, folder)) as XGBoostEstimator;
    expect(est.estimatorType).toBe('classifier');
    expect(est.featureNamesIn).toEqual(names);
    expectWithinUlps(est.predictProba(expected.rows).data, expected.proba, 2, folder);
    const named = expected.rows.map((row: (number | null)[]) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
    expectBitExact(est.predictMargin(named), expected.margin, `${folder} by name`);
  });

  it('refuses a data file outside the folder, and unknown flavours, by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retail-ml-'));
    writeFileSync(join(dir, 'MLmodel'), 'flavors:\n  xgboost:\n    data: ../../etc/passwd\n    model_class: xgboost.sklearn.XGBClassifier\n');
    expect(() => loadModelFile(dir)).toThrow(ModelFormatError);
    writeFileSync(join(dir, 'MLmodel'), 'flavors:\n  pytorch:\n    model_data: data\n  python_function:\n    loader_module: mlflow.pytorch\n');
    expect(() => loadModelFile(dir)).toThrow(UnsupportedModelError);
    expect(() => loadModelFile(dir)).toThrow(/mlflow\.pytorch/);
    writeFileSync(join(dir, 'MLmodel'), 'a: *x\n');
    expect(() => loadModelFile(dir)).toThrow(ModelFormatError);
  });
});

describe('XGBoost files by name', () => {
  it('reads pretty-printed JSON (white space after the brace) as JSON', () => {
    const base = join(repoRoot, 'models/xgboost/fixtures', 'base_score_binary_logistic_0p02');
    const dir = mkdtempSync(join(tmpdir(), 'retail-ml-'));
    writeFileSync(join(dir, 'pretty.json'), `\n${JSON.stringify(JSON.parse(readFileSync(`${base}.json`, 'utf8').replace(/\bNaN\b/g, 'null')), null, 2)}`);
    const want = JSON.parse(readFileSync(`${base}.expected.json`, 'utf8'));
    expectBitExact((loadModelFile(join(dir, 'pretty.json')) as XGBoostEstimator).predictMargin(want.rows), want.margin.flat(), 'pretty');
  });
});
