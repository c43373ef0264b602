// The counting split search (features with few distinct values: binary, one-hot, small codes)
// must grow exactly the tree the sorting search grows: same nodes, thresholds, counts and
// impurities, bit for bit, with whole-number weights (bootstrap counts: summed per value) and
// fractional ones (class weights: a stable counting sort, summed sample by sample).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growTree, prepareData, type TreeArrays } from '../../src/forest/cart.js';
import { seededRandom } from '../../src/forest/index.js';

function expectSameTree(a: TreeArrays, b: TreeArrays): void {
  expect(a.nodeCount).toBe(b.nodeCount);
  for (const key of ['left', 'right', 'feature', 'threshold', 'value', 'impurity', 'nodeSamples', 'weightedNodeSamples'] as const) {
    const x = a[key];
    const y = b[key];
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) expect.fail(`${key}[${i}]: counted ${x[i]}, sorted ${y[i]}`);
  }
}

describe('counting split search', () => {
  it('grows the sorting search’s tree bit for bit on random low-cardinality data, whole and fractional weights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 400 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom('whole', 'fractional', 'bootstrap'),
        fc.constantFrom('gini', 'entropy') as fc.Arbitrary<'gini' | 'entropy'>,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1e9 }),
        (n, cardinalities, k, weighting, criterion, minSamplesLeaf, seed) => {
          const rng = seededRandom(seed);
          const d = cardinalities.length;
          const rows = new Float32Array(n * d);
          // Values on a few levels, some 1e-8 apart (closer than scikit-learn's split tolerance).
          const levels = cardinalities.map((c) => Array.from({ length: c }, (_, v) => (rng.nextDouble() < 0.1 ? v + 1e-8 : v * (rng.nextDouble() < 0.5 ? 1 : -0.5))));
          for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) rows[i * d + f] = levels[f][rng.nextInt(levels[f].length)];
          const y = Int32Array.from({ length: n }, (_, i) => (rows[i * d] > 0.5 ? rng.nextInt(k) : rng.nextInt(2)));
          const weights = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            if (weighting === 'whole') weights[i] = rng.nextInt(3);
            else if (weighting === 'fractional') weights[i] = rng.nextInt(3) * [0.3, 1.7, 2.9, 0.1][y[i]];
            else weights[rng.nextInt(n)]++;
          }
          const data = prepareData(rows, n, d, y, k);
          const options = { criterion, maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf, maxFeatures: Math.max(1, d - 2) };
          const counted = growTree(data, weights, options, seededRandom(seed + 1));
          const sorted = growTree(data, weights, options, seededRandom(seed + 1), 0);
          expectSameTree(counted, sorted);
        },
      ),
      { numRuns: 300 },
    );
  });
});
