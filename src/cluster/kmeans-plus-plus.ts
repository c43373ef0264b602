import { FitError } from '../errors.js';
import { packedWidth, type RowScorer } from './scorer.js';
import type { SimdKernels } from './simd-kernels.js';
import { squaredDistance } from './distance.js';
import { combineBlockSums, largestValue, pairwiseBlocks, pairwiseSum } from './numeric.js';
import type { NumpyRandomState } from './random.js';
import { U, UP } from './rounding.js';

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
 * The first k-means++ centre, drawn by the caller (`rng.randint(rows)`, the draw
 * {@link seedCentres} would make first) with every row's squared distance to it, as
 * {@link distancesToRow} computes them; lets the caller compute them while centring the data.
 */
export interface FirstCentre {
  row: number;
  distances: Float64Array;
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
 * With `start`, the caller has already drawn the first centre and computed the distances to
 * it (see {@link FirstCentre}); the result is the same.
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
  start?: FirstCentre,
): { centers: Float64Array; seeds: SeedDistances } {
  const x = scorer.x;
  // The arrays the scoring kernel touches live in the scorer's memory, for its SIMD version.
  const memory = scorer.memory;
  if (memory.buffer !== null && !memory.holds(xx)) {
    const copy = memory.f64(rows);
    copy.set(xx);
    xx = copy;
  }
  const centers = new Float64Array(k * cols);
  const chosen = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const first = start === undefined ? rng.randint(rows) : start.row;
  chosen[0] = first;
  centers.set(x.subarray(first * cols, (first + 1) * cols), 0);
  let closest: Float64Array;
  if (start === undefined) {
    closest = memory.f64(rows);
    distancesToRow(x, xx, cols, x.slice(first * cols, (first + 1) * cols), xx[first], closest, 0, rows);
  } else if (memory.buffer !== null && !memory.holds(start.distances)) {
    closest = memory.f64(rows);
    closest.set(start.distances);
  } else closest = start.distances;
  const owner = memory.i32(rows);
  const second = memory.f64(rows).fill(Infinity);
  let pot = pairwiseSum(closest);
  const cumsum = memory.f64(rows);
  const candidateDist = Array.from({ length: trials }, () => memory.f64(rows));

  // Every computed distance (or closest value) is within tau of the real squared distance.
  const r = 2 * Math.sqrt(largestValue(xx)) * (1 + (cols + 8) * U);
  const tau = 4 * (cols + 4) * U * r * r * UP + 2 ** -1000;
  // minGap[o] ≤ ‖centre o − candidate t‖² for every candidate t (0 turns pruning off).
  // (Its last entry holds tau, for the kernels.)
  const minGap = memory.f64(k + 1);
  minGap[k] = tau;
  const gapDown = 1 - 2 * (cols + 8) * U;
  const cand = new Int32Array(trials);
  const width = packedWidth(trials);
  // The rows go block by block as NumPy's pairwise summation splits them, so that each
  // block's share of every potential is summed while its distances are in cache.
  const blocks = pairwiseBlocks(rows);
  const nBlocks = blocks.length - 1;
  // Per lane (blocks of four candidates, padding lanes zero): the candidates feature-major,
  // their squared norms, and where their distances go (padding lanes to one throw-away array).
  const packed = memory.f64(width * cols);
  const candNorm = memory.f64(width);
  const spare = memory.f64(trials === width ? 0 : rows);
  const lanes = Array.from({ length: width }, (_, t) => (t < trials ? candidateDist[t] : spare));
  const blockSums = Array.from({ length: trials }, () => new Float64Array(nBlocks));
  const needed = memory.i32(128);
  const minima = memory.f64(128 * width);
  const kernels = [xx, closest, owner, minGap, packed, candNorm, needed, minima, ...lanes].every((a) => memory.holds(a)) ? memory.kernels : null;
  const adoptKernel = kernels !== null && [owner, second, cumsum].every((a) => memory.holds(a)) ? kernels : null;

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
    // All candidates in one pass over the data, one pairwise block at a time.
    packCandidates(x, cols, cand, xx, packed, candNorm);
    scoreCandidates(x, xx, cols, trials, closest, owner, minGap, tau, packed, candNorm, lanes, needed, minima, blocks, blockSums, kernels);
    // Each candidate's potential: NumPy's sum of min(closest, d), as scikit-learn computes it.
    let bestPot = Infinity;
    let bestTrial = -1;
    for (let t = 0; t < trials; t++) {
      const p = combineBlockSums(blockSums[t], rows);
      if (p < bestPot) {
        bestPot = p;
        bestTrial = t;
      }
    }
    if (bestTrial === -1) throw new FitError('k-means++: distances are not finite');
    const bestId = cand[bestTrial];
    pot = bestPot;
    const d = candidateDist[bestTrial];
    if (adoptKernel !== null) adoptKernel.adopt(c, rows, d.byteOffset, closest.byteOffset, second.byteOffset, owner.byteOffset, cumsum.byteOffset);
    else adoptCentre(c, d, closest, second, owner, cumsum);
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

/** Packs the candidate rows for {@link scoreFour}, with their squared norms. */
function packCandidates(x: Float64Array, cols: number, cand: Int32Array, xx: Float64Array, packed: Float64Array, candNorm: Float64Array): void {
  for (let t = 0; t < cand.length; t++) {
    const base = (t - (t & 3)) * cols + (t & 3);
    const row = cand[t] * cols;
    for (let f = 0; f < cols; f++) packed[base + 4 * f] = x[row + f];
    candNorm[t] = xx[cand[t]];
  }
}

/** Every block's share of every candidate's potential, with the lanes' distances on the way. */
function scoreCandidates(
  x: Float64Array,
  xx: Float64Array,
  cols: number,
  trials: number,
  closest: Float64Array,
  owner: Int32Array,
  minGap: Float64Array,
  tau: number,
  packed: Float64Array,
  candNorm: Float64Array,
  lanes: Float64Array[],
  needed: Int32Array,
  minima: Float64Array,
  blocks: Int32Array,
  blockSums: Float64Array[],
  kernels: SimdKernels | null,
): void {
  for (let b = 0; b + 1 < blocks.length; b++) {
    const from = blocks[b];
    const count = blocks[b + 1] - from;
    candidateBlock(x, xx, cols, trials, closest, owner, minGap, tau, packed, candNorm, lanes, needed, minima, from, count, kernels);
    for (let t = 0; t < trials; t++) blockSums[t][b] = pairwiseSum(minima, t * 128, count);
  }
}

// The functions below take typed arrays and numbers, not objects: V8 compiles object field
// accesses against the objects' hidden classes, which change from one fit to the next, and
// would throw the compiled code away.

/**
 * For rows first .. first+count), one of NumPy's pairwise blocks: each lane's distances
 * (or, for a row the triangle inequality settled, its closest distance, which the real one
 * is proven to exceed), and min(closest, distance) at minima[lane · 128 + row − first].
 */
function candidateBlock(
  x: Float64Array,
  xx: Float64Array,
  cols: number,
  trials: number,
  closest: Float64Array,
  owner: Int32Array,
  minGap: Float64Array,
  tau: number,
  packed: Float64Array,
  candNorm: Float64Array,
  lanes: Float64Array[],
  needed: Int32Array,
  minima: Float64Array,
  first: number,
  count: number,
  kernels: SimdKernels | null,
): void {
  // Rows the triangle inequality cannot settle, listed without a data-dependent branch.
  let n = 0;
  if (kernels !== null) n = kernels.listNeeded(owner.byteOffset, closest.byteOffset, minGap.byteOffset, minGap.length - 1, first, count, needed.byteOffset);
  else {
    for (let i = first; i < first + count; i++) {
      needed[n] = i;
      n += +!(minGap[owner[i]] > 4 * (closest[i] + tau) * UP);
    }
  }
  if (n > count / 2) {
    // Scoring a few proven rows along costs less than gathering the others; their computed
    // distance is at least the closest one, so the minimum is unchanged.
    n = count;
    for (let q = 0; q < count; q++) needed[q] = first + q;
  } else {
    const settled = closest.subarray(first, first + count);
    for (let t = 0; t < trials; t++) {
      lanes[t].set(settled, first);
      minima.set(settled, t * 128);
    }
  }
  for (let g = 0; g < trials; g += 4) {
    if (kernels !== null) {
      kernels.candidates(
        x.byteOffset, xx.byteOffset, closest.byteOffset, needed.byteOffset, n,
        packed.byteOffset + 8 * g * cols, candNorm.byteOffset + 8 * g,
        lanes[g].byteOffset, lanes[g + 1].byteOffset, lanes[g + 2].byteOffset, lanes[g + 3].byteOffset,
        minima.byteOffset + 8 * (g * 128 - first),
      );
    } else scoreFour(x, xx, cols, closest, needed, n, first, packed, g, candNorm, lanes[g], lanes[g + 1], lanes[g + 2], lanes[g + 3], minima);
  }
}

/**
 * For the `n` rows listed in `needed` (all in the block starting at `first`) and the four
 * lanes from `g` (the candidates packed from `g · cols` in `packed`, their distances going
 * to l0 .. l3): the squared distance −2·x·c + ‖c‖² + ‖x‖², added left to right and clipped
 * at 0 as scikit-learn's `_euclidean_distances`, into the lanes, and its minimum with the
 * row's closest distance into `minima`. Four rows at a time: each candidate value loaded
 * once feeds four rows, and sixteen independent sums keep the multipliers busy; each dot
 * product is still summed in feature order.
 */
function scoreFour(
  x: Float64Array,
  xx: Float64Array,
  cols: number,
  closest: Float64Array,
  needed: Int32Array,
  n: number,
  first: number,
  packed: Float64Array,
  g: number,
  candNorm: Float64Array,
  l0: Float64Array,
  l1: Float64Array,
  l2: Float64Array,
  l3: Float64Array,
  minima: Float64Array,
): void {
  const o = g * cols;
  const n0 = candNorm[g], n1 = candNorm[g + 1], n2 = candNorm[g + 2], n3 = candNorm[g + 3];
  const m0 = g * 128 - first, m1 = m0 + 128, m2 = m1 + 128, m3 = m2 + 128;
  let q = 0;
  for (; q + 3 < n; q += 4) {
    const ia = needed[q], ib = needed[q + 1], ic = needed[q + 2], id = needed[q + 3];
    const a = ia * cols, b = ib * cols, c = ic * cols, d = id * cols;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let f = 0, p = o; f < cols; f++, p += 4) {
      const xa = x[a + f], xb = x[b + f], xc = x[c + f], xd = x[d + f];
      let w = packed[p];
      a0 += xa * w; b0 += xb * w; c0 += xc * w; d0 += xd * w;
      w = packed[p + 1];
      a1 += xa * w; b1 += xb * w; c1 += xc * w; d1 += xd * w;
      w = packed[p + 2];
      a2 += xa * w; b2 += xb * w; c2 += xc * w; d2 += xd * w;
      w = packed[p + 3];
      a3 += xa * w; b3 += xb * w; c3 += xc * w; d3 += xd * w;
    }
    let xn = xx[ia];
    let cl = closest[ia];
    let v = clipped(-2 * a0 + n0 + xn); l0[ia] = v; minima[m0 + ia] = Math.min(v, cl);
    v = clipped(-2 * a1 + n1 + xn); l1[ia] = v; minima[m1 + ia] = Math.min(v, cl);
    v = clipped(-2 * a2 + n2 + xn); l2[ia] = v; minima[m2 + ia] = Math.min(v, cl);
    v = clipped(-2 * a3 + n3 + xn); l3[ia] = v; minima[m3 + ia] = Math.min(v, cl);
    xn = xx[ib];
    cl = closest[ib];
    v = clipped(-2 * b0 + n0 + xn); l0[ib] = v; minima[m0 + ib] = Math.min(v, cl);
    v = clipped(-2 * b1 + n1 + xn); l1[ib] = v; minima[m1 + ib] = Math.min(v, cl);
    v = clipped(-2 * b2 + n2 + xn); l2[ib] = v; minima[m2 + ib] = Math.min(v, cl);
    v = clipped(-2 * b3 + n3 + xn); l3[ib] = v; minima[m3 + ib] = Math.min(v, cl);
    xn = xx[ic];
    cl = closest[ic];
    v = clipped(-2 * c0 + n0 + xn); l0[ic] = v; minima[m0 + ic] = Math.min(v, cl);
    v = clipped(-2 * c1 + n1 + xn); l1[ic] = v; minima[m1 + ic] = Math.min(v, cl);
    v = clipped(-2 * c2 + n2 + xn); l2[ic] = v; minima[m2 + ic] = Math.min(v, cl);
    v = clipped(-2 * c3 + n3 + xn); l3[ic] = v; minima[m3 + ic] = Math.min(v, cl);
    xn = xx[id];
    cl = closest[id];
    v = clipped(-2 * d0 + n0 + xn); l0[id] = v; minima[m0 + id] = Math.min(v, cl);
    v = clipped(-2 * d1 + n1 + xn); l1[id] = v; minima[m1 + id] = Math.min(v, cl);
    v = clipped(-2 * d2 + n2 + xn); l2[id] = v; minima[m2 + id] = Math.min(v, cl);
    v = clipped(-2 * d3 + n3 + xn); l3[id] = v; minima[m3 + id] = Math.min(v, cl);
  }
  for (; q < n; q++) {
    const ia = needed[q];
    const a = ia * cols;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let f = 0, p = o; f < cols; f++, p += 4) {
      const xa = x[a + f];
      a0 += xa * packed[p]; a1 += xa * packed[p + 1]; a2 += xa * packed[p + 2]; a3 += xa * packed[p + 3];
    }
    const xn = xx[ia];
    const cl = closest[ia];
    let v = clipped(-2 * a0 + n0 + xn); l0[ia] = v; minima[m0 + ia] = Math.min(v, cl);
    v = clipped(-2 * a1 + n1 + xn); l1[ia] = v; minima[m1 + ia] = Math.min(v, cl);
    v = clipped(-2 * a2 + n2 + xn); l2[ia] = v; minima[m2 + ia] = Math.min(v, cl);
    v = clipped(-2 * a3 + n3 + xn); l3[ia] = v; minima[m3 + ia] = Math.min(v, cl);
  }
}

/** max(d, 0), NaN to 0, as scikit-learn's `np.maximum(distances, 0)` after the formula. */
function clipped(d: number): number {
  return d > 0 ? d : 0;
}

/**
 * Squared distances of rows from .. to) to the row `c` (centred like them) with squared norm
 * `cn`, as scikit-learn's `_euclidean_distances`: −2·x·c + ‖c‖² + ‖x‖², the dot product
 * summed in feature order, clipped at 0.
 *
 * @example
 * distancesToRow(x, xx, cols, x.slice(r * cols, (r + 1) * cols), xx[r], out, 0, rows);
 */
export function distancesToRow(x: Float64Array, xx: Float64Array, cols: number, c: Float64Array, cn: number, out: Float64Array, from: number, to: number): void {
  const quadsEnd = to - ((to - from) % 4);
  distancesToRowQuads(x, xx, cols, c, cn, out, from, quadsEnd);
  for (let i = quadsEnd; i < to; i++) out[i] = plainDistance(dotRow(x, i * cols, c, cols), cn, xx[i]);
}

function dotRow(x: Float64Array, base: number, c: Float64Array, cols: number): number {
  let d = 0;
  for (let f = 0; f < cols; f++) d += x[base + f] * c[f];
  return d;
}

/**
 * distancesToRow for a multiple of four rows: four rows at a time, each dot product summed
 * in feature order (one row's sum alone is a chain of dependent additions that would leave
 * the processor waiting).
 */
function distancesToRowQuads(x: Float64Array, xx: Float64Array, cols: number, c: Float64Array, cn: number, out: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i += 4) {
    const a = i * cols;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let f = 0; f < cols; f++) {
      const cf = c[f];
      d0 += x[a + f] * cf;
      d1 += x[a + cols + f] * cf;
      d2 += x[a + 2 * cols + f] * cf;
      d3 += x[a + 3 * cols + f] * cf;
    }
    out[i] = plainDistance(d0, cn, xx[i]);
    out[i + 1] = plainDistance(d1, cn, xx[i + 1]);
    out[i + 2] = plainDistance(d2, cn, xx[i + 2]);
    out[i + 3] = plainDistance(d3, cn, xx[i + 3]);
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
