// XGBoost 1.7.4 models pickled by pickle (protocols 0, 2, 3, 4, 5) and joblib (plain and
// compress=3), and a Booster pickled the 1.0-1.6 way; expectations from Python
// (models/pickle/generate.py). Plus the seed's own xgb_model_category.pkl.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, loadJoblib, loadPickle, Table, XGBoostEstimator } from '../../src/index.js';
import { expectBitExact, expectWithinUlps } from '../support/float32.js';
import { repoRoot, sharedData } from '../support/paths.js';

const dir = join(repoRoot, 'models/pickle/fixtures');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: { name: string; files: string[] }[] };

interface Expected {
  kind: 'classifier' | 'regressor' | 'booster';
  rows: (number | null)[][];
  margin: number[];
  value?: number[];
  predict?: number[];
  proba?: number[];
  classes?: number[];
}

function load(file: string) {
  const bytes = readFileSync(join(dir, file));
  return (file.endsWith('.joblib') ? loadJoblib(bytes) : loadPickle(bytes)) as XGBoostEstimator;
}

describe('XGBoost pickles', () => {
  it('has every protocol and joblib flavour for the sklearn wrappers and the Booster', () => {
    const files = manifest.cases.flatMap((c) => c.files);
    for (const suffix of ['.p0.pkl', '.p2.pkl', '.p3.pkl', '.p4.pkl', '.p5.pkl', '.joblib', '.z3.joblib']) {
      expect(files.filter((f) => f.endsWith(suffix)).length, suffix).toBeGreaterThanOrEqual(4);
    }
  });

  for (const { name, files } of manifest.cases) {
    const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
    for (const file of files) {
      it(`${file}: margins bit-exact, outputs as Python`, () => {
        const est = load(file);
        expect(est).toBeInstanceOf(XGBoostEstimator);
        expectBitExact(est.predictMargin(expected.rows), expected.margin, `${file} margin`);
        if (expected.kind === 'booster') {
          expect(est.estimatorType).toBe('regressor');
          expectWithinUlps(est.predict(expected.rows) as Float64Array, expected.value!, 2, `${file} value`);
        } else if (expected.kind === 'regressor') {
          expect(est.estimatorType).toBe('regressor');
          expectWithinUlps(est.predict(expected.rows) as Float64Array, expected.predict!, 2, `${file} predict`);
        } else {
          expect(est.estimatorType).toBe('classifier');
          expect(est.classes).toEqual(expected.classes);
          expectWithinUlps(est.predictProba(expected.rows).data, expected.proba!, 2, `${file} proba`);
          expect(Array.from(est.predict(expected.rows) as Int32Array)).toEqual(expected.predict);
        }
      });
    }
  }

  it('reads a Table as XGBoostModel does: by the model\'s names, by names given later, else exactly numFeatures columns by position', () => {
    const expected = JSON.parse(readFileSync(join(dir, 'xgb_classifier_multi.expected.json'), 'utf8')) as Expected;
    const est = load('xgb_classifier_multi.p4.pkl');
    const n = est.numFeaturesIn;
    const names = Array.from({ length: n }, (_, f) => `x${f}`);
    const unnamed = est.model.featureNames === null ? est : null;
    const named = est.withFeatureNames(names);
    const byPosition = Table.fromRows(expected.rows, names);
    const shuffled = Table.fromRows(expected.rows.map((row) => [...row].reverse().concat([7])), [...names].reverse().concat(['extra']));
    expectBitExact(named.predictMargin(shuffled), expected.margin, 'names given later, columns reversed plus one');
    expectBitExact(named.predictMargin(expected.rows.map((row) => Object.fromEntries(names.map((name, f) => [name, row[f]])))), expected.margin, 'named rows');
    expect(() => named.predictMargin([{ ...Object.fromEntries(names.map((name) => [name, 1])), bogus: 1 }])).toThrow(/row 1 has unknown feature 'bogus'/);
    expect(() => named.predictMargin(Table.fromRows([[1]], ['x0']))).toThrow(InputError);
    if (unnamed) {
      expectBitExact(unnamed.predictMargin(byPosition), expected.margin, 'a Table by position');
      expect(() => unnamed.predictMargin(shuffled)).toThrow(InputError);
    }
  });

  it('round-trips through toJSON / fromJSON with identical margins', () => {
    const expected = JSON.parse(readFileSync(join(dir, 'xgb_classifier_multi.expected.json'), 'utf8')) as Expected;
    const est = load('xgb_classifier_multi.p4.pkl');
    const again = XGBoostEstimator.fromJSON(JSON.parse(JSON.stringify(est)));
    expectBitExact(again.predictMargin(expected.rows), expected.margin, 'round-trip margin');
    expect(again.classes).toEqual(est.classes);
  });
});

const seedPickle = join(sharedData, 'category-recommender/xgb_model_category.pkl');
describe.skipIf(!existsSync(seedPickle))("the seed's xgb_model_category.pkl", () => {
  it("gives Python's documented probabilities for (35, 30, 0, Delhi)", () => {
    const est = loadPickle(readFileSync(seedPickle)) as XGBoostEstimator;
    expect(est.estimatorType).toBe('classifier');
    expect(est.classes).toEqual([0, 1, 2, 3]);
    const proba = est.predictProba([[35, 30, 0, 0, 1, 0, 0]]);
    expect(proba.cols).toBe(4);
    // Python prints these rounded to 8 digits; each is within half a unit of the 8th digit.
    const python = [0.06187267, 0.09853294, 0.06188915, 0.77770525];
    python.forEach((p, k) => expect(Math.abs(proba.data[k] - p)).toBeLessThanOrEqual(5e-9));
    // And the same model's JSON export scores to the same float32 bits.
    const fromJson = JSON.parse(readFileSync(join(sharedData, 'category-recommender/xgb_model_category.json'), 'utf8'));
    expect(est.model.numFeatures).toBe(fromJson.learner.learner_model_param.num_feature * 1);
  });
});
