import { InputError } from '../errors.js';
import { instantMs, type Instant } from './customer-events.js';
import type { Recommendation } from './hybrid-recommender.js';

/** One stored recommendation set. */
export interface StoredRecommendationSet {
  /** Epoch ms when it was computed. */
  createdAt: number;
  recommendations: Recommendation[];
}

/**
 * Where recommendation sets live: a database, Redis, or memory. Methods may be sync or async.
 * `list` returns a customer's sets newest first.
 */
export interface RecommendationStore {
  list(customerId: string): StoredRecommendationSet[] | Promise<StoredRecommendationSet[]>;
  /** Adds a set, then keeps only the newest `keep` sets of that customer. */
  add(customerId: string, set: StoredRecommendationSet, keep: number): void | Promise<void>;
  /** Forgets every set of the customer. */
  clear(customerId: string): void | Promise<void>;
}

/**
 * The default store: a `Map` in this process.
 *
 * @example
 * const cache = new RecommendationCache(new InMemoryRecommendationStore());
 */
export class InMemoryRecommendationStore implements RecommendationStore {
  private readonly sets = new Map<string, StoredRecommendationSet[]>();
  list(customerId: string): StoredRecommendationSet[] {
    return (this.sets.get(customerId) ?? []).slice();
  }
  add(customerId: string, set: StoredRecommendationSet, keep: number): void {
    const list = [set, ...(this.sets.get(customerId) ?? [])];
    list.sort((a, b) => b.createdAt - a.createdAt);
    this.sets.set(customerId, list.slice(0, keep));
  }
  clear(customerId: string): void {
    this.sets.delete(customerId);
  }
}

/** Options of {@link RecommendationCache}; defaults are the original backend's. */
export interface RecommendationCacheOptions {
  /** A stored set is reused while younger than this. Default 24 h. */
  maxAgeMs?: number;
  /** Sets kept per customer. Default 5. */
  keepSets?: number;
}

/**
 * Reuses a customer's newest recommendation set while it is under 24 h old, keeps the last 5
 * sets, and forgets them when the customer browses or buys. Time is always passed in.
 *
 * @example
 * const cache = new RecommendationCache();
 * const { recommendations, fromCache } = await cache.get('c42', now, () => recommendHybrid(catalogue, history, now).recommendations);
 * await cache.recordEvent('c42'); // a new browsing or purchase event: next get() recomputes
 */
export class RecommendationCache {
  readonly store: RecommendationStore;
  private readonly maxAgeMs: number;
  private readonly keepSets: number;

  constructor(store: RecommendationStore = new InMemoryRecommendationStore(), options: RecommendationCacheOptions = {}) {
    const { maxAgeMs = 24 * 3_600_000, keepSets = 5 } = options;
    if (!(maxAgeMs >= 0)) throw new InputError('maxAgeMs must be >= 0');
    if (!Number.isInteger(keepSets) || keepSets < 1) throw new InputError('keepSets must be a positive integer');
    this.store = store;
    this.maxAgeMs = maxAgeMs;
    this.keepSets = keepSets;
  }

  /** The newest stored set when fresh at `now`, otherwise a newly computed and stored one. */
  async get(
    customerId: string,
    now: Instant,
    compute: () => Recommendation[] | Promise<Recommendation[]>,
  ): Promise<StoredRecommendationSet & { fromCache: boolean }> {
    const nowMs = instantMs(now, 'now');
    const newest = (await this.store.list(customerId))[0];
    if (newest && nowMs - newest.createdAt < this.maxAgeMs && newest.createdAt <= nowMs) {
      return { ...newest, fromCache: true };
    }
    const set: StoredRecommendationSet = { createdAt: nowMs, recommendations: await compute() };
    await this.store.add(customerId, set, this.keepSets);
    return { ...set, fromCache: false };
  }

  /** A new browsing or purchase event: the customer's stored sets no longer apply. */
  async recordEvent(customerId: string): Promise<void> {
    await this.store.clear(customerId);
  }

  /** The customer's stored sets, newest first (at most `keepSets`). */
  async history(customerId: string): Promise<StoredRecommendationSet[]> {
    return this.store.list(customerId);
  }
}
