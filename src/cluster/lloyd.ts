import { CHUNK, assignChunk, centroidSquaredNorms, chunkLabels, packCentroids, type PackedCentroids } from './assign.js';
import type { SeedDistances } from './kmeansPlusPlus.js';
import { packedWidth } from './scorer.js';
import { squaredDistance } from './distance.js';
import { largestValue, pairwiseSum } from './numeric.js';

const U = 2 ** -53;
const UP = 1 + 16 * U;
const DOWN = 1 - 16 * U;

/** One Lloyd run: the kept labels, inertia, centres and iteration count. */
export interface LloydRun {
  labels: Int32Array;
  inertia: number;
  centers: Float64Array;
  iterations: number;
}

/**
 * scikit-learn's Lloyd loop (`_kmeans_single_lloyd`, one thread): assign, recompute centres
 * as plain running sums in row order, refill empty clusters, stop on unchanged labels or
 * when Σ‖shift‖² ≤ tolAbs, then a final assignment and the inertia.
 *
 * With `prune` (the default) the assignment keeps Hamerly's bounds per row: an upper bound on
 * the distance to its centre and a lower bound on the distance to every other centre, moved
 * by the centre shifts. A row keeps its label only when the bounds prove that scikit-learn's
 * rounded ‖c‖² − 2·x·c still ranks that centre strictly first, with a margin covering every
 * rounding error of that formula; every other row is assigned by the exact path. The labels,
 * and so the centres, iterations and inertia, are the same as with `prune: false`. Given the
 * `seeds` k-means++ computed for `start`, even the first assignment starts from such bounds.
 *
 * @example
 * const run = lloyd(x, xx, rows, cols, startCentres, k, 300, tolAbs); // { labels, centers, iterations, inertia }
 */
export function lloyd(
  x: Float64Array,
  xx: Float64Array,
  rows: number,
  cols: number,
  start: Float64Array,
  k: number,
  maxIter: number,
  tolAbs: number,
  prune = true,
  seeds?: SeedDistances,
): LloydRun {
  let centers: Float64Array = start;
  let next: Float64Array = new Float64Array(k * cols);
  const labels = new Int32Array(rows).fill(-1);
  const labelsOld = new Int32Array(rows).fill(-1);
  const counts = new Float64Array(k);
  const shift = new Float64Array(k);
  const bounds = new Bounds(x, xx, rows, cols, k);
  const byCluster = new ClusterOrder(k);
  // Seeded by k-means++, the first assignment starts from bounds too: the centres have not moved.
  const seeded = prune && seeds !== undefined;
  if (seeded) bounds.seed(seeds, labels);
  const unmoved = new Float64Array(k);
  let strict = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    bounds.assign(centers, labels, prune && iter > 0 ? shift : seeded ? unmoved : null);
    accumulate(x, labels, rows, cols, next, counts, byCluster);
    relocateEmptyClusters(x, rows, cols, centers, next, counts, labels, k);
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        const alpha = 1 / counts[c];
        for (let f = 0; f < cols; f++) next[c * cols + f] *= alpha;
      }
      shift[c] = Math.sqrt(squaredDistance(next, c * cols, centers, c * cols, cols));
    }
    [centers, next] = [next, centers];
    if (sameLabels(labels, labelsOld)) {
      strict = true;
      break;
    }
    const sq = shift.map((s) => s * s);
    if (pairwiseSum(sq) <= tolAbs) break;
    labelsOld.set(labels);
  }
  if (!strict) bounds.assign(centers, labels, prune ? shift : null);
  const inertia = inertiaOf(x, centers, labels, rows, cols);
  return { labels, inertia, centers, iterations: Math.min(iter + 1, maxIter) };
}

// The loops below live in small functions of their own: V8 optimises a long loop while it
// runs, and code after it in the same function would then be compiled without type feedback
// and thrown away on first use.

/** Euclidean bounds, rounded outwards, from squared distances computed within tau. */
function boundsFromSeeds(closest: Float64Array, second: Float64Array, tau: number, upper: Float64Array, lower: Float64Array): void {
  for (let i = 0; i < closest.length; i++) {
    upper[i] = Math.sqrt((closest[i] + tau) * UP) * UP;
    lower[i] = Math.sqrt(Math.max(0, (second[i] - tau) * DOWN)) * DOWN;
  }
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Σ‖x_i − c_label‖², in row order as scikit-learn's `_inertia_dense`, each distance summed as
 * {@link squaredDistance} does. Two rows at a time: one row's sum alone is a chain of
 * dependent additions.
 */
function inertiaOf(x: Float64Array, centers: Float64Array, labels: Int32Array, rows: number, cols: number): number {
  let inertia = 0;
  let i = 0;
  const blockEnd = cols - (cols % 4);
  for (; i + 1 < rows; i += 2) {
    const a = i * cols;
    const b = a + cols;
    const ca = labels[i] * cols;
    const cb = labels[i + 1] * cols;
    let sa = 0;
    let sb = 0;
    let f = 0;
    for (; f < blockEnd; f += 4) {
      const a0 = x[a + f] - centers[ca + f], a1 = x[a + f + 1] - centers[ca + f + 1];
      const a2 = x[a + f + 2] - centers[ca + f + 2], a3 = x[a + f + 3] - centers[ca + f + 3];
      const b0 = x[b + f] - centers[cb + f], b1 = x[b + f + 1] - centers[cb + f + 1];
      const b2 = x[b + f + 2] - centers[cb + f + 2], b3 = x[b + f + 3] - centers[cb + f + 3];
      sa += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
      sb += b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3;
    }
    for (; f < cols; f++) {
      const da = x[a + f] - centers[ca + f];
      const db = x[b + f] - centers[cb + f];
      sa += da * da;
      sb += db * db;
    }
    inertia += sa;
    inertia += sb;
  }
  if (i < rows) inertia += squaredDistance(x, i * cols, centers, labels[i] * cols, cols);
  return inertia;
}

/**
 * Hamerly's bounds, in true (real-arithmetic) Euclidean distances, rounded outwards.
 * `upper[i]` ≥ ‖x_i − c_label‖ and `lower[i]` ≤ ‖x_i − c_j‖ for every other centre j.
 */
class Bounds {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Rows whose moved bounds fail, then rows whose tightened bounds fail too. */
  private readonly check: Int32Array;
  private readonly pending: Int32Array;
  private readonly xMax: number;
  private readonly buffers: ReturnType<typeof chunkLabels>;
  /** Scratch for branch-free maxima. */
  private readonly pick: Float64Array;

  constructor(
    private readonly x: Float64Array,
    private readonly xx: Float64Array,
    private readonly rows: number,
    private readonly cols: number,
    private readonly k: number,
  ) {
    this.upper = new Float64Array(rows);
    this.lower = new Float64Array(rows);
    this.check = new Int32Array(rows);
    this.pending = new Int32Array(rows);
    this.buffers = chunkLabels(packedWidth(k));
    this.pick = new Float64Array(2);
    this.xMax = Math.sqrt(largestValue(xx)) * (1 + (cols + 8) * U);
  }

  /** Labels and bounds from k-means++'s distances to the centres it chose. */
  seed(seeds: SeedDistances, labels: Int32Array): void {
    labels.set(seeds.owner);
    boundsFromSeeds(seeds.closest, seeds.second, seeds.tau, this.upper, this.lower);
  }

  /**
   * Assigns every row to `centers` exactly as scikit-learn would. With `moved` (the distance
   * each centre moved since the previous call) rows whose bounds prove the label are skipped.
   */
  assign(centers: Float64Array, labels: Int32Array, moved: Float64Array | null): void {
    const { x, xx, rows, cols, k, upper, lower, check, pending, pick } = this;
    const p = packCentroids(centers, k, cols, centroidSquaredNorms(centers, k, cols));
    // Any plain or BLAS-ordered value of ‖c‖² − 2·x·c, Σx² and their sum is within tau of its
    // real value: each is at most (3·cols + 10)·u·(‖x‖ + ‖c‖)².
    const r = this.xMax + p.cnMax;
    const tau = 4 * (cols + 4) * U * r * r * UP + 2 ** -1000;
    if (moved === null) {
      for (let first = 0; first < rows; first += CHUNK) this.assignExactly(p, first, Math.min(CHUNK, rows - first), undefined, tau, labels);
      return;
    }
    let top = -1;
    let move1 = 0;
    let move2 = 0;
    for (let j = 0; j < k; j++) {
      const d = moved[j] * UP;
      if (d > move1) {
        move2 = move1;
        move1 = d;
        top = j;
      } else if (d > move2) move2 = d;
    }
    // How far the nearest other centre may have come towards a row of cluster j.
    const otherMove = new Float64Array(k);
    for (let j = 0; j < k; j++) otherMove[j] = j === top ? move2 : move1;
    const half = halfGaps(centers, k, cols);
    const threshold = 2 * tau * UP;
    const nCheck = moveBounds(labels, upper, lower, moved, otherMove, half, threshold, check, pick);
    const nPending = tightenBounds(x, xx, cols, centers, p.c2, labels, upper, lower, tau, threshold, check, nCheck, pending);
    // The rows the bounds could not settle, assigned exactly, together.
    for (let first = 0; first < nPending; first += CHUNK) this.assignExactly(p, first, Math.min(CHUNK, nPending - first), pending, tau, labels);
  }

  /** Exact labels and fresh bounds for rows first .. first+count) (of `index` when given). */
  private assignExactly(p: PackedCentroids, first: number, count: number, index: Int32Array | undefined, tau: number, labels: Int32Array): void {
    const buf = this.buffers;
    const { upper, lower, xx } = this;
    assignChunk(this.x, first, count, p, buf, index, xx);
    for (let r = 0; r < count; r++) {
      const i = index === undefined ? first + r : index[first + r];
      labels[i] = buf.labels[r];
      upper[i] = Math.sqrt(Math.max(0, (xx[i] + buf.own[r] + tau) * UP)) * UP;
      lower[i] = Math.sqrt(Math.max(0, (xx[i] + buf.other[r] - tau) * DOWN)) * DOWN;
    }
  }
}

// Whether a row's bounds hold is data-dependent: the two loops below list rows with
// arithmetic instead of branches, which the processor would mispredict.

/**
 * Moves every row's bounds by the centre shifts (the lower one also from half the gap to the
 * nearest other centre) and lists in `check` the rows whose bounds no longer prove the label.
 */
function moveBounds(
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  moved: Float64Array,
  otherMove: Float64Array,
  half: Float64Array,
  threshold: number,
  check: Int32Array,
  pick: Float64Array,
): number {
  let nCheck = 0;
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    const u = (upper[i] + moved[a] * UP) * UP;
    const viaLower = (lower[i] - otherMove[a]) * DOWN;
    const viaGap = (2 * half[a] - u) * DOWN;
    pick[0] = viaLower;
    pick[1] = viaGap;
    const l = pick[+(viaGap > viaLower)];
    upper[i] = u;
    lower[i] = l;
    check[nCheck] = i;
    nCheck += 1 - (+(l > u) & +((l - u) * (l + u) > threshold));
  }
  return nCheck;
}

/**
 * Tightens the upper bound of the listed rows to the distance to their own centre (two rows
 * at a time, each dot product still summed in feature order) and lists in `pending` those
 * whose bounds still do not prove the label.
 */
function tightenBounds(
  x: Float64Array,
  xx: Float64Array,
  cols: number,
  centers: Float64Array,
  c2: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  tau: number,
  threshold: number,
  check: Int32Array,
  nCheck: number,
  pending: Int32Array,
): number {
  let nPending = 0;
  for (let q = 0; q < nCheck; q += 2) {
    const i = check[q];
    const j = check[q + 1 < nCheck ? q + 1 : q];
    const bi = i * cols;
    const bj = j * cols;
    const ci = labels[i] * cols;
    const cj = labels[j] * cols;
    let di = 0;
    let dj = 0;
    for (let f = 0; f < cols; f++) {
      di += x[bi + f] * centers[ci + f];
      dj += x[bj + f] * centers[cj + f];
    }
    const ui = Math.sqrt(Math.max(0, (xx[i] + (c2[labels[i]] - 2 * di) + tau) * UP)) * UP;
    const uj = Math.sqrt(Math.max(0, (xx[j] + (c2[labels[j]] - 2 * dj) + tau) * UP)) * UP;
    const li = lower[i];
    const lj = lower[j];
    upper[i] = ui;
    pending[nPending] = i;
    nPending += 1 - (+(li > ui) & +((li - ui) * (li + ui) > threshold));
    if (j !== i) {
      upper[j] = uj;
      pending[nPending] = j;
      nPending += 1 - (+(lj > uj) & +((lj - uj) * (lj + uj) > threshold));
    }
  }
  return nPending;
}

/** Scratch of {@link accumulate}: one chunk's rows grouped by cluster, in row order. */
class ClusterOrder {
  readonly offsets: Int32Array;
  readonly start: Int32Array;
  readonly fill: Int32Array;
  constructor(k: number) {
    this.offsets = new Int32Array(CHUNK);
    this.start = new Int32Array(k + 1);
    this.fill = new Int32Array(k);
  }
}

/**
 * Per-cluster row counts and coordinate sums, each sum in row order (as scikit-learn adds
 * them). A chunk at a time, the chunk's rows are grouped by cluster and each cluster's sums
 * run in registers: adding row by row straight into `sums` makes every load wait on a store
 * to the same place whenever two nearby rows share a cluster.
 */
function accumulate(x: Float64Array, labels: Int32Array, rows: number, cols: number, sums: Float64Array, counts: Float64Array, scratch: ClusterOrder): void {
  const k = counts.length;
  const { offsets, start, fill } = scratch;
  counts.fill(0);
  for (let i = 0; i < rows; i++) counts[labels[i]] += 1;
  sums.fill(0);
  for (let first = 0; first < rows; first += CHUNK) {
    const end = Math.min(rows, first + CHUNK);
    fill.fill(0);
    for (let i = first; i < end; i++) fill[labels[i]]++;
    for (let c = 0; c < k; c++) {
      start[c + 1] = start[c] + fill[c];
      fill[c] = start[c];
    }
    for (let i = first; i < end; i++) offsets[fill[labels[i]]++] = i * cols;
    for (let c = 0; c < k; c++) {
      const s = start[c];
      const e = start[c + 1];
      const q = c * cols;
      let f = 0;
      for (; f + 4 <= cols; f += 4) {
        let a0 = sums[q + f], a1 = sums[q + f + 1], a2 = sums[q + f + 2], a3 = sums[q + f + 3];
        for (let t = s; t < e; t++) {
          const b = offsets[t] + f;
          a0 += x[b]; a1 += x[b + 1]; a2 += x[b + 2]; a3 += x[b + 3];
        }
        sums[q + f] = a0; sums[q + f + 1] = a1; sums[q + f + 2] = a2; sums[q + f + 3] = a3;
      }
      for (; f < cols; f++) {
        let a = sums[q + f];
        for (let t = s; t < e; t++) a += x[offsets[t] + f];
        sums[q + f] = a;
      }
    }
  }
}

/** Half the distance from each centre to its nearest other centre, rounded down. */
function halfGaps(centers: Float64Array, k: number, cols: number): Float64Array {
  const half = new Float64Array(k).fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const d = Math.sqrt(squaredDistance(centers, a * cols, centers, b * cols, cols) * (1 - 2 * (cols + 8) * U)) * DOWN * 0.5;
      if (d < half[a]) half[a] = d;
      if (d < half[b]) half[b] = d;
    }
  }
  return half;
}

/** Gives each empty cluster the row farthest from its current centre, as scikit-learn does. */
function relocateEmptyClusters(
  x: Float64Array,
  rows: number,
  cols: number,
  centersOld: Float64Array,
  sums: Float64Array,
  counts: Float64Array,
  labels: Int32Array,
  k: number,
): void {
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return;
  const dist = new Float64Array(rows);
  const diff = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const cb = labels[i] * cols;
    for (let f = 0; f < cols; f++) {
      const d = x[i * cols + f] - centersOld[cb + f];
      diff[f] = d * d;
    }
    dist[i] = pairwiseSum(diff);
  }
  // The farthest rows, farthest first; equal distances by row order.
  const order = Array.from(dist.keys()).sort((a, b) => dist[b] - dist[a] || a - b);
  empty.forEach((newId, idx) => {
    const far = order[idx];
    const old = labels[far];
    for (let f = 0; f < cols; f++) {
      sums[old * cols + f] -= x[far * cols + f];
      sums[newId * cols + f] = x[far * cols + f];
    }
    counts[newId] = 1;
    counts[old] -= 1;
  });
}
