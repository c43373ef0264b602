import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PCA, PowerTransformer, SimpleImputer, StandardScaler, IqrClipper, brentMinimize } from '../../src/preprocess/index.js';
import { quantile } from '../../src/preprocess/quantile.js';
import { FitError, InputError, ModelFormatError } from '../../src/errors.js';
import { expectClose, expected, nanRows } from '../cluster/helpers.js';

const E = expected('expected_preprocess.json');
const skew = nanRows(E.skew);
const skewNaN = nanRows(E.skewNaN);

function expectRowsClose(actual: Float64Array, want: (number | null)[][], rel = 1e-9, abs = 1e-12) {
  const flat = want.flat();
  expect(actual.length).toBe(flat.length);
  flat.forEach((w, i) => {
    if (w === null) expect(Number.isNaN(actual[i])).toBe(true);
    else expectClose(actual[i], w, rel, abs);
  });
}

describe('StandardScaler (vs scikit-learn)', () => {
  it('learns mean, population variance and scale ignoring NaN, and transforms like sklearn', () => {
    const s = new StandardScaler().fit(skewNaN);
    E.standardScaler.mean.forEach((v: number, j: number) => expectClose(s.mean[j], v, 1e-14));
    E.standardScaler.var.forEach((v: number, j: number) => expectClose(s.var[j], v, 1e-13));
    expect(Array.from(s.nSamplesSeen)).toEqual(E.standardScaler.nSamplesSeen);
    expectRowsClose(s.transform(skewNaN.slice(0, 20)).data, E.scaled, 1e-12, 1e-13);
  });
  it('gives constant columns scale 1', () => {
    const s = new StandardScaler().fit(E.constant);
    expect(Array.from(s.scale)).toEqual(E.standardScalerConstant.scale);
  });
  it('round-trips JSON and imports an sklearn export', () => {
    const s = StandardScaler.fromJSON(E.standardScaler);
    expectRowsClose(s.transform(skewNaN.slice(0, 20)).data, E.scaled, 1e-15, 0);
    const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(new StandardScaler().fit(skew).toJSON())));
    expect(back.transform(skew).data).toEqual(new StandardScaler().fit(skew).transform(skew).data);
  });
});

// V8's Math.pow/log1p and glibc's differ in the last ulp, so the final Brent steps (which
// compare log-likelihoods that differ by less than their rounding noise) may branch
// differently. Near the optimum the log-likelihood is flat to within that noise over a
// λ-window of a few 1e-7, so that is as far as scikit-learn's own λ is determined.
function expectSameBrentLambda(actual: number, want: number) {
  expect(Math.abs(actual - want)).toBeLessThanOrEqual(2e-7);
}

describe('PowerTransformer (Yeo-Johnson, vs scikit-learn)', () => {
  it('finds the same lambdas as scipy.optimize.brent, within Brent tolerance', () => {
    const pt = new PowerTransformer().fit(skewNaN);
    E.powerTransformer.lambdas.forEach((l: number, j: number) => expectSameBrentLambda(pt.lambdas[j], l));
    const pt3 = new PowerTransformer({ standardize: false }).fit(skew);
    E.powerTransformerUnscaled.lambdas.forEach((l: number, j: number) => expectSameBrentLambda(pt3.lambdas[j], l));
    expect(pt3.scaler).toBeNull();
  });
  it('transforms like sklearn (NaN passes through)', () => {
    const pt = new PowerTransformer().fit(skewNaN);
    expectRowsClose(pt.transform(skewNaN.slice(0, 20)).data, E.powerTransformed, 1e-6, 1e-7);
    const imported = PowerTransformer.fromJSON(E.powerTransformer);
    expectRowsClose(imported.transform(skewNaN.slice(0, 20)).data, E.powerTransformed, 1e-13, 1e-13);
  });
  it('inverts its own transform', () => {
    const pt = new PowerTransformer().fit(skew);
    const back = pt.inverseTransform(pt.transform(skew));
    skew.flat().forEach((v, i) => expectClose(back.data[i], v, 1e-9, 1e-9));
  });
  it('rejects an all-NaN column and bad JSON', () => {
    expect(() => new PowerTransformer().fit([[NaN], [NaN]])).toThrow(FitError);
    expect(() => PowerTransformer.fromJSON({ type: 'PowerTransformer', method: 'box-cox', lambdas: [1], scaler: null })).toThrow(ModelFormatError);
    expect(() => PowerTransformer.fromJSON({ type: 'StandardScaler' })).toThrow(ModelFormatError);
  });
});

describe('brentMinimize', () => {
  it('minimises smooth functions to ~1e-8', () => {
    expect(Math.abs(brentMinimize((x) => (x - 1.234) ** 2 + 3, -2, 2).x - 1.234)).toBeLessThan(1e-7);
    expect(Math.abs(brentMinimize((x) => Math.cosh(x + 5), -2, 2).x + 5)).toBeLessThan(1e-6);
  });
});

describe('SimpleImputer, quantiles and IqrClipper', () => {
  it('median statistics equal sklearn SimpleImputer', () => {
    const imp = new SimpleImputer({ strategy: 'median' }).fit(skewNaN);
    expect(Array.from(imp.statistics)).toEqual(E.imputer.statistics);
    const filled = imp.transform(skewNaN);
    expect(filled.data.some(Number.isNaN)).toBe(false);
    expect(() => new SimpleImputer().fit([[NaN]])).toThrow(FitError);
    expect(new SimpleImputer({ strategy: 'constant', fillValue: -1 }).fitTransform([[NaN], [2]]).data).toEqual(new Float64Array([-1, 2]));
  });
  it('quantiles equal numpy nanquantile (linear)', () => {
    for (let j = 0; j < 5; j++) {
      const col = skewNaN.map((r) => r[j]);
      E.quantiles.q.forEach((q: number, i: number) => expect(quantile(col, q)).toBe(E.quantiles.values[j][i]));
    }
  });
  it('clips above Q3 + 1.5 IQR (and below Q1 − 1.5 IQR when both sides)', () => {
    const c = new IqrClipper({ sides: 'upper' }).fit([[1], [2], [3], [4], [100]]);
    expect(c.upper[0]).toBe(7);
    expect(Array.from(c.transform([[100], [-50]]).data)).toEqual([7, -50]);
    const both = new IqrClipper().fit([[1], [2], [3], [4], [100]]);
    expect(Array.from(both.transform([[-50]]).data)).toEqual([-1]);
    const back = IqrClipper.fromJSON(JSON.parse(JSON.stringify(c.exempt([0]).toJSON())));
    expect(back.upper[0]).toBe(Infinity);
  });
});

describe('PCA (vs scikit-learn svd_solver=full)', () => {
  it('matches components (sign convention included), variances and scores', () => {
    const pca = new PCA({ nComponents: 3 }).fit(skew);
    expectRowsClose(pca.components.data, E.pca.components, 1e-9, 1e-11);
    E.pca.explainedVariance.forEach((v: number, i: number) => expectClose(pca.explainedVariance[i], v, 1e-11));
    E.pca.explainedVarianceRatio.forEach((v: number, i: number) => expectClose(pca.explainedVarianceRatio[i], v, 1e-11));
    expectRowsClose(pca.transform(skew.slice(0, 20)).data, E.pcaScores, 1e-9, 1e-10);
    const imported = PCA.fromJSON(E.pca);
    expectRowsClose(imported.transform(skew.slice(0, 20)).data, E.pcaScores, 1e-12, 1e-12);
  });
  it('refuses NaN and too many components', () => {
    expect(() => new PCA({ nComponents: 1 }).fit([[1, NaN], [2, 3]])).toThrow(InputError);
    expect(() => new PCA({ nComponents: 3 }).fit([[1, 2], [2, 3], [4, 4]])).toThrow(FitError);
  });
});

describe('fromJSON is a safe parser (property)', () => {
  it('never throws anything but ModelFormatError/InputError/FitError on arbitrary JSON', () => {
    const parsers = [StandardScaler.fromJSON, PowerTransformer.fromJSON, SimpleImputer.fromJSON, IqrClipper.fromJSON, PCA.fromJSON];
    const types = ['StandardScaler', 'PowerTransformer', 'SimpleImputer', 'IqrClipper', 'PCA', '__proto__'];
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...types), fc.nat(4), (value, type, p) => {
        const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, type } : value;
        try {
          parsers[p](obj);
        } catch (e) {
          if (!(e instanceof ModelFormatError || e instanceof InputError || e instanceof FitError)) throw e;
        }
      }),
      { numRuns: 500, interruptAfterTimeLimit: 5000 },
    );
  });
});
