import { InputError } from '../errors.js';

/** Relevant items per user (the held-out truth). */
export type RelevantItems = ReadonlyMap<string, Iterable<string>>;
/** Recommended items per user, best first. */
export type RankedItems = ReadonlyMap<string, readonly string[]>;

/** The four ranking metrics at one cut-off, averaged over evaluated users. */
export interface RankingMetrics {
  k: number;
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  /** Users in both the truth and the recommendations: the denominator of every average. */
  users: number;
}

/**
 * Precision@k, recall@k, NDCG@k and MAP@k as Microsoft Recommenders' `python_evaluation`
 * defines them (`relevancy_method='top_k'`, binary relevance), over the users present in
 * both `relevant` and `recommended` (as its `merge_ranking_true_pred` does). Per user, with
 * `hits` the relevant items among the first k recommended, at 1-based ranks r₁ < r₂ < …:
 * - precision = |hits| / k (even when fewer than k items were recommended);
 * - recall = |hits| / |relevant|;
 * - NDCG = Σ 1/log₂(1 + rᵢ) ÷ Σ_{j=1..min(|relevant|, k)} 1/log₂(1 + j) (the log base cancels);
 * - MAP@k: AP = Σᵢ (i / rᵢ) ÷ min(|relevant|, k) (`map_at_k`, Spark's definition).
 * Each is the mean over users (0 for a user without hits). A user's recommendation list with a
 * repeated item is an {@link InputError}. One difference: Recommenders' `ndcg_at_k` also counts
 * users who are only in the truth (as 0); here every metric uses the same users.
 *
 * @example
 * rankingMetrics(new Map([['u', ['a', 'c']]]), new Map([['u', ['a', 'b', 'c']]]), 3)
 * // => { k: 3, precision: 2/3, recall: 1, ndcg: (1 + 1/log2(4)) / (1 + 1/log2(3)), map: (1/1 + 2/3) / 2, users: 1 }
 */
export function rankingMetrics(relevant: RelevantItems, recommended: RankedItems, k: number): RankingMetrics {
  if (!Number.isInteger(k) || k < 1) throw new InputError('k must be a positive integer');
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  for (const [user, ranked] of recommended) {
    const truthIterable = relevant.get(user);
    if (truthIterable === undefined) continue;
    const truth = new Set(truthIterable);
    if (truth.size === 0) continue; // a user with no relevant item is not in the truth table
    users++;
    const seen = new Set<string>();
    let hits = 0;
    let dcg = 0;
    let ap = 0;
    for (let r = 1; r <= ranked.length; r++) {
      const item = ranked[r - 1];
      if (seen.has(item)) throw new InputError(`recommendations for user ${user} repeat item ${item}`);
      seen.add(item);
      if (r > k || !truth.has(item)) continue;
      hits++;
      dcg += 1 / Math.log2(1 + r);
      ap += hits / r;
    }
    if (hits === 0) continue;
    let idcg = 0;
    const ideal = Math.min(truth.size, k);
    for (let j = 1; j <= ideal; j++) idcg += 1 / Math.log2(1 + j);
    precision += hits / k;
    recall += hits / truth.size;
    ndcg += dcg / idcg;
    map += ap / ideal;
  }
  if (users === 0) return { k, precision: 0, recall: 0, ndcg: 0, map: 0, users: 0 };
  return { k, precision: precision / users, recall: recall / users, ndcg: ndcg / users, map: map / users, users };
}

/**
 * Precision@k alone; see {@link rankingMetrics}.
 *
 * @example
 * precisionAtK(new Map([['u', ['a']]]), new Map([['u', ['a', 'b']]]), 2) // => 0.5
 */
export function precisionAtK(relevant: RelevantItems, recommended: RankedItems, k: number): number {
  return rankingMetrics(relevant, recommended, k).precision;
}

/**
 * Recall@k alone; see {@link rankingMetrics}.
 *
 * @example
 * recallAtK(new Map([['u', ['a', 'z']]]), new Map([['u', ['a', 'b']]]), 2) // => 0.5
 */
export function recallAtK(relevant: RelevantItems, recommended: RankedItems, k: number): number {
  return rankingMetrics(relevant, recommended, k).recall;
}

/**
 * NDCG@k (binary relevance) alone; see {@link rankingMetrics}.
 *
 * @example
 * ndcgAtK(new Map([['u', ['b']]]), new Map([['u', ['a', 'b']]]), 2) // => 1 / Math.log2(3)
 */
export function ndcgAtK(relevant: RelevantItems, recommended: RankedItems, k: number): number {
  return rankingMetrics(relevant, recommended, k).ndcg;
}

/**
 * MAP@k alone; see {@link rankingMetrics}.
 *
 * @example
 * mapAtK(new Map([['u', ['b']]]), new Map([['u', ['a', 'b']]]), 2) // => 0.5
 */
export function mapAtK(relevant: RelevantItems, recommended: RankedItems, k: number): number {
  return rankingMetrics(relevant, recommended, k).map;
}
