import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { evaluateK } from '../../src/cluster/index.js';
import { CUSTOMER_ATTRIBUTES, SegmentationModel, deriveCustomerAttributes, segmentCustomer, validateCustomerAttributes } from '../../src/segmentation/index.js';
import { readCsv } from '../../src/features/index.js';
import { ModelFormatError, RetailMlError, ValidationError } from '../../src/errors.js';
import { MARKETING_CSV, ROOT, expectClose, expected, labelsOf } from './helpers.js';

const P = expected('expected_pipeline.json');
const SAVED = join(ROOT, 'models', 'cluster', 'segmentation-model.json');

// The seed's own example customer (README "Testing" section).
const SEED_CUSTOMER = {
  Age: 42, Education: 2, Marital_Status: 1, Parental_Status: 1, Children: 2, Income: 58000, Total_Spending: 1500,
  Days_as_Customer: 1236, Recency: 58, Wines: 635, Fruits: 88, Meat: 546, Fish: 172, Sweets: 88, Gold: 88, Web: 8,
  Catalog: 10, Store: 4, Discount_Purchases: 7, Total_Promo: 3, NumWebVisitsMonth: 7,
};

describe.skipIf(!existsSync(MARKETING_CSV))('the original pipeline on marketing_campaign.csv, vs pandas + scikit-learn', () => {
  const table = readCsv(readFileSync(MARKETING_CSV, 'utf8'), { delimiter: '\t' });
  const derived = deriveCustomerAttributes(table);

  it('derives the 21 attributes like the pandas reference', () => {
    expect(derived.rows).toBe(P.rows);
    P.derivedHead.forEach((row: (number | null)[], i: number) =>
      row.forEach((v, j) => (v === null ? expect(derived.data[i * 21 + j]).toBeNaN() : expect(derived.data[i * 21 + j]).toBe(v))),
    );
    const sums = new Float64Array(21);
    let missing = 0;
    for (let i = 0; i < derived.rows; i++) {
      for (let j = 0; j < 21; j++) {
        const v = derived.data[i * 21 + j];
        if (Number.isNaN(v)) missing++;
        else sums[j] += v;
      }
    }
    expect(missing).toBe(P.missingIncome);
    P.derivedColumnSums.forEach((s: number, j: number) => expectClose(sums[j], s, 1e-12));
  });

  const { model, kmeans, embedding } = SegmentationModel.fitWithResult(derived, { k: 3, seed: 0 });

  it('imputes the median and clips at numpy-linear Q3 + 1.5 IQR', () => {
    expect(model.imputer.statistics[5]).toBe(P.medianIncome);
    P.clipBounds.forEach((b: number | null, j: number) => expect(model.clipper.upper[j]).toBe(b === null ? Infinity : b));
  });

  it('fits the same Yeo-Johnson lambdas, PCA and k-means clustering as scikit-learn', () => {
    // λ is only determined to the width of the log-likelihood's rounding-noise plateau (see test/preprocess).
    P.powerTransformer.lambdas.forEach((l: number, j: number) => expect(Math.abs(model.powerTransformer.lambdas[j] - l)).toBeLessThan(1e-6));
    P.pcaFull.components.flat().forEach((v: number, i: number) => expect(Math.abs(model.pca.components.data[i] - v)).toBeLessThan(1e-6));
    P.pcaHead.flat().forEach((v: number, i: number) => expect(Math.abs(embedding.data[i] - v)).toBeLessThan(1e-6));
    const theirs = labelsOf(P.kmeans.labels);
    const map = new Map<number, number>();
    theirs.forEach((t, i) => {
      if (!map.has(t)) map.set(t, kmeans.labels[i]);
      expect(kmeans.labels[i]).toBe(map.get(t));
    });
    expectClose(kmeans.inertia, P.kmeans.inertia, 1e-6);
  });

  it('inertia and silhouette over k = 2..8 match scikit-learn (elbow data)', () => {
    const byK = evaluateK(embedding, { kMin: 2, kMax: 8, seed: 0 });
    P.elbow.forEach((e: { k: number; inertia: number; silhouette: number }, i: number) => {
      expect(byK[i].k).toBe(e.k);
      expectClose(byK[i].inertia, e.inertia, 1e-6);
      expectClose(byK[i].silhouette, e.silhouette, 1e-6);
    });
  });

  it('round-trips through JSON with identical predictions', () => {
    const back = SegmentationModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back.predict(derived)).toEqual(model.predict(derived));
    expect(model.predict(derived)).toEqual(kmeans.labels);
  });

  it('the shipped model file is this pipeline fitted on the shared data', () => {
    const saved = SegmentationModel.fromJSON(JSON.parse(readFileSync(SAVED, 'utf8')));
    expect(saved.predict(derived)).toEqual(kmeans.labels);
    const r = segmentCustomer(SEED_CUSTOMER, saved);
    expect(r.distances).toHaveLength(3);
    expect(r.cluster).toBe(r.distances.indexOf(Math.min(...r.distances)));
  });
});

describe('customer attribute validation', () => {
  it('accepts spaces or underscores and numeric strings', () => {
    const v = validateCustomerAttributes(Object.fromEntries(Object.entries(SEED_CUSTOMER).map(([k, x]) => [k, String(x)])));
    expect(v).toHaveLength(21);
    expect(v[CUSTOMER_ATTRIBUTES.indexOf('Income')]).toBe(58000);
  });

  it('reports one issue per bad field', () => {
    const bad = { ...SEED_CUSTOMER, Age: -3, Education: 2.5, Income: 'lots', Extra: 1 } as Record<string, unknown>;
    delete bad.Recency;
    try {
      validateCustomerAttributes(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const fields = (e as ValidationError).issues.map((i) => i.field).sort();
      expect(fields).toEqual(['Age', 'Education', 'Extra', 'Income', 'Recency']);
    }
    expect(() => validateCustomerAttributes({ ...SEED_CUSTOMER, Parental_Status: 0 })).toThrow(/Parental Status/);
    expect(() => validateCustomerAttributes(null)).toThrow(ValidationError);
  });

  it('never throws anything but ValidationError, and __proto__ keys are harmless (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(SEED_CUSTOMER), '__proto__', 'constructor', 'x'), fc.oneof(fc.double(), fc.string(), fc.constant(null))), (obj) => {
        try {
          validateCustomerAttributes(obj);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('rejects malformed model JSON with ModelFormatError (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const obj = typeof value === 'object' && value && !Array.isArray(value) ? { ...value, type: 'CustomerSegmentation', version: 1 } : value;
        try {
          SegmentationModel.fromJSON(obj);
        } catch (e) {
          expect(e).toBeInstanceOf(RetailMlError);
        }
      }),
      { numRuns: 300 },
    );
    expect(() => SegmentationModel.fromJSON({ type: 'CustomerSegmentation', version: 2 })).toThrow(ModelFormatError);
  });
});
