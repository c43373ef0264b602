import { FitError } from '../errors.js';
import { CHUNK, packCentroids, type PackedCentroids } from './assign.js';
import { packedWidth, type RowScorer } from './scorer.js';
import { squaredDistance } from './distance.js';
import { pairwiseSum } from './numeric.js';
import type { NumpyRandomState } from './random.js';

const U = 2 ** -53;
const UP = 1 + 16 * U;

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
  const x = scorer.x;
  const centers = new Float64Array(k * cols);
  const chosen = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.randint(rows);
  chosen[0] = first;
  centers.set(x.subarray(first * cols, (first + 1) * cols), 0);
  const closest = new Float64Array(rows);
  distancesFrom(scorer, xx, rows, cols, first, closest);
  const owner = new Int32Array(rows);
  let pot = pairwiseSum(closest);
  const cumsum = new Float64Array(rows);
  const candidateDist = Array.from({ length: trials }, () => new Float64Array(rows));

  let maxSq = 0;
  for (let i = 0; i < rows; i++) if (xx[i] > maxSq) maxSq = xx[i];
  // Every computed distance (or closest value) is within tau of the real squared distance.
  const r = 2 * Math.sqrt(maxSq) * (1 + (cols + 8) * U);
  const tau = prune ? 4 * (cols + 4) * U * r * r * UP + 2 ** -1000 : 0;
  // minGap[o] ≤ ‖centre o − candidate t‖² for every candidate t.
  const minGap = new Float64Array(k);
  const gapDown = 1 - 2 * (cols + 8) * U;
  const cand = new Int32Array(trials);
  const zeros = new Float64Array(trials);
  const needed = new Int32Array(CHUNK);

  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < rows; i++) cumsum[i] = acc += closest[i];
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
    const packed = packCentroids(gatherRows(x, cand, cols), trials, cols, zeros);
    scorer.setCentroids(packed);
    for (let first = 0; first < rows; first += CHUNK) {
      const count = Math.min(CHUNK, rows - first);
      candidateChunk(scorer, packed, xx, first, count, cand, closest, owner, minGap, tau, candidateDist, needed);
    }
    let bestPot = Infinity;
    let bestTrial = -1;
    for (let t = 0; t < trials; t++) {
      const p = pairwiseSum(candidateDist[t]);
      if (p < bestPot) {
        bestPot = p;
        bestTrial = t;
      }
    }
    if (bestTrial === -1) throw new FitError('k-means++: distances are not finite');
    const bestId = cand[bestTrial];
    pot = bestPot;
    const win = candidateDist[bestTrial];
    for (let i = 0; i < rows; i++) {
      if (win[i] < closest[i]) {
        owner[i] = c;
        closest[i] = win[i];
      }
    }
    chosen[c] = bestId;
    centers.set(x.subarray(bestId * cols, (bestId + 1) * cols), c * cols);
  }
  return centers;
}

/** candidateDist[t][i] = min(closest[i], d(x_i, candidate t)) for rows first .. first+count). */
function candidateChunk(
  scorer: RowScorer,
  packed: PackedCentroids,
  xx: Float64Array,
  first: number,
  count: number,
  cand: Int32Array,
  closest: Float64Array,
  owner: Int32Array,
  minGap: Float64Array,
  tau: number,
  candidateDist: Float64Array[],
  needed: Int32Array,
): void {
  const { v } = scorer;
  const trials = cand.length;
  const width = packedWidth(trials);
  let nNeeded = 0;
  for (let i = first; i < first + count; i++) {
    if (minGap[owner[i]] > 4 * (closest[i] + tau) * UP) {
      const cl = closest[i];
      for (let t = 0; t < trials; t++) candidateDist[t][i] = cl;
    } else needed[nNeeded++] = i;
  }
  if (nNeeded === 0) return;
  // Scoring a few proven rows along costs less than gathering the others; their computed
  // distance is at least the closest one, so the minimum is unchanged.
  const contiguous = nNeeded > count / 2;
  if (contiguous) scorer.score(first, count);
  else scorer.score(0, nNeeded, needed);
  const n = contiguous ? count : nNeeded;
  for (let t = 0; t < trials; t++) {
    const out = candidateDist[t];
    const xc = xx[cand[t]];
    for (let q = 0, vo = t; q < n; q++, vo += width) {
      const i = contiguous ? first + q : needed[q];
      let d = v[vo] + xc + xx[i];
      if (!(d > 0)) d = 0;
      const cl = closest[i];
      out[i] = cl < d ? cl : d;
    }
  }
}

function gatherRows(x: Float64Array, ids: Int32Array, cols: number): Float64Array {
  const out = new Float64Array(ids.length * cols);
  ids.forEach((id, t) => out.set(x.subarray(id * cols, (id + 1) * cols), t * cols));
  return out;
}

/** Squared distances from row `r` to every row, as scikit-learn's `_euclidean_distances`. */
function distancesFrom(scorer: RowScorer, xx: Float64Array, rows: number, cols: number, r: number, out: Float64Array): void {
  const x = scorer.x;
  // With ‖c‖² = 0 the scorer gives −2·dot, exactly the plain formula's first term.
  scorer.setCentroids(packCentroids(x.slice(r * cols, (r + 1) * cols), 1, cols, new Float64Array(1)));
  const { v } = scorer;
  const width = packedWidth(1);
  const rn = xx[r];
  for (let first = 0; first < rows; first += CHUNK) {
    const count = Math.min(CHUNK, rows - first);
    scorer.score(first, count);
    for (let q = 0; q < count; q++) {
      const d = v[q * width] + rn + xx[first + q];
      out[first + q] = d > 0 ? d : 0;
    }
  }
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
