import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mapAtK, ndcgAtK, precisionAtK, rankingMetrics, recallAtK } from '../../src/recommend/ranking-metrics.js';
import { InputError } from '../../src/errors.js';

// Hand-computed cases, following Microsoft Recommenders' python_evaluation definitions.
describe('ranking metrics', () => {
  // user A: relevant {a, c, e}; recommended a, b, c, d, e → hits at ranks 1, 3, 5
  // user B: relevant {z};       recommended x, y        → no hit
  // user C: only in the truth, never recommended → not evaluated
  const truth = new Map([
    ['A', ['a', 'c', 'e']],
    ['B', ['z']],
    ['C', ['q']],
  ]);
  const recs = new Map([
    ['A', ['a', 'b', 'c', 'd', 'e']],
    ['B', ['x', 'y']],
    ['D', ['a']], // only recommended → not evaluated
  ]);

  it('precision@k divides hits by k, averaged over users in both', () => {
    // k = 3: A has hits a, c → 2/3; B 0 → (2/3 + 0) / 2
    expect(precisionAtK(truth, recs, 3)).toBeCloseTo(1 / 3, 15);
    // k = 5: A 3/5; B 0 (fewer than k recommended still divides by k)
    expect(precisionAtK(truth, recs, 5)).toBeCloseTo(0.3, 15);
  });

  it('recall@k divides hits by the number of relevant items', () => {
    expect(recallAtK(truth, recs, 3)).toBeCloseTo((2 / 3) / 2, 15);
    expect(recallAtK(truth, recs, 5)).toBeCloseTo(0.5, 15);
  });

  it('NDCG@k uses binary relevance and log2(1 + rank) discounts, ideal over min(|relevant|, k)', () => {
    const dcg3 = 1 / Math.log2(2) + 1 / Math.log2(4);
    const idcg3 = 1 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(truth, recs, 3)).toBeCloseTo(dcg3 / idcg3 / 2, 15);
    // k = 2: hit only at rank 1; ideal is two hits
    expect(ndcgAtK(truth, recs, 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)) / 2, 15);
    expect(dcg3 / idcg3).toBeCloseTo(0.7039180890341347, 12);
  });

  it('MAP@k sums precision at each hit and divides by min(|relevant|, k)', () => {
    // k = 5: (1/1 + 2/3 + 3/5) / 3 = 0.75555…; k = 2: (1/1) / 2
    expect(mapAtK(truth, recs, 5)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3 / 2, 15);
    expect(mapAtK(truth, recs, 2)).toBeCloseTo(0.5 / 2, 15);
  });

  it('gives 1 for a perfect ranking and 0 without hits', () => {
    const perfect = rankingMetrics(new Map([['u', ['a', 'b']]]), new Map([['u', ['a', 'b']]]), 2);
    expect(perfect).toEqual({ k: 2, precision: 1, recall: 1, ndcg: 1, map: 1, users: 1 });
    const none = rankingMetrics(new Map([['u', ['a']]]), new Map([['u', ['b']]]), 2);
    expect(none).toEqual({ k: 2, precision: 0, recall: 0, ndcg: 0, map: 0, users: 1 });
    expect(rankingMetrics(new Map(), new Map(), 1).users).toBe(0);
  });

  it('rejects bad k and repeated recommendations', () => {
    expect(() => rankingMetrics(truth, recs, 0)).toThrow(InputError);
    expect(() => rankingMetrics(truth, new Map([['A', ['a', 'a']]]), 2)).toThrow(InputError);
  });

  it('stays within [0, 1] and recall@k grows with k (property)', () => {
    const item = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    fc.assert(
      fc.property(
        fc.uniqueArray(item, { minLength: 1 }),
        fc.uniqueArray(item),
        fc.integer({ min: 1, max: 8 }),
        (rel, ranked, k) => {
          const t = new Map([['u', rel]]);
          const r = new Map([['u', ranked]]);
          const m = rankingMetrics(t, r, k);
          for (const v of [m.precision, m.recall, m.ndcg, m.map]) expect(v >= 0 && v <= 1 + 1e-12).toBe(true);
          expect(rankingMetrics(t, r, k + 1).recall).toBeGreaterThanOrEqual(m.recall);
        },
      ),
      { numRuns: 300 },
    );
  });
});
