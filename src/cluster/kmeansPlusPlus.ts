import { FitError } from '../errors.js';
import { CHUNK, packCentroids } from './assign.js';
import { packedWidth, type RowScorer } from './scorer.js';
import { squaredDistance } from './distance.js';
import { combineBlockSums, largestValue, pairwiseBlocks, pairwiseSum } from './numeric.js';
import type { NumpyRandomState } from './random.js';

const U = 2 ** -53;
const UP = 1 + 16 * U;

/**
 * What k-means++ computed about every row on the way, which settles most of Lloyd's first
 * assignment without computing it again.
 */
export interface SeedDistances {
  /** The centre with the smallest computed squared distance (the earlier one on ties). */
  owner: Int32Array;
  /** That smallest computed squared distance. */
  closest: Float64Array;
  /**
   * At most the computed squared distance to every other centre (where the triangle
   * inequality spared computing one, at most the value it proved that distance exceeds);
   * +Infinity when k = 1.
   */
  second: Float64Array;
  /** Every computed squared distance is within tau of the real one. */
  tau: number;
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`) on centred rows `x` with squared norms
 * `xx`, returning k × cols centres.
 *
 * Every candidate's distances are the same floating-point values as a full evaluation, but
 * with `prune` (the default) a row skips the arithmetic when the triangle inequality proves
 * the candidate cannot beat its current closest distance: if ‖c_own − cand‖ ≥ 2·‖x − c_own‖
 * (with a margin covering the rounding of every term) then the computed distance is at least
 * the current one and `min(closest, d)` is the current one. The potentials, the picks and the
 * centres are therefore identical to `prune: false`.
 *
 * @example
 * const centres = kmeansPlusPlus(createRowScorer(rows, cols, 8), xx, rows, cols, 8, new NumpyRandomState(0));
 */
export function kmeansPlusPlus(
  scorer: RowScorer,
  xx: Float64Array,
  rows: number,
  cols: number,
  k: number,
  rng: NumpyRandomState,
  prune = true,
): Float64Array {
  return seedCentres(scorer, xx, rows, cols, k, rng, prune).centers;
}

/**
 * {@link kmeansPlusPlus}, also returning what it learnt of each row's distances to the centres
 * it chose: the nearest one and a lower bound on the others. Lloyd's first assignment, to
 * these very centres, can then start from them as Hamerly bounds instead of scoring every row.
 *
 * @example
 * const { centers, seeds } = seedCentres(scorer, xx, rows, cols, 8, new NumpyRandomState(0));
 * lloyd(scorer.x, xx, rows, cols, centers, 8, 300, tolAbs, true, seeds);
 */
export function seedCentres(
  scorer: RowScorer,
  xx: Float64Array,
  rows: number,
  cols: number,
  k: number,
  rng: NumpyRandomState,
  prune = true,
): { centers: Float64Array; seeds: SeedDistances } {
  const x = scorer.x;
  const centers = new Float64Array(k * cols);
  const chosen = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.randint(rows);
  chosen[0] = first;
  centers.set(x.subarray(first * cols, (first + 1) * cols), 0);
  const closest = new Float64Array(rows);
  distancesFrom(x, xx, rows, cols, first, closest);
  const owner = new Int32Array(rows);
  const second = new Float64Array(rows).fill(Infinity);
  let pot = pairwiseSum(closest);
  const cumsum = new Float64Array(rows);
  const candidateDist = Array.from({ length: trials }, () => new Float64Array(rows));

  // Every computed distance (or closest value) is within tau of the real squared distance.
  const r = 2 * Math.sqrt(largestValue(xx)) * (1 + (cols + 8) * U);
  const tau = 4 * (cols + 4) * U * r * r * UP + 2 ** -1000;
  // minGap[o] ≤ ‖centre o − candidate t‖² for every candidate t (0 turns pruning off).
  const minGap = new Float64Array(k);
  const gapDown = 1 - 2 * (cols + 8) * U;
  const cand = new Int32Array(trials);
  const zeros = new Float64Array(trials);
  // The rows go block by block as NumPy's pairwise summation splits them, so that each
  // block's share of every potential is summed while its distances are in cache.
  const blocks = pairwiseBlocks(rows);
  const nBlocks = blocks.length - 1;
  const step: CandidateStep = {
    scorer,
    xx,
    cand,
    closest,
    owner,
    minGap,
    tau,
    candidateDist,
    blockSums: Array.from({ length: trials }, () => new Float64Array(nBlocks)),
    spare: new Float64Array(trials % 4 === 0 ? 0 : rows),
    needed: new Int32Array(CHUNK),
    minima: new Float64Array(128),
  };

  runningSum(closest, cumsum);
  for (let c = 1; c < k; c++) {
    for (let t = 0; t < trials; t++) cand[t] = Math.min(searchsortedLeft(cumsum, rng.randomSample() * pot), rows - 1);
    for (let o = 0; o < c; o++) {
      let m = Infinity;
      for (let t = 0; t < trials; t++) {
        const g = prune ? squaredDistance(x, chosen[o] * cols, x, cand[t] * cols, cols) * gapDown : 0;
        if (g < m) m = g;
      }
      minGap[o] = m;
    }
    // All candidates in one pass over the data, CHUNK rows at a time. With c2 = 0 the scorer
    // gives 0 − 2·dot = −2·dot, the same value the plain formula starts from.
    scorer.setCentroids(packCentroids(gatherRows(x, cand, cols), trials, cols, zeros));
    for (let b = 0; b < nBlocks; b++) candidateBlock(step, b, blocks[b], blocks[b + 1] - blocks[b]);
    // Each candidate's potential: NumPy's sum of min(closest, d), as scikit-learn computes it.
    let bestPot = Infinity;
    let bestTrial = -1;
    for (let t = 0; t < trials; t++) {
      const p = combineBlockSums(step.blockSums[t], rows);
      if (p < bestPot) {
        bestPot = p;
        bestTrial = t;
      }
    }
    if (bestTrial === -1) throw new FitError('k-means++: distances are not finite');
    const bestId = cand[bestTrial];
    pot = bestPot;
    adoptCentre(c, candidateDist[bestTrial], closest, second, owner, cumsum);
    chosen[c] = bestId;
    centers.set(x.subarray(bestId * cols, (bestId + 1) * cols), c * cols);
  }
  return { centers, seeds: { owner, closest, second, tau } };
}

// The loops below live in small functions of their own: V8 optimises a long loop while it
// runs, and code after it in the same function would then be compiled without type feedback
// and thrown away on first use.

/** cumsum[i] = a[0] + … + a[i], added in order (NumPy's `cumsum`). */
function runningSum(a: Float64Array, cumsum: Float64Array): void {
  let acc = 0;
  for (let i = 0; i < a.length; i++) cumsum[i] = acc += a[i];
}

/**
 * Centre c joins with computed distances `d`: the rows it is strictly closer to move to it,
 * the others may find in it a nearer second centre; then the running sum for the next draw.
 */
function adoptCentre(c: number, d: Float64Array, closest: Float64Array, second: Float64Array, owner: Int32Array, cumsum: Float64Array): void {
  let acc = 0;
  for (let i = 0; i < d.length; i++) {
    const di = d[i];
    const cl = closest[i];
    if (di < cl) {
      second[i] = cl;
      owner[i] = c;
      closest[i] = di;
      cumsum[i] = acc += di;
    } else {
      if (di < second[i]) second[i] = di;
      cumsum[i] = acc += cl;
    }
  }
}

/** The state one k-means++ step shares between its blocks of rows. */
interface CandidateStep {
  scorer: RowScorer;
  xx: Float64Array;
  cand: Int32Array;
  closest: Float64Array;
  owner: Int32Array;
  minGap: Float64Array;
  tau: number;
  /**
   * Output: the computed squared distance to candidate t per row, or, for a row the triangle
   * inequality settled, its closest distance (which the real one is proven to exceed).
   */
  candidateDist: Float64Array[];
  /** Output: per candidate, the pairwise sum of min(closest, d) over each block of rows. */
  blockSums: Float64Array[];
  /** Where the padding lanes of the last block of four candidates go. */
  spare: Float64Array;
  /** Scratch: the block's rows to score. */
  needed: Int32Array;
  /** Scratch: one candidate's min(closest, d) over the block. */
  minima: Float64Array;
}

/** candidateDist[t][i] for rows first .. first+count), which form pairwise block `block`, and the block's sums. */
function candidateBlock(s: CandidateStep, block: number, first: number, count: number): void {
  const { cand, closest, owner, minGap, tau, candidateDist, needed } = s;
  const trials = cand.length;
  // Rows the triangle inequality cannot settle, listed without a data-dependent branch.
  let n = 0;
  for (let i = first; i < first + count; i++) {
    needed[n] = i;
    n += +!(minGap[owner[i]] > 4 * (closest[i] + tau) * UP);
  }
  if (n > count / 2) {
    // Scoring a few proven rows along costs less than gathering the others; their computed
    // distance is at least the closest one, so the minimum is unchanged.
    n = count;
    for (let q = 0; q < count; q++) needed[q] = first + q;
  } else {
    for (let t = 0; t < trials; t++) candidateDist[t].set(closest.subarray(first, first + count), first);
  }
  if (n > 0) scoreCandidates(s, n);
  for (let t = 0; t < trials; t++) s.blockSums[t][block] = sumOfMinima(closest, candidateDist[t], first, count, s.minima);
}

/** Distances of the `n` rows listed in `needed` to every candidate, into candidateDist. */
function scoreCandidates(s: CandidateStep, n: number): void {
  const { scorer, xx, cand, candidateDist, spare, needed } = s;
  const trials = cand.length;
  scorer.score(0, n, needed);
  const v = scorer.v;
  const width = packedWidth(trials);
  // Four candidates at a time; padding lanes score +Infinity into `spare`.
  for (let t = 0; t < trials; t += 4) {
    const o0 = candidateDist[t];
    const o1 = t + 1 < trials ? candidateDist[t + 1] : spare;
    const o2 = t + 2 < trials ? candidateDist[t + 2] : spare;
    const o3 = t + 3 < trials ? candidateDist[t + 3] : spare;
    const n0 = xx[cand[t]];
    const n1 = t + 1 < trials ? xx[cand[t + 1]] : 0;
    const n2 = t + 2 < trials ? xx[cand[t + 2]] : 0;
    const n3 = t + 3 < trials ? xx[cand[t + 3]] : 0;
    for (let q = 0, vo = t; q < n; q++, vo += width) {
      const i = needed[q];
      const xi = xx[i];
      o0[i] = clipped(v[vo] + n0 + xi);
      o1[i] = clipped(v[vo + 1] + n1 + xi);
      o2[i] = clipped(v[vo + 2] + n2 + xi);
      o3[i] = clipped(v[vo + 3] + n3 + xi);
    }
  }
}

/** NumPy's pairwise sum of min(a[i], b[i]) over one block of at most 128 rows. */
function sumOfMinima(a: Float64Array, b: Float64Array, first: number, count: number, minima: Float64Array): number {
  for (let q = 0, i = first; q < count; q++, i++) {
    const u = a[i];
    const v = b[i];
    minima[q] = v < u ? v : u;
  }
  return pairwiseSum(minima, 0, count);
}

/** max(d, 0), NaN to 0, as scikit-learn's `np.maximum(distances, 0)` after the formula. */
function clipped(d: number): number {
  return d > 0 ? d : 0;
}

function gatherRows(x: Float64Array, ids: Int32Array, cols: number): Float64Array {
  const out = new Float64Array(ids.length * cols);
  ids.forEach((id, t) => out.set(x.subarray(id * cols, (id + 1) * cols), t * cols));
  return out;
}

/** Squared distances from row `r` to every row, as scikit-learn's `_euclidean_distances`. */
function distancesFrom(x: Float64Array, xx: Float64Array, rows: number, cols: number, r: number, out: Float64Array): void {
  const c = x.slice(r * cols, (r + 1) * cols);
  const rn = xx[r];
  // Four rows at a time, each dot product summed in feature order: one row's sum alone is a
  // chain of dependent additions that would leave the processor waiting.
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const a = i * cols;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let f = 0; f < cols; f++) {
      const cf = c[f];
      d0 += x[a + f] * cf;
      d1 += x[a + cols + f] * cf;
      d2 += x[a + 2 * cols + f] * cf;
      d3 += x[a + 3 * cols + f] * cf;
    }
    out[i] = plainDistance(d0, rn, xx[i]);
    out[i + 1] = plainDistance(d1, rn, xx[i + 1]);
    out[i + 2] = plainDistance(d2, rn, xx[i + 2]);
    out[i + 3] = plainDistance(d3, rn, xx[i + 3]);
  }
  for (; i < rows; i++) {
    let d0 = 0;
    for (let f = 0; f < cols; f++) d0 += x[i * cols + f] * c[f];
    out[i] = plainDistance(d0, rn, xx[i]);
  }
}

/** −2·dot + ‖c‖² + ‖x‖², left to right as the plain formula adds them, clipped at 0. */
function plainDistance(dot: number, cn: number, xn: number): number {
  return clipped(-2 * dot + cn + xn);
}

/** First index i with sorted[i] ≥ value (numpy `searchsorted(side='left')`). */
function searchsortedLeft(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
