import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSklearnTrees } from '../../src/forest/index.js';

const dir = join(__dirname, '../../models/forest/fixtures');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('scikit-learn 1.2.1 exports load onto the tree engine', () => {
  it('has fixtures for every estimator kind', () => {
    const kinds = new Set(fixtures.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).model.estimator));
    expect([...kinds].sort()).toEqual(['DecisionTreeClassifier', 'ExtraTreesClassifier', 'GradientBoostingClassifier', 'RandomForestClassifier']);
  });

  for (const file of fixtures) {
    it(`${file}: predict_proba equal to 1e-12, classes and importances as exported`, () => {
      const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const model = loadSklearnTrees(JSON.stringify(fixture.model));
      expect(model.classes).toEqual(fixture.model.classes);
      const proba = model.predictProba(fixture.X as number[][]);
      const k = model.classes.length;
      let worst = 0;
      for (let r = 0; r < fixture.X.length; r++) {
        for (let c = 0; c < k; c++) worst = Math.max(worst, Math.abs(proba[r * k + c] - fixture.proba[r][c]));
      }
      expect(worst).toBeLessThanOrEqual(1e-12);
      if (fixture.importances) {
        const imp = model.featureImportances!;
        fixture.importances.forEach((v: number, f: number) => expect(imp[f]).toBeCloseTo(v, 12));
      }
    });
  }
});
