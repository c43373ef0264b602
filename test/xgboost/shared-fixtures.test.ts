// Real models saved by XGBoost 1.4, 1.6, 1.7.4, 2.0.3, 3.1.1 and 3.4.1 with XGBoost's own
// predictions, read in place from ../shared (the jpmml ones are AGPL data: never copied).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadXGBoost, loadXGBoostDump, parseTolerantJson, type XGBoostModel } from '../../src/index.js';
import { expectBitExact, expectWithinUlps } from '../support/float32.js';
import { hasShared, xgbModels } from '../support/paths.js';
import { readPlainCsv } from '../support/simple-csv.js';

describe.skipIf(!hasShared)('XGBoost 1.7.4 models (JSON, UBJ, dumps)', () => {
  const dir = join(xgbModels, 'xgb-1.7.4-small');
  const names = hasShared ? readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', '')) : [];
  it.each(names)('%s', (name) => {
    const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8'));
    const rows = expected.input_rows as (number | null)[][];
    for (const ext of ['json', 'ubj']) {
      const model = loadXGBoost(readFileSync(join(dir, `${name}.${ext}`)));
      expectBitExact(model.predict(rows, { output: 'margin' }), expected.margin.flat(), `${ext} margin`);
      expectWithinUlps(model.predict(rows), expected.predict.flat(), 2, `${ext} value`);
      expectBitExact(model.predict(rows, { output: 'leaf' }), expected.pred_leaf.flat(), `${ext} leaf`);
    }
    if (!name.startsWith('dart')) {
      const saved = parseTolerantJson(readFileSync(join(dir, `${name}.json`), 'utf8')) as { learner: { learner_model_param: { base_score: string; num_class: string }; objective: { name: string } } };
      const dumped = loadXGBoostDump(readFileSync(join(dir, `${name}.dump.json`), 'utf8'), {
        objective: saved.learner.objective.name,
        baseScore: Number(saved.learner.learner_model_param.base_score),
        numClass: Number(saved.learner.learner_model_param.num_class),
        featureNames: expected.input_columns,
      });
      expectBitExact(dumped.predict(rows, { output: 'margin' }), expected.margin.flat(), 'dump margin');
    }
  });
});

/** Maps a jpmml input CSV to model rows: categorical columns as names, TRUE/FALSE as 1/0, NA missing. */
function jpmmlRows(model: XGBoostModel, input: { header: string[]; rows: string[][] }): (number | string | null)[][] {
  const names = model.featureNames ?? input.header.slice(0, model.numFeatures);
  const columns = names.map((name) => input.header.indexOf(name));
  expect(columns).not.toContain(-1);
  return input.rows.map((r) =>
    columns.map((c, f) => {
      const text = r[c];
      if (text === 'NA') return null;
      if (model.featureTypes?.[f] === 'c') return text;
      if (text === 'TRUE' || text === 'FALSE') return text === 'TRUE' ? 1 : 0;
      return Number(text);
    }),
  );
}

/** XGBoost 2.x stored no category names; its codes were pandas' category codes, i.e. the sorted values. */
function pandasCategories(model: XGBoostModel, input: { header: string[]; rows: string[][] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  model.featureTypes?.forEach((type, f) => {
    if (type !== 'c') return;
    const name = model.featureNames![f];
    const c = input.header.indexOf(name);
    const values = [...new Set(input.rows.map((r) => r[c]).filter((v) => v !== 'NA'))];
    const numeric = values.every((v) => !Number.isNaN(Number(v)));
    out[name] = numeric ? values.sort((a, b) => Number(a) - Number(b)) : values.sort();
  });
  return out;
}

const datasetOf = (model: string) => model.replace(/^(BinomialClassification|LinearRegression|LogisticRegression|MultinomialClassification|PoissonRegression|AFT|MultiDecisionTree)/, '');

describe.skipIf(!hasShared)('jpmml-xgboost models from XGBoost 1.6.0, 2.0.3, 3.1.1 and 3.4.1', () => {
  const cases: [string, string, string][] = [];
  for (const version of ['xgb-1.6.0', 'xgb-2.0.3', 'xgb-3.1.1', 'xgb-3.4.1']) {
    if (!hasShared) break;
    for (const file of readdirSync(join(xgbModels, version))) {
      const match = /^(.+?)\.(json|ubj)$/.exec(file);
      if (!match || file.includes('expected')) continue;
      // 1.6.0's Audit, Auto and Visit models were trained on one-hot columns without a feature map.
      if (version === 'xgb-1.6.0' && !match[1].includes('Iris')) continue;
      cases.push([version, match[1], match[2]]);
    }
  }
  it.each(cases)('%s %s.%s: values within 2 ulp of XGBoost, also for iteration ranges', (version, name, ext) => {
    const dir = join(xgbModels, version);
    const bytes = readFileSync(join(dir, `${name}.${ext}`));
    const input = readPlainCsv(join(dir, `input_${datasetOf(name)}.csv`));
    let model = loadXGBoost(bytes, { useBestIteration: true });
    if (version === 'xgb-2.0.3') model = loadXGBoost(bytes, { useBestIteration: true, categories: pandasCategories(model, input) });
    if (version >= 'xgb-3.1') expect(model.categories.some((c) => c !== null) || !model.featureTypes?.includes('c')).toBe(true);
    const rows = jpmmlRows(model, input);
    for (const suffix of ['', '@31', '@11']) {
      const path = join(dir, `${name}${suffix}.expected.csv`);
      if (!existsSync(path)) continue;
      const expected = readPlainCsv(path);
      const iterationRange = suffix ? ([0, Number(suffix.slice(1))] as [number, number]) : undefined;
      const predicted = model.predict(rows, { iterationRange });
      const probability = expected.header.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith('probability('));
      const columns = probability.length > 0 ? probability : expected.header.map((h, i) => [h, i] as const).filter(([h]) => h.startsWith('_target'));
      const width = predicted.length / rows.length;
      const got: number[] = [];
      const want: number[] = [];
      for (let r = 0; r < rows.length; r++) {
        columns.forEach(([, c], k) => {
          // Binary models output p(1); the CSV also lists p(0) = 1 - p(1), computed in float32.
          got.push(probability.length === 2 && width === 1 ? (k === 0 ? Math.fround(1 - predicted[r]) : predicted[r]) : predicted[r * width + k]);
          want.push(Number(expected.rows[r][c]));
        });
      }
      expectWithinUlps(Float32Array.from(got), want, 2, `${suffix || 'all rounds'}`);
    }
  });
});

describe.skipIf(!hasShared)('treelite toy: XGBoost 1.4 JSON with boolean default_left and NaN split conditions', () => {
  it('matches the predictions shipped with it', () => {
    const dir = join(xgbModels, 'treelite-xgb_toy_categorical-1.4.0');
    const model = loadXGBoost(readFileSync(join(dir, 'xgb_toy_categorical_model.json'), 'utf8'));
    const rows = readFileSync(join(dir, 'xgb_toy_categorical.test'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const row: (number | null)[] = new Array(model.numFeatures).fill(null);
        for (const pair of line.trim().split(/\s+/).slice(1)) {
          const [index, value] = pair.split(':');
          row[Number(index)] = Number(value);
        }
        return row;
      });
    const expected = readFileSync(join(dir, 'xgb_toy_categorical.test.pred'), 'utf8').trim().split('\n').map(Number);
    expectWithinUlps(model.predict(rows), expected, 2, 'value');
  });
});

describe.skipIf(!hasShared)('the real category-recommender model', () => {
  const model = () => loadXGBoost(readFileSync(join(xgbModels, '../category-recommender/xgb_model_category.json')));
  it('has the documented features and four classes', () => {
    const m = model();
    expect(m.featureNames).toEqual(['age', 'last_login_days', 'prefers_discount', 'location_Bangalore', 'location_Delhi', 'location_Hyderabad', 'location_Mumbai']);
    expect(m.numOutputs).toBe(4);
    expect(m.objective).toBe('multi:softprob');
  });
  it('ranks Home, Clothing, Electronics for a 35-year-old in Delhi, 30 days since login, no discount (XGBoost: p(Home) = 0.7777)', () => {
    const classes = ['Books', 'Clothing', 'Electronics', 'Home'];
    const p = model().predict([{ age: 35, last_login_days: 30, prefers_discount: 0, location_Bangalore: 0, location_Delhi: 1, location_Hyderabad: 0, location_Mumbai: 0 }]);
    const ranked = [...p].map((probability, k) => ({ label: classes[k], probability })).sort((a, b) => b.probability - a.probability);
    expect(ranked.slice(0, 3).map((r) => r.label)).toEqual(['Home', 'Clothing', 'Electronics']);
    expect(ranked[0].probability).toBeCloseTo(0.7777, 4);
  });
});
