// Explanations against XGBoost 1.7.4's own pred_contribs, approx_contribs and
// pred_interactions, for every case in the fixture set (every objective, DART,
// categorical splits, NaNs, multi-class, multi-target, boosted forests, gblinear) and
// the shared 1.7.4 models. Tolerance: 1e-5, relative to the value's size above 1.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainXGBoost, loadXGBoost } from '../../src/formats/xgboost/index.js';
import { InputError } from '../../src/errors.js';
import { buildEnsemble, treeShap } from '../../src/trees/index.js';

const FIXTURES = 'models/xgboost/fixtures';
const SHARED = '../shared/data/xgboost-models/xgb-1.7.4-small';

function expectClose(got: Float32Array, want: unknown, what: string): void {
  const flat = (want as unknown[]).flat(4) as number[];
  expect(got.length, `${what}: length`).toBe(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const tolerance = 1e-5 * Math.max(1, Math.abs(flat[i]));
    if (!(Math.abs(got[i] - flat[i]) <= tolerance)) expect.fail(`${what}[${i}]: got ${got[i]}, XGBoost ${flat[i]}`);
  }
}

const cases = readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', ''));

describe('SHAP parity with XGBoost 1.7.4 (models/xgboost/fixtures)', () => {
  it('covers every objective of the fixture set', () => {
    const objectives = new Set(cases.map((name) => JSON.parse(readFileSync(`${FIXTURES}/${name}.expected.json`, 'utf8')).objective));
    expect(objectives.size).toBeGreaterThanOrEqual(18);
  });
  it.each(cases)('%s', (name) => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}/${name}.expected.json`, 'utf8'));
    const model = loadXGBoost(readFileSync(`${FIXTURES}/${name}.ubj`));
    const rows: (number | null)[][] = expected.rows;
    expectClose(explainXGBoost(model, rows, { output: 'contrib' }), expected.contribs, 'contribs');
    if (expected.approx_contribs) expectClose(explainXGBoost(model, rows, { output: 'contrib-approx' }), expected.approx_contribs, 'approx_contribs');
    if (expected.interactions) expectClose(explainXGBoost(model, rows.slice(0, 3), { output: 'interactions' }), expected.interactions, 'interactions');
  });
});

describe.skipIf(!existsSync(SHARED))('SHAP parity with XGBoost 1.7.4 (shared models, categorical with missing values)', () => {
  const shared = existsSync(SHARED) ? readdirSync(SHARED).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', '')) : [];
  it.each(shared)('%s', (name) => {
    const expected = JSON.parse(readFileSync(`${SHARED}/${name}.expected.json`, 'utf8'));
    const model = loadXGBoost(readFileSync(`${SHARED}/${name}.json`));
    const rows: (number | null)[][] = expected.input_rows;
    expectClose(explainXGBoost(model, rows, { output: 'contrib' }), expected.pred_contribs, 'pred_contribs');
    expectClose(explainXGBoost(model, rows, { output: 'contrib-approx' }), expected.pred_contribs_approx, 'pred_contribs_approx');
    expectClose(explainXGBoost(model, rows.slice(0, 1), { output: 'interactions' }), expected.pred_interactions_row0, 'pred_interactions_row0');
  });
});

describe('explanation properties', () => {
  it('each row\'s contributions sum to its margin, per output', () => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}/cat_multi_softprob_partition.expected.json`, 'utf8'));
    const model = loadXGBoost(readFileSync(`${FIXTURES}/cat_multi_softprob_partition.json`));
    const contribs = explainXGBoost(model, expected.rows, { output: 'contrib' });
    const margins = model.predict(expected.rows, { output: 'margin' });
    const width = model.numFeatures + 1;
    for (let i = 0; i < margins.length; i++) {
      let sum = 0;
      for (let k = 0; k < width; k++) sum += contribs[i * width + k];
      expect(Math.abs(sum - margins[i])).toBeLessThan(1e-4);
    }
  });

  it('interaction rows sum to the SHAP values', () => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}/nan_heavy_binary_logistic.expected.json`, 'utf8'));
    const model = loadXGBoost(readFileSync(`${FIXTURES}/nan_heavy_binary_logistic.json`));
    const rows = expected.rows.slice(0, 4);
    const phi = explainXGBoost(model, rows, { output: 'contrib' });
    const inter = explainXGBoost(model, rows, { output: 'interactions' });
    const w = model.numFeatures + 1;
    for (let r = 0; r < rows.length; r++) {
      for (let i = 0; i < w; i++) {
        let sum = 0;
        for (let j = 0; j < w; j++) sum += inter[(r * w + i) * w + j];
        expect(Math.abs(sum - phi[r * w + i])).toBeLessThan(1e-5);
      }
    }
  });

  it('an iteration range explains only those rounds', () => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}/early_stopping_binary.expected.json`, 'utf8'));
    const model = loadXGBoost(readFileSync(`${FIXTURES}/early_stopping_binary.json`));
    const range = expected.iteration_ranges[0];
    const contribs = explainXGBoost(model, expected.rows, { output: 'contrib', iterationRange: range.range });
    const w = model.numFeatures + 1;
    expected.rows.forEach((_: unknown, r: number) => {
      let sum = 0;
      for (let k = 0; k < w; k++) sum += contribs[r * w + k];
      expect(Math.abs(sum - range.margin[r])).toBeLessThan(1e-4);
    });
  });

  it('refuses models without covers and vector-leaf models with a typed error', () => {
    const stump = { left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [0.5, 0, 0], defaultLeft: [1, 0, 0], leafValues: [0, -1, 1], output: 0 };
    const noCover = buildEnsemble({ numFeatures: 1, numOutputs: 1, leafWidth: 1, trees: [stump], splitRule: 'lt', accumulate: 'float32', baseMargin: [0] });
    expect(() => treeShap(noCover, Float32Array.of(1), 1)).toThrow(InputError);
    const vector = buildEnsemble({ numFeatures: 1, numOutputs: 2, leafWidth: 2, trees: [{ ...stump, leafValues: [0, 0, 1, 2, 3, 4] }], splitRule: 'lt', accumulate: 'float32', baseMargin: [0, 0] });
    expect(() => treeShap(vector, Float32Array.of(1), 1)).toThrow(/vector leaves/);
  });

  it("predict points explanations to explainXGBoost with a typed error", () => {
    const model = loadXGBoost(readFileSync(`${FIXTURES}/gblinear_multi_softprob.json`));
    for (const output of ['contrib', 'contrib-approx', 'interactions']) {
      expect(() => model.predict([[1, 2]], { output } as never)).toThrow(InputError);
      expect(() => model.predict([[1, 2]], { output } as never)).toThrow(`explainXGBoost(model, rows, { output: '${output}' })`);
    }
    expect(() => explainXGBoost(model, [[1, 2]], { output: 'leaf' } as never)).toThrow(InputError);
  });

  it('gblinear: x·w per feature and the bias last, as XGBoost reports them', () => {
    const expected = JSON.parse(readFileSync(`${FIXTURES}/gblinear_multi_softprob.expected.json`, 'utf8'));
    const model = loadXGBoost(readFileSync(`${FIXTURES}/gblinear_multi_softprob.json`));
    expectClose(explainXGBoost(model, expected.rows, { output: 'contrib' }), expected.contribs, 'contribs');
    expect(() => explainXGBoost(model, expected.rows, { output: 'interactions' })).toThrow(InputError);
  });
});
