// Feature importance against XGBoost 1.7.4's get_score for every tree model in the
// fixture set and the shared 1.7.4 models (models/explain/importance.json, made by
// models/explain/importance.py). Scores are float32 sums, so they must match exactly.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadXGBoost } from '../../src/formats/xgboost/index.js';

const reference = JSON.parse(readFileSync('models/explain/importance.json', 'utf8')) as { cases: Record<string, Record<string, Record<string, number>>> };
const SHARED = '../shared/data/xgboost-models/xgb-1.7.4-small';
const cases = Object.keys(reference.cases).filter((c) => !c.startsWith('shared/') || existsSync(SHARED));

describe('feature importance equals XGBoost get_score', () => {
  it.each(cases)('%s', (name) => {
    const [source, file] = name.split('/');
    const dir = source === 'shared' ? SHARED : 'models/xgboost/fixtures';
    const model = loadXGBoost(readFileSync(`${dir}/${file}.json`));
    for (const [type, scores] of Object.entries(reference.cases[name])) {
      const got = model.featureImportance(type as 'weight');
      expect(Object.fromEntries(got), type).toEqual(scores);
    }
  });

  it('rejects an unknown type and a linear model', () => {
    const model = loadXGBoost(readFileSync('models/xgboost/fixtures/obj_binary_logistic.json'));
    expect(() => model.featureImportance('shap' as 'gain')).toThrow(InputError);
    const linear = loadXGBoost(readFileSync('models/xgboost/fixtures/gblinear_binary_logistic.json'));
    expect(() => linear.featureImportance('gain')).toThrow(InputError);
  });
});
