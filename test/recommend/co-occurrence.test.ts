import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fitCoOccurrence,
  popularItems,
  recommendItems,
  recommendItemsForAll,
  similarItems,
  type Interaction,
  type ItemSimilarity,
} from '../../src/recommend/co-occurrence.js';
import { InputError } from '../../src/errors.js';

const DAY = 86_400_000;
// u1: a b c, u2: a b, u3: b c, u4: d
const events: Interaction[] = [
  ['u1', 'a'], ['u1', 'b'], ['u1', 'c'], ['u2', 'a'], ['u2', 'b'], ['u3', 'b'], ['u3', 'c'], ['u4', 'd'],
].map(([user, item]) => ({ user, item }));

describe('item co-occurrence (SAR)', () => {
  // C: aa 2, bb 3, cc 2, dd 1, ab 2, ac 1, bc 2
  it('computes Jaccard similarity by hand', () => {
    const m = fitCoOccurrence(events);
    expect(similarItems(m, 'a')).toEqual([{ item: 'b', score: 2 / 3 }, { item: 'c', score: 1 / 3 }]);
    // u2 has a, b: score(c) = 1 · J(a,c) + 1 · J(b,c) = 1/3 + 2/3
    expect(recommendItems(m, 'u2')).toEqual([{ item: 'c', score: 1 }]);
    // with seen items kept: a = J(a,a) + J(b,a) = 1 + 2/3; b = 2/3 + 1
    const all = recommendItems(m, 'u2', { excludeSeen: false });
    expect(all.map((x) => x.item)).toEqual(['a', 'b', 'c']);
    expect(all[0].score).toBeCloseTo(5 / 3, 15);
  });

  it('computes lift and raw counts, and drops counts under minCount', () => {
    const lift = fitCoOccurrence(events, { similarity: 'lift' });
    expect(similarItems(lift, 'a')).toEqual([{ item: 'b', score: 2 / 6 }, { item: 'c', score: 1 / 4 }]);
    const counts = fitCoOccurrence(events, { similarity: 'counts', minCount: 2 });
    expect(similarItems(counts, 'a')).toEqual([{ item: 'b', score: 2 }]);
    expect(recommendItems(counts, 'u2')).toEqual([{ item: 'c', score: 2 }]); // only via b
  });

  it('decays affinity by half-life from an explicit now', () => {
    const now = Date.UTC(2024, 0, 31);
    const timed: Interaction[] = [
      { user: 'u', item: 'a', timestamp: now - 30 * DAY, weight: 2 },
      { user: 'u', item: 'a', timestamp: now },
      { user: 'v', item: 'a', timestamp: now },
      { user: 'v', item: 'b', timestamp: now },
    ];
    const m = fitCoOccurrence(timed, { halfLifeDays: 30, now, similarity: 'counts' });
    const u = m.userIndex.get('u')!;
    expect(m.affinity.values[m.affinity.indptr[u]]).toBeCloseTo(2 * 0.5 + 1, 15);
    expect(recommendItems(m, 'u')).toEqual([{ item: 'b', score: 2 }]);
    expect(() => fitCoOccurrence(timed, { halfLifeDays: 30 })).toThrow(InputError);
    expect(() => fitCoOccurrence([{ user: 'u', item: 'a' }], { halfLifeDays: 30, now })).toThrow(InputError);
  });

  it('falls back to popularity for an unknown user and offers a popularity baseline', () => {
    const m = fitCoOccurrence(events);
    expect(recommendItems(m, 'stranger', { k: 2 })).toEqual([{ item: 'b', score: 3 }, { item: 'a', score: 2 }]);
    expect(popularItems(m, { user: 'u2', k: 2 })).toEqual([{ item: 'c', score: 2 }, { item: 'd', score: 1 }]);
    expect(recommendItemsForAll(m, { k: 1 }).get('u4')).toEqual([]);
  });

  it('is harmless with hostile ids and rejects bad options', () => {
    const m = fitCoOccurrence([{ user: '__proto__', item: 'constructor' }, { user: 'x', item: 'constructor' }, { user: 'x', item: 'toString' }]);
    expect(recommendItems(m, '__proto__')).toEqual([{ item: 'toString', score: 0.5 }]);
    expect(() => fitCoOccurrence(events, { similarity: 'cosine' as ItemSimilarity })).toThrow(InputError);
    expect(() => fitCoOccurrence(events, { minCount: 0 })).toThrow(InputError);
    expect(() => fitCoOccurrence([{ user: 'u', item: 'a', weight: NaN }])).toThrow(InputError);
  });

  it('matches a dense reference computation (property)', () => {
    const ev = fc.record({
      user: fc.constantFrom('u0', 'u1', 'u2', 'u3', 'u4'),
      item: fc.constantFrom('i0', 'i1', 'i2', 'i3', 'i4', 'i5'),
      weight: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 30 }), fc.constantFrom<ItemSimilarity>('jaccard', 'lift', 'counts'), fc.integer({ min: 1, max: 3 }), (list, sim, minCount) => {
        const m = fitCoOccurrence(list, { similarity: sim, minCount });
        const U = m.users.length;
        const I = m.items.length;
        const A = Array.from({ length: U }, () => new Array(I).fill(0));
        for (const e of list) A[m.userIndex.get(e.user)!][m.itemIndex.get(e.item)!] += e.weight;
        const C = Array.from({ length: I }, (_, i) => Array.from({ length: I }, (_, j) => A.reduce((s, row) => s + (row[i] > 0 && row[j] > 0 ? 1 : 0), 0)));
        const S = C.map((row, i) => row.map((c, j) => (c < minCount ? 0 : sim === 'jaccard' ? c / (C[i][i] + C[j][j] - c) : sim === 'lift' ? c / (C[i][i] * C[j][j]) : c)));
        for (const user of m.users) {
          const u = m.userIndex.get(user)!;
          const scores = S[0].map((_, j) => A[u].reduce((s, a, i) => s + a * S[i][j], 0));
          const expected = scores
            .map((s, j) => ({ j, s }))
            .filter(({ j, s }) => s > 0 && A[u][j] === 0)
            .sort((x, y) => y.s - x.s || x.j - y.j)
            .slice(0, 3);
          const got = recommendItems(m, user, { k: 3 });
          expect(got.map((g) => g.item)).toEqual(expected.map((e) => m.items[e.j]));
          got.forEach((g, r) => expect(g.score).toBeCloseTo(expected[r].s, 12));
        }
      }),
      { numRuns: 150 },
    );
  });
});
