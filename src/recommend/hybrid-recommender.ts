import { InputError } from '../errors.js';
import { prepareCatalogue, type CatalogueProduct, type PreparedCatalogue } from './catalogue.js';
import { categoryInterest, type CategoryInterestOptions } from './category-interest.js';
import { instantMs, type CustomerHistory, type Instant } from './customer-events.js';
import { customerSegment, type CustomerSegment, type SegmentOptions, type SpendingSegment } from './customer-segment.js';
import { popularCategories, type SegmentPopularity } from './segment-popularity.js';

/** Weights of {@link scoreCatalogue}; the defaults are the original backend's. */
export interface ProductScoreOptions {
  /** Added, times the interest weight, when the product's category equals an interest category. Default 2. */
  exactMatchWeight?: number;
  /** Added per interest category that is a substring of the product's category or vice versa (exact included). Default 0.5. */
  partialMatchWeight?: number;
  /** Added per interest category found (as a substring) in the product's tags. Default 0.3. */
  tagMatchWeight?: number;
  /** Multiplier for a Premium customer and a product priced above `premiumPriceAbove`, or a Budget customer and one below `budgetPriceBelow`. Default 1.2. */
  segmentBoost?: number;
  /** Default 100. */
  premiumPriceAbove?: number;
  /** Default 50. */
  budgetPriceBelow?: number;
}

/** One recommended product. */
export interface Recommendation {
  productId: string;
  name: string;
  category: string;
  price: number;
  score: number;
  source: 'content' | 'collaborative';
}

/**
 * Scores every product against a customer's category interest (see {@link categoryInterest}),
 * keeping those scoring above 0, best first, ties in catalogue order.
 *
 * score = Σ over interest categories c with weight w of
 *   2·w if category = c, + 0.5·w if c ⊂ category or category ⊂ c, + 0.3·w if c ⊂ tags;
 * then × 1.2 for (Premium and price > 100) or (Budget and price < 50).
 *
 * @example
 * const catalogue = prepareCatalogue([{ id: 'p', name: 'Yoga Block Set', category: 'Yoga', price: 19.99, tags: 'yoga' }]);
 * scoreCatalogue(catalogue, new Map([['yoga', 1]]), 'Budget')[0].score // => (2 + 0.5 + 0.3) * 1.2
 */
export function scoreCatalogue(
  catalogue: PreparedCatalogue | readonly CatalogueProduct[],
  interest: ReadonlyMap<string, number>,
  segment: SpendingSegment,
  options: ProductScoreOptions = {},
): Recommendation[] {
  return scoreTop(isPrepared(catalogue) ? catalogue : prepareCatalogue(catalogue), interest, segment, options, Infinity);
}

/** The best `top` products by the original rules, best first, ties in catalogue order. */
function scoreTop(
  prepared: PreparedCatalogue,
  interest: ReadonlyMap<string, number>,
  segment: SpendingSegment,
  options: ProductScoreOptions,
  top: number,
): Recommendation[] {
  const {
    exactMatchWeight = 2,
    partialMatchWeight = 0.5,
    tagMatchWeight = 0.3,
    segmentBoost = 1.2,
    premiumPriceAbove = 100,
    budgetPriceBelow = 50,
  } = options;
  const entries = [...interest];
  const { products, distinctCategories, categoryId, distinctTags, tagsId } = prepared;
  // Match the interest once per distinct category and tag text; products then only add.
  const categoryScore = distinctCategories.map((category) => {
    let score = 0;
    const exact = interest.get(category);
    if (exact !== undefined) score += exact * exactMatchWeight;
    for (const [c, w] of entries) if (category.includes(c) || c.includes(category)) score += w * partialMatchWeight;
    return score;
  });
  const tagScore = distinctTags.map((tags) => {
    let score = 0;
    for (const [c, w] of entries) if (tags.includes(c)) score += w * tagMatchWeight;
    return score;
  });
  const boostPremium = segment === 'Premium';
  const boostBudget = segment === 'Budget';
  const keepAll = top >= products.length;
  const bestIndex: number[] = [];
  const bestScore: number[] = [];
  for (let i = 0; i < products.length; i++) {
    let score = categoryScore[categoryId[i]] + tagScore[tagsId[i]];
    const price = products[i].price;
    if ((boostPremium && price > premiumPriceAbove) || (boostBudget && price < budgetPriceBelow)) score *= segmentBoost;
    if (!(score > 0)) continue;
    if (keepAll) {
      bestIndex.push(i);
      bestScore.push(score);
      continue;
    }
    // keep the best `top` in a small sorted array; a later equal score goes after (stable)
    const len = bestIndex.length;
    if (len >= top && score <= bestScore[len - 1]) continue;
    let pos = len;
    while (pos > 0 && bestScore[pos - 1] < score) pos--;
    bestIndex.splice(pos, 0, i);
    bestScore.splice(pos, 0, score);
    if (bestIndex.length > top) {
      bestIndex.pop();
      bestScore.pop();
    }
  }
  const order = bestIndex.map((_, k) => k);
  // Array.prototype.sort is stable, so equal scores keep catalogue order.
  if (keepAll) order.sort((a, b) => bestScore[b] - bestScore[a]);
  return order.map((k) => toRecommendation(products[bestIndex[k]], bestScore[k], 'content'));
}

/** Options of {@link recommendHybrid}: every weight of the original, by name. */
export interface HybridOptions extends CategoryInterestOptions, ProductScoreOptions {
  /** How many recommendations. Default 10. */
  limit?: number;
  /** The content part fills `floor(limit · contentShare)` places. Default 0.7. */
  contentShare?: number;
  /** The collaborative part adds up to `floor(limit · collaborativeShare)` products. Default 0.3. */
  collaborativeShare?: number;
  /** Score given to a collaborative suggestion (it is then ranked with the rest). Default 0.5. */
  collaborativeScore?: number;
  /**
   * Which product of a popular category the collaborative part suggests, among those not already
   * listed: `'first'` in catalogue order (default), or a seeded pseudo-random one, reproducible
   * for the same seed and inputs. (The original used an unseeded `random.choice`.)
   */
  collaborativePick?: 'first' | { seed: number };
  /** Segment thresholds; see {@link customerSegment}. */
  segment?: SegmentOptions;
}

/** What {@link recommendHybrid} returns. */
export interface HybridResult {
  recommendations: Recommendation[];
  segment: CustomerSegment;
  interest: Map<string, number>;
}

/**
 * The original backend's hybrid recommender as a pure function of the customer's history and
 * `now`: content-based scores fill the first 70 %, then products from the categories most
 * bought by other customers in the same spending segment fill up to 30 % (never repeating a
 * product), and the union is ranked by score (stable).
 *
 * @example
 * const { recommendations } = recommendHybrid(catalogue, { browsing, purchases }, new Date('2024-06-01'), {
 *   customerId: 'c42', peers: buildSegmentPopularity(otherCustomers, new Date('2024-06-01')),
 * });
 */
export function recommendHybrid(
  catalogue: PreparedCatalogue | readonly CatalogueProduct[],
  history: CustomerHistory,
  now: Instant,
  options: HybridOptions & { customerId?: string; peers?: SegmentPopularity } = {},
): HybridResult {
  const nowMs = instantMs(now, 'now');
  const prepared = isPrepared(catalogue) ? catalogue : prepareCatalogue(catalogue);
  const {
    limit = 10,
    contentShare = 0.7,
    collaborativeShare = 0.3,
    collaborativeScore = 0.5,
    collaborativePick = 'first',
  } = options;
  if (!Number.isInteger(limit) || limit < 0) throw new InputError('limit must be a non-negative integer');
  const segment = customerSegment(history.purchases, nowMs, options.segment);
  const interest = categoryInterest(history, segment.averageOrderValue, nowMs, options);
  const content = scoreTop(prepared, interest, segment.segment, options, Math.floor(limit * contentShare));

  const all = content.slice();
  const listed = new Set(all.map((r) => r.productId));
  if (options.peers && segment.segment !== 'Standard') {
    const random = typeof collaborativePick === 'object' ? mulberry32(collaborativePick.seed) : undefined;
    const categories = popularCategories(
      options.peers,
      segment.segment,
      options.customerId,
      Math.floor(limit * collaborativeShare),
    );
    for (const category of categories) {
      if (all.length >= limit) break;
      const candidates = (prepared.byCategory.get(category) ?? []).filter(
        (i) => !listed.has(prepared.products[i].id),
      );
      if (candidates.length === 0) continue;
      const pick = random ? candidates[Math.floor(random() * candidates.length)] : candidates[0];
      const product = prepared.products[pick];
      all.push(toRecommendation(product, collaborativeScore, 'collaborative'));
      listed.add(product.id);
    }
  }
  all.sort((a, b) => b.score - a.score);
  return { recommendations: all.slice(0, limit), segment, interest };
}

function isPrepared(c: PreparedCatalogue | readonly CatalogueProduct[]): c is PreparedCatalogue {
  return !Array.isArray(c) && 'categoryLower' in c;
}

function toRecommendation(p: CatalogueProduct, score: number, source: Recommendation['source']): Recommendation {
  return { productId: p.id, name: p.name, category: p.category, price: p.price, score, source };
}

/** Small, well-known 32-bit PRNG; enough for picking one product per category reproducibly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
