import { describe, expect, it } from 'vitest';
import { fitKMeans, predictKMeans, NumpyRandomState, assignNearest } from '../../src/cluster/index.js';
import { FitError, InputError } from '../../src/errors.js';
import { expectClose, expected, labelsOf } from './helpers.js';

const K = expected('expected_kmeans.json');
const R = expected('expected_random.json');

describe('NumpyRandomState reproduces numpy.random.RandomState', () => {
  it('random_sample, randint and permutation draw for draw', () => {
    const a = new NumpyRandomState(0);
    expect(Array.from({ length: 5 }, () => a.randomSample())).toEqual(R.randomSample);
    const b = new NumpyRandomState(12345);
    expect(Array.from({ length: 6 }, () => b.randint(1000))).toEqual(R.randint1000);
    expect(Array.from({ length: 3 }, () => b.randomSample())).toEqual(R.uniformAfterRandint);
    expect(Array.from(new NumpyRandomState(2).permutation(20))).toEqual(R.permutation20);
  });
});

/** Maps sklearn's cluster ids onto ours through the labels, then checks it is a bijection. */
function mapping(ours: Int32Array, theirs: Int32Array, k: number): Int32Array {
  const map = new Int32Array(k).fill(-1);
  for (let i = 0; i < ours.length; i++) {
    if (map[theirs[i]] === -1) map[theirs[i]] = ours[i];
    expect(map[theirs[i]]).toBe(ours[i]);
  }
  expect(new Set(map).size).toBe(k);
  return map;
}

describe('fitKMeans equals scikit-learn KMeans (same seed, OMP_NUM_THREADS=1)', () => {
  for (const fit of K.fits) {
    it(fit.name, () => {
      const data = K[fit.data];
      const p = fit.params;
      const r = fitKMeans(data, {
        k: p.n_clusters,
        nInit: p.n_init ?? 10,
        seed: p.random_state ?? 0,
        maxIter: p.max_iter ?? 300,
        tol: p.tol ?? 1e-4,
        init: fit.init,
      });
      const theirs = labelsOf(fit.labels);
      const map = mapping(r.labels, theirs, p.n_clusters);
      expect(r.iterations).toBe(fit.iterations);
      expectClose(r.inertia, fit.inertia, 1e-12);
      fit.centroids.forEach((c: number[], j: number) =>
        c.forEach((v, f) => expectClose(r.centroids.data[map[j] * r.centroids.cols + f], v, 1e-12, 1e-13)),
      );
      // canonical order: sizes non-increasing
      for (let c = 1; c < r.sizes.length; c++) expect(r.sizes[c]).toBeLessThanOrEqual(r.sizes[c - 1]);
    });
  }

  it('gives the same ids on a refit, and predict agrees with the fit labels', () => {
    const a = fitKMeans(K.blobs, { k: 4, seed: 3, nInit: 2 });
    const b = fitKMeans(K.blobs, { k: 4, seed: 3, nInit: 2 });
    expect(b.labels).toEqual(a.labels);
    expect(predictKMeans(a.centroids, K.blobs)).toEqual(a.labels);
  });

  it('gives typed errors on bad input', () => {
    expect(() => fitKMeans([[1, 2], [NaN, 3], [4, 5]], { k: 2 })).toThrow(InputError);
    expect(() => fitKMeans([[1], [1], [1]], { k: 2 })).toThrow(FitError);
    expect(() => fitKMeans([[1], [2]], { k: 3 })).toThrow(FitError);
    expect(() => fitKMeans([[1], [2]], { k: 0 })).toThrow(InputError);
    expect(() => fitKMeans([[1, 2], [3]], { k: 1 })).toThrow(InputError);
    expect(() => assignNearest(new Float64Array([NaN, 1]), 1, 2, new Float64Array([0, 0]), 1)).toThrow(InputError);
  });
});

describe('assignment agrees exactly with scikit-learn predict, near-ties included', () => {
  const A = expected('expected_assign.json');
  for (const c of A.cases) {
    it(`d=${c.d}, k=${c.k}, ${c.x.length} rows`, () => {
      const ours = predictKMeans({ data: Float64Array.from(c.centers.flat()), rows: c.k, cols: c.d }, c.x);
      expect(Array.from(ours).join('')).toBe(c.labels);
    });
  }

  it('the cases really are near-ties: a plain ‖x − c‖² argmin disagrees with sklearn somewhere', () => {
    let disagreements = 0;
    for (const c of A.cases) {
      const want = labelsOf(c.labels);
      c.x.forEach((x: number[], i: number) => {
        let best = 0;
        let bestD = Infinity;
        c.centers.forEach((cc: number[], j: number) => {
          let d = 0;
          for (let f = 0; f < c.d; f++) d += (x[f] - cc[f]) ** 2;
          if (d < bestD) {
            bestD = d;
            best = j;
          }
        });
        if (best !== want[i]) disagreements++;
      });
    }
    expect(disagreements).toBeGreaterThan(0);
  });
});
