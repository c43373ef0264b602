import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/errors.js';
import { readCsv } from '../../src/features/index.js';
import { RandomForestClassifier } from '../../src/forest/index.js';
import { thresholdForRecall } from '../../src/metrics/index.js';
import {
  loadPurchaseModel,
  purchaseFeatures,
  purchaseModelJson,
  scorePurchaseIntent,
  tableToFloat32Rows,
  transformPurchaseFeatures,
} from '../../src/purchase/index.js';

const dir = join(__dirname, '../../../shared/data/purchase-prediction');

describe.skipIf(!existsSync(dir))('scorePurchaseIntent', () => {
  const train = readCsv(readFileSync(join(dir, 'retail_app_data.csv'), 'utf8')).slice(0, 3000);
  const fresh = readCsv(readFileSync(join(dir, 'new_retail_data.csv'), 'utf8'));
  const { spec, table } = purchaseFeatures(train);
  const y = Array.from(table.numbers('purchase_24h'));
  const X = { data: tableToFloat32Rows(table, spec.featureNames), numRows: table.numRows, numFeatures: spec.featureNames.length };
  const forest = new RandomForestClassifier({ nEstimators: 15, maxDepth: 8, seed: 5, featureNames: spec.featureNames }).fit(X, y);
  const trainProba = forest.predictProba(X);
  const op = thresholdForRecall(y, Array.from({ length: y.length }, (_, i) => trainProba[2 * i + 1]), 1);
  const saved = JSON.parse(JSON.stringify(purchaseModelJson(spec, forest.toJSON(), op.threshold)));

  it('scores raw users with the saved model: probability of label 1, decision at the threshold', () => {
    const scores = scorePurchaseIntent(fresh, loadPurchaseModel(saved));
    const features = transformPurchaseFeatures(fresh, spec, { target: false });
    const direct = forest.predictProba({ data: tableToFloat32Rows(features, spec.featureNames), numRows: fresh.numRows, numFeatures: spec.featureNames.length });
    expect(scores.probability.length).toBe(2000);
    for (let i = 0; i < 2000; i++) {
      expect(scores.probability[i]).toBe(direct[2 * i + 1]);
      expect(scores.decision[i]).toBe(scores.probability[i] >= op.threshold ? 1 : 0);
    }
    expect(scores.userId.slice(0, 2)).toEqual([10001, 10002]);
    expect(scores.threshold).toBe(op.threshold);
  });

  it('on the training rows, the recall-1 threshold flags every buyer', () => {
    const scores = scorePurchaseIntent(train, saved);
    y.forEach((label, i) => {
      if (label === 1) expect(scores.decision[i]).toBe(1);
    });
  });

  it('accepts plain records and a threshold override', () => {
    const records = [fresh.row(0), fresh.row(1)].map((m) => Object.fromEntries([...m].map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
    const scores = scorePurchaseIntent(records, saved, { threshold: 2 });
    expect(Array.from(scores.decision)).toEqual([0, 0]);
    expect(scores.userId).toEqual([10001, 10002]);
  });

  it('rejects a model whose forest does not fit the features', () => {
    expect(() => loadPurchaseModel({ ...saved, features: { ...saved.features, featureNames: ['age'] } })).toThrow(ModelFormatError);
    expect(() => loadPurchaseModel({ ...saved, threshold: 'high' })).toThrow(ModelFormatError);
    expect(() => loadPurchaseModel('nope')).toThrow(ModelFormatError);
  });
});
