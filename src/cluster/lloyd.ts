import { CHUNK, assignChunk, centroidSquaredNorms, chunkLabels, packCentroids } from './assign.js';
import { packedWidth } from './scorer.js';
import { squaredDistance } from './distance.js';
import { pairwiseSum } from './numeric.js';

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
 * and so the centres, iterations and inertia, are the same as with `prune: false`.
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
): LloydRun {
  let centers: Float64Array = start;
  let next: Float64Array = new Float64Array(k * cols);
  const labels = new Int32Array(rows).fill(-1);
  const labelsOld = new Int32Array(rows).fill(-1);
  const counts = new Float64Array(k);
  const shift = new Float64Array(k);
  const bounds = new Bounds(x, xx, rows, cols, k);
  let strict = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    bounds.assign(centers, labels, prune && iter > 0 ? shift : null);
    accumulate(x, labels, rows, cols, next, counts);
    relocateEmptyClusters(x, rows, cols, centers, next, counts, labels, k);
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        const alpha = 1 / counts[c];
        for (let f = 0; f < cols; f++) next[c * cols + f] *= alpha;
      }
      shift[c] = Math.sqrt(squaredDistance(next, c * cols, centers, c * cols, cols));
    }
    [centers, next] = [next, centers];
    let same = true;
    for (let i = 0; i < rows; i++) {
      if (labels[i] !== labelsOld[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      strict = true;
      break;
    }
    const sq = shift.map((s) => s * s);
    if (pairwiseSum(sq) <= tolAbs) break;
    labelsOld.set(labels);
  }
  if (!strict) bounds.assign(centers, labels, prune ? shift : null);
  let inertia = 0;
  for (let i = 0; i < rows; i++) inertia += squaredDistance(x, i * cols, centers, labels[i] * cols, cols);
  return { labels, inertia, centers, iterations: Math.min(iter + 1, maxIter) };
}

/**
 * Hamerly's bounds, in true (real-arithmetic) Euclidean distances, rounded outwards.
 * `upper[i]` ≥ ‖x_i − c_label‖ and `lower[i]` ≤ ‖x_i − c_j‖ for every other centre j.
 */
class Bounds {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  private readonly pending: Int32Array;
  private readonly xMax: number;
  private readonly buffers: ReturnType<typeof chunkLabels>;

  constructor(
    private readonly x: Float64Array,
    private readonly xx: Float64Array,
    private readonly rows: number,
    private readonly cols: number,
    private readonly k: number,
  ) {
    this.upper = new Float64Array(rows);
    this.lower = new Float64Array(rows);
    this.pending = new Int32Array(rows);
    this.buffers = chunkLabels(packedWidth(k));
    let m = 0;
    for (let i = 0; i < rows; i++) if (xx[i] > m) m = xx[i];
    this.xMax = Math.sqrt(m) * (1 + (cols + 8) * U);
  }

  /**
   * Assigns every row to `centers` exactly as scikit-learn would. With `moved` (the distance
   * each centre moved since the previous call) rows whose bounds prove the label are skipped.
   */
  assign(centers: Float64Array, labels: Int32Array, moved: Float64Array | null): void {
    const { x, xx, rows, cols, k, upper, lower } = this;
    const p = packCentroids(centers, k, cols, centroidSquaredNorms(centers, k, cols));
    // Any plain or BLAS-ordered value of ‖c‖² − 2·x·c, Σx² and their sum is within tau of its
    // real value: each is at most (3·cols + 10)·u·(‖x‖ + ‖c‖)².
    const r = this.xMax + p.cnMax;
    const tau = 4 * (cols + 4) * U * r * r * UP + 2 ** -1000;
    const buf = this.buffers;
    if (moved === null) {
      for (let first = 0; first < rows; first += CHUNK) {
        const count = Math.min(CHUNK, rows - first);
        assignChunk(x, first, count, p, buf);
        for (let r = 0; r < count; r++) this.reset(first + r, r, tau, labels);
      }
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
    const half = halfGaps(centers, k, cols);
    const threshold = 2 * tau * UP;
    const pending = this.pending;
    let nPending = 0;
    for (let i = 0; i < rows; i++) {
      const a = labels[i];
      let u = (upper[i] + moved[a] * UP) * UP;
      let l = (lower[i] - (a === top ? move2 : move1)) * DOWN;
      const viaGap = (2 * half[a] - u) * DOWN;
      if (viaGap > l) l = viaGap;
      lower[i] = l;
      if (l > u && (l - u) * (l + u) > threshold) {
        upper[i] = u;
        continue;
      }
      // Tighten the upper bound with the distance to the own centre, then test again.
      const base = i * cols;
      const cb = a * cols;
      let dot = 0;
      for (let f = 0; f < cols; f++) dot += x[base + f] * centers[cb + f];
      u = Math.sqrt(Math.max(0, (xx[i] + (p.c2[a] - 2 * dot) + tau) * UP)) * UP;
      upper[i] = u;
      if (l > u && (l - u) * (l + u) > threshold) continue;
      pending[nPending++] = i;
    }
    // The rows the bounds could not settle, assigned exactly, together.
    for (let first = 0; first < nPending; first += CHUNK) {
      const count = Math.min(CHUNK, nPending - first);
      assignChunk(x, first, count, p, buf, pending);
      for (let r = 0; r < count; r++) this.reset(pending[first + r], r, tau, labels);
    }
  }

  /** Row i takes the exact label from chunk slot r and fresh bounds from its plain values. */
  private reset(i: number, r: number, tau: number, labels: Int32Array): void {
    const buf = this.buffers;
    labels[i] = buf.labels[r];
    const xx = this.xx[i];
    this.upper[i] = Math.sqrt(Math.max(0, (xx + buf.own[r] + tau) * UP)) * UP;
    this.lower[i] = Math.sqrt(Math.max(0, (xx + buf.other[r] - tau) * DOWN)) * DOWN;
  }
}

/** Per-cluster row counts and coordinate sums, each sum in row order (as scikit-learn adds them). */
function accumulate(x: Float64Array, labels: Int32Array, rows: number, cols: number, sums: Float64Array, counts: Float64Array): void {
  counts.fill(0);
  for (let i = 0; i < rows; i++) counts[labels[i]] += 1;
  sums.fill(0);
  for (let i = 0, ib = 0; i < rows; i++, ib += cols) {
    const l = labels[i];
    for (let f = 0, q = l * cols; f < cols; f++, q++) sums[q] += x[ib + f];
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
