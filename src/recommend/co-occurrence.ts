import { InputError } from '../errors.js';
import { runSteps, runStepsAsync, type CancellableOptions, type Steps } from '../steps.js';
import { DAY_MS, instantMs, type Instant } from './customer-events.js';

/** One user–item event, e.g. a purchase line. */
export interface Interaction {
  user: string;
  item: string;
  /** Needed only with time decay. */
  timestamp?: Instant;
  /** Strength of the event (a rating, a quantity...). Default 1. */
  weight?: number;
}

/** How item–item co-occurrence counts become similarities. */
export type ItemSimilarity = 'jaccard' | 'lift' | 'counts';

/** Options of {@link fitCoOccurrence}. */
export interface CoOccurrenceOptions {
  /** Default `'jaccard'`: c_ij / (c_ii + c_jj − c_ij); `'lift'`: c_ij / (c_ii · c_jj); `'counts'`: c_ij. */
  similarity?: ItemSimilarity;
  /** Co-occurrence counts below this are dropped before computing similarity. Default 1. */
  minCount?: number;
  /** With a half-life, affinity = Σ w · 0.5^((now − t) / halfLife); without, Σ w. */
  halfLifeDays?: number;
  /** The reference time of the decay; required with `halfLifeDays`. */
  now?: Instant;
}

/** Compressed sparse rows: row r's entries are `indices/values[indptr[r] .. indptr[r+1])`. */
export interface SparseRows {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** A fitted SAR-style item co-occurrence model. */
export interface CoOccurrenceModel {
  readonly users: readonly string[];
  readonly items: readonly string[];
  readonly userIndex: ReadonlyMap<string, number>;
  readonly itemIndex: ReadonlyMap<string, number>;
  /** users × items, time-decayed affinity; columns sorted within each row. */
  readonly affinity: SparseRows;
  /** items × items similarity (including each item with itself). */
  readonly similarity: SparseRows;
  /** Number of distinct users per item (the co-occurrence diagonal before thresholding). */
  readonly itemUsers: Int32Array;
  /** Item indices, most users first (ties: first seen first). */
  readonly popularity: Int32Array;
}

/** A scored item. */
export interface ItemScore {
  item: string;
  score: number;
}

/**
 * Fits an item co-occurrence recommender in the manner of Microsoft Recommenders' SAR:
 * a (time-decayed) user–item affinity matrix A, an item–item co-occurrence matrix C = BᵀB from
 * the binary "user has the item" matrix B with counts below `minCount` dropped, and a similarity
 * S from C. Recommendation scores are A·S. Everything is sparse: memory and time grow with the
 * number of events and co-occurring pairs, not users × items.
 *
 * @example
 * const model = fitCoOccurrence(
 *   [{ user: 'u1', item: 'a' }, { user: 'u1', item: 'b' }, { user: 'u2', item: 'a' }],
 *   { similarity: 'jaccard' },
 * );
 * recommendItems(model, 'u2', { k: 1 }) // => [{ item: 'b', score: 0.5 }]
 */
export function fitCoOccurrence(interactions: readonly Interaction[], options: CoOccurrenceOptions = {}): CoOccurrenceModel {
  return runSteps(fitCoOccurrenceSteps(interactions, options));
}

/**
 * {@link fitCoOccurrence} that yields to the event loop after reading the events and after
 * every 1,024 items of the co-occurrence pass, reports progress in those steps, and rejects
 * with an `AbortedError` when `signal` aborts. Same model as the synchronous form.
 *
 * @example
 * const model = await fitCoOccurrenceAsync(events, { similarity: 'lift', signal: AbortSignal.timeout(5_000) });
 */
export function fitCoOccurrenceAsync(interactions: readonly Interaction[], options: CoOccurrenceOptions & CancellableOptions = {}): Promise<CoOccurrenceModel> {
  return runStepsAsync(fitCoOccurrenceSteps(interactions, options), 'fitCoOccurrence', options);
}

/** Items per step of the co-occurrence pass: about a millisecond of work on the benchmark's data. */
const ITEMS_PER_STEP = 1024;

function* fitCoOccurrenceSteps(interactions: readonly Interaction[], options: CoOccurrenceOptions): Steps<CoOccurrenceModel> {
  const { similarity = 'jaccard', minCount = 1, halfLifeDays } = options;
  if (similarity !== 'jaccard' && similarity !== 'lift' && similarity !== 'counts') {
    throw new InputError(`unknown similarity '${String(similarity)}' (jaccard, lift or counts)`);
  }
  if (!(minCount >= 1)) throw new InputError('minCount must be >= 1');
  let nowMs = 0;
  let halfLifeMs = 0;
  if (halfLifeDays !== undefined) {
    if (!(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) throw new InputError('halfLifeDays must be a positive number');
    if (options.now === undefined) throw new InputError('time decay needs an explicit now');
    nowMs = instantMs(options.now, 'now');
    halfLifeMs = halfLifeDays * DAY_MS;
  }

  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const users: string[] = [];
  const items: string[] = [];
  const n = interactions.length;
  const rowOf = new Int32Array(n);
  const colOf = new Int32Array(n);
  const weightOf = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const { user, item, weight = 1 } = interactions[e];
    if (typeof user !== 'string' || typeof item !== 'string') throw new InputError(`interaction ${e}: user and item must be strings`);
    if (!Number.isFinite(weight)) throw new InputError(`interaction ${e}: weight must be a finite number`);
    let u = userIndex.get(user);
    if (u === undefined) userIndex.set(user, (u = users.push(user) - 1));
    let i = itemIndex.get(item);
    if (i === undefined) itemIndex.set(item, (i = items.push(item) - 1));
    rowOf[e] = u;
    colOf[e] = i;
    let w = weight;
    if (halfLifeDays !== undefined) {
      const ts = interactions[e].timestamp;
      if (ts === undefined) throw new InputError(`interaction ${e}: time decay needs a timestamp`);
      w *= Math.pow(0.5, (nowMs - instantMs(ts, `interaction ${e} timestamp`)) / halfLifeMs);
    }
    weightOf[e] = w;
  }
  const numUsers = users.length;
  const numItems = items.length;
  const totalSteps = 1 + Math.ceil(numItems / ITEMS_PER_STEP);
  yield { done: 1, total: totalSteps };

  // Affinity, users × items: bucket events by user, then merge duplicate items per row.
  const rowStart = new Int32Array(numUsers + 1);
  for (let e = 0; e < n; e++) rowStart[rowOf[e] + 1]++;
  for (let u = 0; u < numUsers; u++) rowStart[u + 1] += rowStart[u];
  const fill = rowStart.slice(0, numUsers);
  const byUser = new Int32Array(n);
  for (let e = 0; e < n; e++) byUser[fill[rowOf[e]]++] = e;
  const acc = new Float64Array(numItems);
  const mark = new Int32Array(numItems).fill(-1);
  const aIndptr = new Int32Array(numUsers + 1);
  const aIndices: number[] = [];
  const aValues: number[] = [];
  const touched: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    touched.length = 0;
    for (let p = rowStart[u]; p < rowStart[u + 1]; p++) {
      const e = byUser[p];
      const i = colOf[e];
      if (mark[i] !== u) {
        mark[i] = u;
        acc[i] = 0;
        touched.push(i);
      }
      acc[i] += weightOf[e];
    }
    touched.sort((x, y) => x - y);
    for (const i of touched) {
      aIndices.push(i);
      aValues.push(acc[i]);
    }
    aIndptr[u + 1] = aIndices.length;
  }
  const affinity: SparseRows = { indptr: aIndptr, indices: Int32Array.from(aIndices), values: Float64Array.from(aValues) };

  // Item → users (the transpose of the binary pattern of A).
  const itemUsers = new Int32Array(numItems);
  for (const i of affinity.indices) itemUsers[i]++;
  const cStart = new Int32Array(numItems + 1);
  for (let i = 0; i < numItems; i++) cStart[i + 1] = cStart[i] + itemUsers[i];
  const cFill = cStart.slice(0, numItems);
  const usersOfItem = new Int32Array(affinity.indices.length);
  for (let u = 0; u < numUsers; u++) {
    for (let p = aIndptr[u]; p < aIndptr[u + 1]; p++) usersOfItem[cFill[affinity.indices[p]]++] = u;
  }

  // Co-occurrence row by row (Gustavson), converted straight to similarity.
  const count = new Int32Array(numItems);
  mark.fill(-1);
  const sIndptr = new Int32Array(numItems + 1);
  let sIndices = new Int32Array(Math.max(16, affinity.indices.length * 4));
  let sValues = new Float64Array(sIndices.length);
  let nnz = 0;
  for (let i = 0; i < numItems; i++) {
    if (i > 0 && i % ITEMS_PER_STEP === 0) yield { done: 1 + i / ITEMS_PER_STEP, total: totalSteps };
    touched.length = 0;
    for (let p = cStart[i]; p < cStart[i + 1]; p++) {
      const u = usersOfItem[p];
      for (let q = aIndptr[u]; q < aIndptr[u + 1]; q++) {
        const j = affinity.indices[q];
        if (mark[j] !== i) {
          mark[j] = i;
          count[j] = 0;
          touched.push(j);
        }
        count[j]++;
      }
    }
    if (nnz + touched.length > sIndices.length) {
      const size = Math.max(sIndices.length * 2, nnz + touched.length);
      const grownI = new Int32Array(size);
      grownI.set(sIndices.subarray(0, nnz));
      const grownV = new Float64Array(size);
      grownV.set(sValues.subarray(0, nnz));
      sIndices = grownI;
      sValues = grownV;
    }
    const cii = itemUsers[i];
    for (const j of touched) {
      const cij = count[j];
      if (cij < minCount) continue;
      const cjj = itemUsers[j];
      sIndices[nnz] = j;
      sValues[nnz] = similarity === 'jaccard' ? cij / (cii + cjj - cij) : similarity === 'lift' ? cij / (cii * cjj) : cij;
      nnz++;
    }
    sIndptr[i + 1] = nnz;
  }
  const similarityRows: SparseRows = { indptr: sIndptr, indices: sIndices.slice(0, nnz), values: sValues.slice(0, nnz) };

  const order = Array.from({ length: numItems }, (_, i) => i).sort((x, y) => itemUsers[y] - itemUsers[x] || x - y);
  if (numItems > 0) yield { done: totalSteps, total: totalSteps };
  return {
    users,
    items,
    userIndex,
    itemIndex,
    affinity,
    similarity: similarityRows,
    itemUsers,
    popularity: Int32Array.from(order),
  };
}

/** Options of {@link recommendItems}. */
export interface RecommendItemsOptions {
  /** How many items. Default 10. */
  k?: number;
  /** Leave out items the user already has. Default true. */
  excludeSeen?: boolean;
}

/**
 * The top-k items for a user by score = (user's affinity row) · S, best first, ties to the
 * first-seen item. Only items with a positive score are returned. A user the model never saw
 * gets the most popular items (by number of users) instead, each scored by that count.
 *
 * @example
 * recommendItems(model, 'u2', { k: 5 }) // => [{ item: 'b', score: 0.5 }, ...]
 */
export function recommendItems(model: CoOccurrenceModel, user: string, options: RecommendItemsOptions = {}): ItemScore[] {
  return new Scorer(model).recommend(user, options);
}

/**
 * {@link recommendItems} for many users (default: every user in the model), sharing one
 * scratch buffer.
 *
 * @example
 * const all = recommendItemsForAll(model, { k: 10 }); // Map { 'u1' => [...], ... }
 */
export function recommendItemsForAll(
  model: CoOccurrenceModel,
  options: RecommendItemsOptions & { users?: Iterable<string> } = {},
): Map<string, ItemScore[]> {
  const scorer = new Scorer(model);
  const out = new Map<string, ItemScore[]>();
  for (const user of options.users ?? model.users) out.set(user, scorer.recommend(user, options));
  return out;
}

/**
 * The popularity baseline: the most-bought items (by number of users), optionally without the
 * user's own. Also the cold-start fallback of {@link recommendItems}.
 *
 * @example
 * popularItems(model, { k: 3 }) // => [{ item: 'a', score: 2 }, ...]
 */
export function popularItems(model: CoOccurrenceModel, options: RecommendItemsOptions & { user?: string } = {}): ItemScore[] {
  const { k = 10, excludeSeen = true } = options;
  checkK(k);
  const u = options.user === undefined ? undefined : model.userIndex.get(options.user);
  const seen = new Set<number>();
  if (u !== undefined && excludeSeen) {
    for (let p = model.affinity.indptr[u]; p < model.affinity.indptr[u + 1]; p++) seen.add(model.affinity.indices[p]);
  }
  const out: ItemScore[] = [];
  for (const i of model.popularity) {
    if (out.length >= k) break;
    if (seen.has(i)) continue;
    out.push({ item: model.items[i], score: model.itemUsers[i] });
  }
  return out;
}

/**
 * Items most similar to one item, by the model's similarity, excluding the item itself.
 *
 * @example
 * similarItems(model, 'a', { k: 5 }) // => [{ item: 'b', score: 0.5 }]
 */
export function similarItems(model: CoOccurrenceModel, item: string, options: { k?: number } = {}): ItemScore[] {
  const { k = 10 } = options;
  checkK(k);
  const i = model.itemIndex.get(item);
  if (i === undefined) return [];
  const { indptr, indices, values } = model.similarity;
  const entries: [number, number][] = [];
  for (let p = indptr[i]; p < indptr[i + 1]; p++) if (indices[p] !== i && values[p] > 0) entries.push([indices[p], values[p]]);
  entries.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  return entries.slice(0, k).map(([j, s]) => ({ item: model.items[j], score: s }));
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new InputError('k must be a non-negative integer');
}

class Scorer {
  private readonly scores: Float64Array;
  private readonly mark: Int32Array;
  private stamp = 0;
  constructor(private readonly model: CoOccurrenceModel) {
    this.scores = new Float64Array(model.items.length);
    this.mark = new Int32Array(model.items.length);
  }

  recommend(user: string, options: RecommendItemsOptions): ItemScore[] {
    const { k = 10, excludeSeen = true } = options;
    checkK(k);
    const { model, scores, mark } = this;
    const u = model.userIndex.get(user);
    if (u === undefined) return popularItems(model, { k });
    const stamp = ++this.stamp;
    const touched: number[] = [];
    const { indptr: aPtr, indices: aIdx, values: aVal } = model.affinity;
    const { indptr: sPtr, indices: sIdx, values: sVal } = model.similarity;
    for (let p = aPtr[u]; p < aPtr[u + 1]; p++) {
      const i = aIdx[p];
      const a = aVal[p];
      for (let q = sPtr[i]; q < sPtr[i + 1]; q++) {
        const j = sIdx[q];
        if (mark[j] !== stamp) {
          mark[j] = stamp;
          scores[j] = 0;
          touched.push(j);
        }
        scores[j] += a * sVal[q];
      }
    }
    if (excludeSeen) for (let p = aPtr[u]; p < aPtr[u + 1]; p++) mark[aIdx[p]] = stamp - 1 || -1;
    // keep the k best in a small sorted array (k is small; most candidates are rejected at once)
    const topItems: number[] = [];
    const topScores: number[] = [];
    for (const j of touched) {
      if (mark[j] !== stamp) continue;
      const s = scores[j];
      if (!(s > 0)) continue;
      const len = topItems.length;
      if (len === k && (s < topScores[len - 1] || (s === topScores[len - 1] && j > topItems[len - 1]))) continue;
      let pos = len;
      while (pos > 0 && (topScores[pos - 1] < s || (topScores[pos - 1] === s && topItems[pos - 1] > j))) pos--;
      topItems.splice(pos, 0, j);
      topScores.splice(pos, 0, s);
      if (topItems.length > k) {
        topItems.pop();
        topScores.pop();
      }
    }
    return topItems.map((j, r) => ({ item: model.items[j], score: topScores[r] }));
  }
}
