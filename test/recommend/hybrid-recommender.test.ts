import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildSegmentPopularity,
  categoryInterest,
  customerSegment,
  prepareCatalogue,
  recommendHybrid,
  RecommendationCache,
  InMemoryRecommendationStore,
  SAMPLE_CATALOGUE,
  scoreCatalogue,
  type CatalogueProduct,
} from '../../src/recommend/index.js';
import { InputError } from '../../src/errors.js';

const DAY = 86_400_000;
const now = Date.UTC(2024, 5, 1, 12);

// The original backend's 16-product sample catalogue.
const catalogue: CatalogueProduct[] = [...SAMPLE_CATALOGUE];

const workedHistory = {
  browsing: [
    { category: 'Yoga mat', timestamp: now - 1 * DAY },
    { category: 'Yoga Mat', timestamp: now - 2 * DAY },
    { category: 'Laptop', timestamp: now - 3 * DAY },
    { category: 'Laptop', timestamp: now - 4 * DAY },
    { category: 'SmartPhone', timestamp: now - 5 * DAY },
  ],
  purchases: [
    { category: 'fashion', price: 4724, timestamp: now - 10 * DAY },
    { category: 'fitness', price: 2861, timestamp: now - 20 * DAY },
    { category: 'fitness', price: 2136, timestamp: now - 40 * DAY },
  ],
};

describe('worked example (original rules)', () => {
  // How the numbers arise:
  // averageOrderValue = mean price of all purchases = (4724 + 2861 + 2136) / 3 = 3240.33 → Premium.
  // Raw interest: browsing 0.7/1 + 0.7/2 = 1.05 to "yoga mat", 0.7/3 + 0.7/4 = 0.40833 to "laptop",
  //   0.7/5 = 0.14 to "smartphone"; purchases 4724/3240.33 = 1.45787 to "fashion" and
  //   (2861 + 2136)/3240.33 = 1.54213 to "fitness". Total 4.59833, so normalised:
  //   fitness 0.335368, fashion 0.317044, yoga mat 0.228343, laptop 0.088800, smartphone 0.030446.
  // A "fitness" product: 2w + 0.5w (exact match is also a substring match) + 0.3w ("fitness" in its
  //   tags) = 2.8 · 0.335368 = 0.939030; × 1.2 when price > 100 → 1.126836 (Treadmill, Dumbbells);
  //   the Resistance Bands (29.99) stay at 0.9390.
  // A "fashion" product: 2.5 · 0.317044 = 0.792610, + 0.3 · 0.335368 = 0.100610 if its tags say
  //   "fitness", + 0.3 · 0.317044 = 0.095113 if they say "fashion":
  //   Fitness Tracker Watch 0.893220 × 1.2 = 1.071864; Formal Shoes 0.792610 × 1.2 = 0.951132;
  //   Running Shoes (89.99, no boost) 0.893220; Casual Sneakers 0.887723, tied with Designer Jeans
  //   and ahead of it by catalogue order (stable sort).
  const expected: [string, number][] = [
    ['Smart Treadmill', 1.1268],
    ['Adjustable Dumbbells', 1.1268],
    ['Fitness Tracker Watch', 1.0719],
    ['Formal Shoes', 0.9511],
    ['Premium Resistance Bands', 0.939],
    ['Running Shoes', 0.8932],
    ['Casual Sneakers', 0.8877],
  ];

  it('segments the customer as Premium with the mean purchase price', () => {
    const seg = customerSegment(workedHistory.purchases, now);
    expect(seg.segment).toBe('Premium');
    expect(seg.season).toBe('Recent');
    expect(seg.averageOrderValue).toBeCloseTo(9721 / 3, 10);
  });

  it('computes the normalised category interest', () => {
    const interest = categoryInterest(workedHistory, 9721 / 3, now);
    expect([...interest.keys()]).toEqual(['yoga mat', 'laptop', 'smartphone', 'fashion', 'fitness']);
    expect(interest.get('fitness')).toBeCloseTo(1.54213 / 4.59833, 5);
    expect(interest.get('yoga mat')).toBeCloseTo(1.05 / 4.59833, 5);
  });

  it('yields the stated top 7 with the stated scores to 4 decimals', () => {
    const { recommendations } = recommendHybrid(catalogue, workedHistory, now);
    expect(recommendations).toHaveLength(7); // limit 10 → floor(7) content, no peers given
    expect(recommendations.map((r) => [r.name, Number(r.score.toFixed(4))])).toEqual(expected);
  });

  it('ignores browsing older than 30 days and purchases older than 180 days, and the future', () => {
    const history = {
      browsing: [...workedHistory.browsing, { category: 'Laptop', timestamp: now - 31 * DAY }, { category: 'Laptop', timestamp: now + DAY }],
      purchases: [...workedHistory.purchases.slice(0, 2), { category: 'fitness', price: 2136, timestamp: now - 40 * DAY }],
    };
    const a = recommendHybrid(catalogue, history, now).recommendations;
    expect(a.map((r) => r.name)).toEqual(expected.map(([n]) => n));
    const old = { browsing: [], purchases: [{ category: 'fitness', price: 10, timestamp: now - 181 * DAY }] };
    expect(categoryInterest(old, 10, now).size).toBe(0);
  });
});

describe('product scoring', () => {
  it('counts substring matches both ways and tags, and boosts Budget customers under 50', () => {
    const prepared = prepareCatalogue(catalogue);
    const scores = scoreCatalogue(prepared, new Map([['yoga', 1]]), 'Budget');
    // Yoga Block Set: exact 2 + substring 0.5 + tags 0.3 = 2.8, × 1.2 (19.99 < 50)
    // Premium Yoga Mat: "yoga" ⊂ "yoga mat" 0.5 + tags 0.3 = 0.8, × 1.2 (45.99 < 50)
    expect(scores.map((s) => [s.name, s.score])).toEqual([
      ['Yoga Block Set', 2.8 * 1.2],
      ['Premium Yoga Mat', 0.8 * 1.2],
    ]);
  });

  it('takes every weight as a named option', () => {
    const scores = scoreCatalogue(catalogue, new Map([['yoga', 1]]), 'Regular', {
      exactMatchWeight: 1,
      partialMatchWeight: 0,
      tagMatchWeight: 0,
    });
    expect(scores.map((s) => [s.name, s.score])).toEqual([['Yoga Block Set', 1]]);
  });

  it('rejects a bad catalogue with InputError', () => {
    expect(() => prepareCatalogue([catalogue[0], catalogue[0]])).toThrow(InputError);
    expect(() => prepareCatalogue([{ ...catalogue[0], price: NaN }])).toThrow(InputError);
    expect(() => recommendHybrid(catalogue, workedHistory, NaN)).toThrow(InputError);
  });

  it('is harmless with hostile category names', () => {
    const hostile = [{ id: '__proto__', name: 'x', category: '__proto__', price: 1, tags: 'constructor' }];
    const r = recommendHybrid(hostile, { browsing: [{ category: '__proto__', timestamp: now }], purchases: [] }, now);
    expect(r.recommendations[0].productId).toBe('__proto__');
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });

  it('never returns NaN scores or duplicate products (property)', () => {
    const cat = fc.constantFrom('fitness', 'Fitness', 'fashion', 'yoga', 'yoga mat', 'laptop', '');
    fc.assert(
      fc.property(
        fc.array(fc.record({ category: cat, age: fc.integer({ min: 0, max: 40 }) }), { maxLength: 8 }),
        fc.array(fc.record({ category: cat, price: fc.double({ min: 0, max: 5000, noNaN: true }), age: fc.integer({ min: 0, max: 400 }) }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 20 }),
        (b, p, limit) => {
          const history = {
            browsing: b.map((e) => ({ category: e.category, timestamp: now - e.age * DAY })),
            purchases: p.map((e) => ({ category: e.category, price: e.price, timestamp: now - e.age * DAY })),
          };
          const peers = buildSegmentPopularity([{ customerId: 'peer', purchases: history.purchases }], now);
          const { recommendations } = recommendHybrid(catalogue, history, now, { limit, peers, customerId: 'me' });
          expect(recommendations.length).toBeLessThanOrEqual(limit);
          expect(new Set(recommendations.map((r) => r.productId)).size).toBe(recommendations.length);
          for (const r of recommendations) expect(Number.isFinite(r.score) && r.score > 0).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('segments', () => {
  const p = (price: number, daysAgo: number) => ({ category: 'x', price, timestamp: now - daysAgo * DAY });
  it('uses > 100 Premium, 50..100 inclusive Regular, else Budget, Standard with none', () => {
    expect(customerSegment([p(100.01, 1)], now).segment).toBe('Premium');
    expect(customerSegment([p(100, 1)], now).segment).toBe('Regular');
    expect(customerSegment([p(50, 1)], now).segment).toBe('Regular');
    expect(customerSegment([p(49.99, 1)], now).segment).toBe('Budget');
    expect(customerSegment([], now)).toEqual({ segment: 'Standard', averageOrderValue: 0, season: 'Unknown' });
  });
  it('uses calendar months for the recency season', () => {
    // now = 2024-06-01: 3 months back is 2024-03-01, 6 months back 2023-12-01
    expect(customerSegment([{ category: 'x', price: 1, timestamp: Date.UTC(2024, 2, 1) }], now).season).toBe('Recent');
    expect(customerSegment([{ category: 'x', price: 1, timestamp: Date.UTC(2024, 1, 29, 23) }], now).season).toBe('Semi-Recent');
    expect(customerSegment([{ category: 'x', price: 1, timestamp: Date.UTC(2023, 11, 1) }], now).season).toBe('Semi-Recent');
    expect(customerSegment([{ category: 'x', price: 1, timestamp: Date.UTC(2023, 10, 30) }], now).season).toBe('Inactive');
  });
});

describe('collaborative part', () => {
  const premiumPeer = (id: string, categories: string[]) => ({
    customerId: id,
    purchases: categories.map((category, i) => ({ category, price: 500, timestamp: now - (i + 1) * DAY })),
  });
  const peers = buildSegmentPopularity(
    [
      premiumPeer('p1', ['Laptop', 'Laptop', 'SmartPhone']),
      premiumPeer('p2', ['Laptop', 'Yoga']),
      premiumPeer('me', ['fashion', 'fashion', 'fashion', 'fashion', 'fashion']),
      { customerId: 'b1', purchases: [{ category: 'Yoga Mat', price: 5, timestamp: now - DAY }] },
    ],
    now,
  );

  it('adds the first product of each most-bought category of the same segment, excluding the customer', () => {
    const { recommendations } = recommendHybrid(catalogue, workedHistory, now, { peers, customerId: 'me' });
    // popular categories among other Premium customers: laptop 3, smartphone 1, yoga 1 → top 3
    const collab = recommendations.filter((r) => r.source === 'collaborative');
    expect(collab.map((r) => r.name)).toEqual(['MacBook Pro', 'Galaxy S22', 'Yoga Block Set']);
    expect(collab.every((r) => r.score === 0.5)).toBe(true);
    expect(recommendations).toHaveLength(10);
    // content items keep their order; collaborative ones (0.5) rank below them here
    expect(recommendations.slice(0, 7).map((r) => r.source)).toEqual(Array(7).fill('content'));
  });

  it('is reproducible with a seed and never repeats a listed product', () => {
    const a = recommendHybrid(catalogue, workedHistory, now, { peers, customerId: 'me', collaborativePick: { seed: 7 } });
    const b = recommendHybrid(catalogue, workedHistory, now, { peers, customerId: 'me', collaborativePick: { seed: 7 } });
    expect(a.recommendations).toEqual(b.recommendations);
    const laptops = a.recommendations.filter((r) => r.category === 'Laptop');
    expect(laptops).toHaveLength(1);
  });

  it('gives a Standard customer no collaborative suggestions', () => {
    const r = recommendHybrid(catalogue, { browsing: workedHistory.browsing, purchases: [] }, now, { peers });
    expect(r.recommendations.every((x) => x.source === 'content')).toBe(true);
  });
});

describe('recommendation cache', () => {
  const rec = (score: number) => [{ productId: 'a', name: 'a', category: 'c', price: 1, score, source: 'content' as const }];
  it('reuses a set under 24 h old, recomputes after, keeps the last 5 and invalidates on events', async () => {
    const cache = new RecommendationCache(new InMemoryRecommendationStore());
    let calls = 0;
    const compute = () => rec(++calls);
    const first = await cache.get('c', now, compute);
    expect(first.fromCache).toBe(false);
    const again = await cache.get('c', now + 24 * 3_600_000 - 1, compute);
    expect(again.fromCache).toBe(true);
    expect(again.recommendations[0].score).toBe(1);
    const stale = await cache.get('c', now + 24 * 3_600_000, compute);
    expect(stale.fromCache).toBe(false);
    for (let i = 2; i <= 7; i++) await cache.get('c', now + i * 25 * 3_600_000, compute);
    const kept = await cache.history('c');
    expect(kept).toHaveLength(5);
    expect(kept[0].recommendations[0].score).toBe(calls);
    await cache.recordEvent('c');
    expect(await cache.history('c')).toHaveLength(0);
    expect((await cache.get('c', now + 7 * 25 * 3_600_000, compute)).fromCache).toBe(false);
  });

  it('works with an async store', async () => {
    const inner = new InMemoryRecommendationStore();
    const store = {
      list: async (id: string) => inner.list(id),
      add: async (id: string, s: Parameters<typeof inner.add>[1], keep: number) => inner.add(id, s, keep),
      clear: async (id: string) => inner.clear(id),
    };
    const cache = new RecommendationCache(store, { maxAgeMs: 1000, keepSets: 2 });
    await cache.get('x', 0, () => rec(1));
    expect((await cache.get('x', 999, () => rec(2))).fromCache).toBe(true);
    expect((await cache.get('x', 1000, () => rec(3))).recommendations[0].score).toBe(3);
  });
});
