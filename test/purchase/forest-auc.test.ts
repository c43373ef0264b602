import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/features/index.js';
import { RandomForestClassifier } from '../../src/forest/index.js';
import { rocAuc } from '../../src/metrics/index.js';
import { purchaseFeatures, tableToFloat32Rows } from '../../src/purchase/index.js';

const dataFile = join(__dirname, '../../../shared/data/purchase-prediction/retail_app_data.csv');
const reference = JSON.parse(readFileSync(join(__dirname, '../../models/purchase/sklearn_forest_auc.json'), 'utf8'));

describe.skipIf(!existsSync(dataFile))('our forest vs scikit-learn on the purchase data (same settings, same split)', () => {
  const { spec, table } = purchaseFeatures(readCsv(readFileSync(dataFile, 'utf8')));
  const X = tableToFloat32Rows(table, spec.featureNames);
  const y = table.numbers('purchase_24h');
  const d = spec.featureNames.length;
  const pick = (test: boolean) => {
    const rows = [...Array(table.numRows).keys()].filter((i) => (i % 5 === 0) === test);
    const data = new Float32Array(rows.length * d);
    rows.forEach((r, k) => data.set(X.subarray(r * d, (r + 1) * d), k * d));
    return { matrix: { data, numRows: rows.length, numFeatures: d }, labels: rows.map((r) => y[r]) };
  };
  const train = pick(false);
  const test = pick(true);

  it('uses the same feature columns as the reference', () => {
    expect(spec.featureNames).toEqual(reference.feature_names);
  });

  for (const [name, entry] of Object.entries(reference.configs) as [string, any][]) {
    it(`${name}: test ROC AUC within 0.01 of scikit-learn's (${entry.auc_mean.toFixed(4)})`, () => {
      const p = entry.params;
      const forest = new RandomForestClassifier({
        nEstimators: p.n_estimators,
        maxDepth: p.max_depth,
        criterion: p.criterion,
        minSamplesLeaf: p.min_samples_leaf,
        classWeight: p.class_weight ?? null,
        seed: 1,
      }).fit(train.matrix, train.labels);
      const proba = forest.predictProba(test.matrix);
      const auc = rocAuc(test.labels, Array.from({ length: test.labels.length }, (_, i) => proba[2 * i + 1]));
      expect(Math.abs(auc - entry.auc_mean)).toBeLessThanOrEqual(0.01);
    });
  }
});
