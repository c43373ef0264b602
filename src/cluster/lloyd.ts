import { CHUNK, centroidSquaredNorms, chunkLabels, labelChunk, labelListed, packCentroids, rowAt, scoreRows, type PackedCentroids } from './assign.js';
import { FitMemory } from './fit-memory.js';
import type { SimdKernels } from './simd-kernels.js';
import type { SeedDistances } from './kmeans-plus-plus.js';
import { packedWidth } from './scorer.js';
import { squaredDistance } from './distance.js';
import { largestValue, pairwiseSum } from './numeric.js';
import { U, UP, DOWN } from './rounding.js';

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
 * `seeds` k-means++ computed for `start`, even the first assignment starts from such bounds;
 * the run then takes the seeds' arrays over as its labels and bounds (it overwrites them).
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
  const counts = new Float64Array(k);
  const shift = new Float64Array(k);
  // Seeded by k-means++, the first assignment starts from bounds too: the centres have not
  // moved. The seeds' arrays become the labels and bounds (no fresh memory to map).
  const seeded = prune && seeds !== undefined;
  const labels = seeded ? seeds!.owner : new Int32Array(rows).fill(-1);
  const bounds = seeded ? Bounds.fromSeeds(x, xx, rows, cols, k, seeds!) : new Bounds(x, xx, rows, cols, k, new Float64Array(rows), new Float64Array(rows));
  const unmoved = new Float64Array(k);
  let strict = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    // Labels equal to the previous iteration's (scikit-learn's strict convergence) are those
    // this assignment changed none of; the first assignment always counts as a change.
    const changed = bounds.assign(centers, labels, prune && iter > 0 ? shift : seeded ? unmoved : null, next, counts);
    relocateEmptyClusters(x, rows, cols, centers, next, counts, labels, k);
    for (let c = 0; c < k; c++) {
      if (counts[c] > 0) {
        const alpha = 1 / counts[c];
        for (let f = 0; f < cols; f++) next[c * cols + f] *= alpha;
      }
      shift[c] = Math.sqrt(squaredDistance(next, c * cols, centers, c * cols, cols));
    }
    [centers, next] = [next, centers];
    if (changed === 0 && iter > 0) {
      strict = true;
      break;
    }
    const sq = shift.map((s) => s * s);
    if (pairwiseSum(sq) <= tolAbs) break;
  }
  if (!strict) bounds.assign(centers, labels, prune ? shift : null, null, counts);
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

/**
 * Σ‖x_i − c_label‖², in row order as scikit-learn's `_inertia_dense`, each distance summed as
 * {@link squaredDistance} does. Two rows at a time: one row's sum alone is a chain of
 * dependent additions.
 */
function inertiaOf(x: Float64Array, centers: Float64Array, labels: Int32Array, rows: number, cols: number): number {
  const even = rows - (rows % 2);
  let inertia = 0;
  const memory = FitMemory.of(x);
  const centres = memory?.kernels && memory.holds(labels) ? memory.f64(centers.length) : null;
  if (centres !== null && memory!.holds(centres)) {
    centres.set(centers);
    inertia = memory!.kernels!.inertia(x.byteOffset, centres.byteOffset, labels.byteOffset, 0, even, 0);
  } else {
    // A chunk of rows per call, so V8 compiles the loop with its feedback before the long run.
    for (let first = 0; first < even; first += CHUNK) inertia = inertiaOfPairs(x, centers, labels, first, Math.min(even, first + CHUNK), cols, inertia);
  }
  return even < rows ? inertia + squaredDistance(x, even * cols, centers, labels[even] * cols, cols) : inertia;
}

/** `inertia` plus the squared distances of rows first .. end) (an even count), in row order. */
function inertiaOfPairs(x: Float64Array, centers: Float64Array, labels: Int32Array, first: number, end: number, cols: number, inertia: number): number {
  const blockEnd = cols - (cols % 4);
  for (let i = first; i < end; i += 2) {
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
  return inertia;
}

/**
 * Hamerly's bounds, in true (real-arithmetic) Euclidean distances, rounded outwards.
 * `upper[i]` ≥ ‖x_i − c_label‖ and `lower[i]` ≤ ‖x_i − c_j‖ for every other centre j.
 */
class Bounds {
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Rows of a chunk whose moved bounds fail, then those whose tightened bounds fail too. */
  private readonly check: Int32Array;
  private readonly pending: Int32Array;
  private readonly xMax: number;
  private readonly buffers: ReturnType<typeof chunkLabels>;
  /** Scratch for branch-free maxima. */
  private readonly pick: Float64Array;
  private readonly byCluster: ClusterOrder;
  /** The SIMD kernels, when `x` and the scoring buffers live in a {@link FitMemory}. */
  private readonly kernels: SimdKernels | null;
  /** The centroids packed for the kernels, copied where they can read them. */
  private readonly packed: Float64Array;
  private readonly norms: Float64Array;
  /** The cluster sums and row counts while the kernels add them. */
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  /** For the bounds kernels: the centres, the moves (moved, otherMove, half) and [threshold, tau]. */
  private readonly centres: Float64Array;
  private readonly moves: Float64Array;
  private readonly consts: Float64Array;
  /** For finishRows: the centroids' norm bounds, [errScale, cnMax, tau], the rows it leaves, its count of changes. */
  private readonly cn: Float64Array;
  private readonly finishConsts: Float64Array;
  private readonly hard: Int32Array;
  private readonly changedCell: Int32Array;
  /** Whether this assignment's labels and bounds live in the kernels' memory (set by `assign`). */
  private rowsHeld = false;

  constructor(
    private readonly x: Float64Array,
    private readonly xx: Float64Array,
    private readonly rows: number,
    private readonly cols: number,
    private readonly k: number,
    upper: Float64Array,
    lower: Float64Array,
  ) {
    this.upper = upper;
    this.lower = lower;
    const memory = FitMemory.of(x) ?? FitMemory.plain;
    this.check = memory.i32(CHUNK);
    const width = packedWidth(k);
    this.pending = memory.i32(CHUNK);
    this.buffers = chunkLabels(width, memory.f64(CHUNK * width));
    this.packed = memory.f64(width * cols);
    this.norms = memory.f64(width);
    this.sums = memory.f64(k * cols);
    this.centres = memory.f64(k * cols);
    this.moves = memory.f64(3 * k);
    this.consts = memory.f64(2);
    this.cn = memory.f64(k);
    this.finishConsts = memory.f64(3);
    this.hard = memory.i32(CHUNK);
    this.changedCell = memory.i32(1);
    this.pick = new Float64Array(2);
    this.byCluster = new ClusterOrder(memory.i32(CHUNK), memory.i32(k + 1), memory.i32(k));
    this.counts = memory.f64(k);
    const held = [this.pending, this.buffers.v, this.packed, this.norms, this.sums, this.byCluster.offsets, this.byCluster.start, this.byCluster.fill, this.counts, this.check, this.centres, this.moves, this.consts, this.cn, this.finishConsts, this.hard, this.changedCell].every((a) =>
      memory.holds(a),
    );
    this.kernels = held ? memory.kernels : null;
    this.xMax = Math.sqrt(largestValue(xx)) * (1 + (cols + 8) * U);
  }

  /**
   * Bounds from k-means++'s distances to the centres it chose (whose labels are `seeds.owner`),
   * computed in place: the seeds' `closest` and `second` become the upper and lower bounds.
   */
  static fromSeeds(x: Float64Array, xx: Float64Array, rows: number, cols: number, k: number, seeds: SeedDistances): Bounds {
    boundsFromSeeds(seeds.closest, seeds.second, seeds.tau, seeds.closest, seeds.second);
    return new Bounds(x, xx, rows, cols, k, seeds.closest, seeds.second);
  }

  /**
   * Assigns every row to `centers` exactly as scikit-learn would and returns how many labels
   * changed. With `moved` (the distance each centre moved since the previous call) rows whose
   * bounds prove the label are skipped. With `sums`, also each cluster's row count and
   * coordinate sums (see {@link addChunk}), a chunk at a time while its rows are in cache.
   */
  assign(centers: Float64Array, labels: Int32Array, moved: Float64Array | null, sums: Float64Array | null, counts: Float64Array): number {
    const { x, xx, rows, cols, k, upper, lower, check, pending, pick, byCluster, kernels } = this;
    const memory = kernels === null ? null : FitMemory.of(x)!;
    this.rowsHeld = memory !== null && [labels, upper, lower, xx].every((a) => memory.holds(a));
    // The kernels add into their own memory; the sums (and, when the kernels group the rows by
    // their labels, the counts) are copied out at the end.
    const acc = sums !== null && kernels !== null ? this.sums : sums;
    const grouping = acc !== sums && this.rowsHeld ? kernels : null;
    const cnt = grouping !== null ? this.counts : counts;
    if (acc !== null) {
      acc.fill(0);
      cnt.fill(0);
    }
    const p = packCentroids(centers, k, cols, centroidSquaredNorms(centers, k, cols));
    if (this.kernels !== null) {
      this.packed.set(p.packed);
      this.norms.set(p.c2);
      this.cn.set(p.cn);
    }
    // Any plain or BLAS-ordered value of ‖c‖² − 2·x·c, Σx² and their sum is within tau of its
    // real value: each is at most (3·cols + 10)·u·(‖x‖ + ‖c‖)².
    const r = this.xMax + p.cnMax;
    const tau = 4 * (cols + 4) * U * r * r * UP + 2 ** -1000;
    let changed = 0;
    if (moved === null) {
      for (let first = 0; first < rows; first += CHUNK) {
        const end = Math.min(rows, first + CHUNK);
        changed += this.assignExactly(p, first, end - first, undefined, tau, labels);
        if (acc !== null) addChunk(x, labels, first, end, cols, acc, cnt, byCluster, kernels, grouping);
      }
      this.copyOut(sums, acc, counts, cnt);
      return changed;
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
    // The bounds kernels, when the rows' labels and bounds live in the kernels' memory too.
    const boundsKernels = this.rowsHeld ? kernels : null;
    if (boundsKernels !== null) {
      this.centres.set(centers);
      this.moves.set(moved, 0);
      this.moves.set(otherMove, k);
      this.moves.set(half, 2 * k);
      this.consts[0] = threshold;
      this.consts[1] = tau;
    }
    // A chunk at a time, so the rows the bounds cannot settle are still in cache when they
    // are tightened and then assigned exactly.
    // Whether to tighten the whole chunk without moving its bounds first (moveTightenChunk),
    // predicted from the chunk before: when it needed a whole tightening, this one likely does.
    let whole = false;
    for (let first = 0; first < rows; first += CHUNK) {
      const end = Math.min(rows, first + CHUNK);
      let nPending: number;
      if (whole) {
        nPending =
          boundsKernels !== null
            ? boundsKernels.moveTightenChunk(
                x.byteOffset, xx.byteOffset, this.centres.byteOffset, this.norms.byteOffset, labels.byteOffset, upper.byteOffset, lower.byteOffset,
                first, end, pending.byteOffset, this.consts.byteOffset, this.moves.byteOffset + 16 * k, this.moves.byteOffset + 8 * k,
              )
            : tightenChunk(x, xx, cols, centers, p.c2, labels, upper, lower, half, tau, threshold, first, end, pending, otherMove);
        whole = tightenWhole(nPending, end - first);
      } else if (boundsKernels !== null) {
        const { centres, moves, consts, norms } = this;
        const nCheck = boundsKernels.moveBounds(labels.byteOffset, upper.byteOffset, lower.byteOffset, moves.byteOffset, k, first, end, check.byteOffset, consts.byteOffset);
        whole = tightenWhole(nCheck, end - first);
        nPending = whole
          ? boundsKernels.tightenChunk(
              x.byteOffset, xx.byteOffset, centres.byteOffset, norms.byteOffset, labels.byteOffset,
              upper.byteOffset, lower.byteOffset, first, end, pending.byteOffset, consts.byteOffset, moves.byteOffset + 16 * k,
            )
          : boundsKernels.tightenBounds(
              x.byteOffset, xx.byteOffset, centres.byteOffset, norms.byteOffset, labels.byteOffset,
              upper.byteOffset, lower.byteOffset, check.byteOffset, nCheck, pending.byteOffset, consts.byteOffset,
            );
      } else {
        const nCheck = moveBounds(labels, upper, lower, moved, otherMove, half, threshold, check, pick, first, end);
        whole = tightenWhole(nCheck, end - first);
        nPending = whole
          ? tightenChunk(x, xx, cols, centers, p.c2, labels, upper, lower, half, tau, threshold, first, end, pending)
          : tightenBounds(x, xx, cols, centers, p.c2, labels, upper, lower, tau, threshold, check, nCheck, pending);
      }
      if (nPending > 0) changed += this.assignExactly(p, 0, nPending, pending, tau, labels);
      if (acc !== null) addChunk(x, labels, first, end, cols, acc, cnt, byCluster, kernels, grouping);
    }
    this.copyOut(sums, acc, counts, cnt);
    return changed;
  }

  /** The kernels' sums and counts into the caller's arrays. */
  private copyOut(sums: Float64Array | null, acc: Float64Array | null, counts: Float64Array, cnt: Float64Array): void {
    if (acc !== sums) sums!.set(acc!);
    if (acc !== null && cnt !== counts) counts.set(cnt);
  }

  /**
   * Exact labels and fresh bounds for rows first .. first+count) (of `index` when given);
   * returns how many labels changed.
   */
  private assignExactly(p: PackedCentroids, first: number, count: number, index: Int32Array | undefined, tau: number, labels: Int32Array): number {
    const buf = this.buffers;
    const { upper, lower, xx } = this;
    const kernels = this.kernels;
    if (kernels !== null) this.scoreSimd(kernels, first, count, index);
    else scoreRows(this.x, first, count, p, buf.v, undefined, index);
    if (kernels !== null && this.rowsHeld && index !== undefined && this.k > 1) {
      // The kernel settles the rows its rounding-error test proves; the rest (near ties, rows
      // out of range) come back in `hard` for the code below.
      const { cn, finishConsts, hard, changedCell } = this;
      finishConsts[0] = p.errScale;
      finishConsts[1] = p.cnMax;
      finishConsts[2] = tau;
      changedCell[0] = 0;
      const width = p.c2.length;
      const nHard = kernels.finishRows(
        buf.v.byteOffset, 8 * width, count, index.byteOffset + 4 * first, this.k, xx.byteOffset, labels.byteOffset,
        upper.byteOffset, lower.byteOffset, cn.byteOffset, finishConsts.byteOffset, hard.byteOffset, changedCell.byteOffset,
      );
      labelListed(this.x, first, p, buf, index, xx, hard, nHard);
      let changed = changedCell[0];
      for (let h = 0; h < nHard; h++) changed += this.settle(hard[h], rowAt(index, first + hard[h]), tau, labels);
      return changed;
    }
    labelChunk(this.x, first, count, p, buf, index, xx);
    let changed = 0;
    for (let r = 0; r < count; r++) changed += this.settle(r, rowAt(index, first + r), tau, labels);
    return changed;
  }

  /** Row i takes the label labelChunk chose at chunk place r, with fresh bounds; 1 if the label changed. */
  private settle(r: number, i: number, tau: number, labels: Int32Array): number {
    const { buffers: buf, upper, lower, xx } = this;
    const changed = +(labels[i] !== buf.labels[r]);
    labels[i] = buf.labels[r];
    upper[i] = Math.sqrt(Math.max(0, (xx[i] + buf.own[r] + tau) * UP)) * UP;
    lower[i] = Math.sqrt(Math.max(0, (xx[i] + buf.other[r] - tau) * DOWN)) * DOWN;
    return changed;
  }

  /** scoreRows' values for the rows, by the SIMD kernels, four centroids at a time. */
  private scoreSimd(kernels: SimdKernels, first: number, count: number, index: Int32Array | undefined): void {
    const { x, cols, packed, norms } = this;
    const v = this.buffers.v;
    const width = norms.length;
    for (let j = 0; j < width; j += 4) {
      const centres = packed.byteOffset + 8 * j * cols;
      const centreNorms = norms.byteOffset + 8 * j;
      const scores = v.byteOffset + 8 * j;
      if (index === undefined) kernels.scoresContiguous(x.byteOffset, first, count, centres, centreNorms, scores, 8 * width);
      else kernels.scoresIndexed(x.byteOffset, index.byteOffset + 4 * first, count, centres, centreNorms, scores, 8 * width);
    }
  }
}

/**
 * Whether to tighten every row of a chunk rather than the `unproven` rows its moved bounds
 * could not settle (or, after a whole tightening, predicting the next chunk from the rows
 * still unproven): once a quarter of them need it. Reading listed rows with gaps between them
 * defeats the processor's prefetching (in a scratch measurement of the kernel on the
 * benchmark's overlapping blobs, a listed row cost about four times a row read in order), so
 * the extra dot products are cheaper.
 */
function tightenWhole(unproven: number, count: number): boolean {
  return 4 * unproven > count;
}

// Whether a row's bounds hold is data-dependent: the two loops below list rows with
// arithmetic instead of branches, which the processor would mispredict.

/**
 * @internal Moves the bounds of rows first .. end) by the centre shifts (the lower one also
 * from half the gap to the nearest other centre) and lists in `check` the rows whose bounds no
 * longer prove the label; returns how many.
 *
 * @example
 * const nCheck = moveBounds(labels, upper, lower, moved, otherMove, half, threshold, check, new Float64Array(2), 0, 256);
 */
export function moveBounds(
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  moved: Float64Array,
  otherMove: Float64Array,
  half: Float64Array,
  threshold: number,
  check: Int32Array,
  pick: Float64Array,
  first: number,
  end: number,
): number {
  let nCheck = 0;
  for (let i = first; i < end; i++) {
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
 * @internal Tightens the upper bound of the listed rows to the distance to their own centre and lists
 * in `pending` those whose bounds still do not prove the label. Four rows at a time: one
 * row's dot product alone is a chain of dependent additions. (Any summation order is within
 * tau of the real value.) Returns how many rows it listed.
 *
 * @example
 * const nPending = tightenBounds(x, xx, cols, centers, c2, labels, upper, lower, tau, threshold, check, nCheck, pending);
 */
export function tightenBounds(
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
  let q = 0;
  for (; q + 3 < nCheck; q += 4) {
    const i0 = check[q], i1 = check[q + 1], i2 = check[q + 2], i3 = check[q + 3];
    const b0 = i0 * cols, b1 = i1 * cols, b2 = i2 * cols, b3 = i3 * cols;
    const l0 = labels[i0], l1 = labels[i1], l2 = labels[i2], l3 = labels[i3];
    const c0 = l0 * cols, c1 = l1 * cols, c2_ = l2 * cols, c3 = l3 * cols;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let f = 0; f < cols; f++) {
      d0 += x[b0 + f] * centers[c0 + f];
      d1 += x[b1 + f] * centers[c1 + f];
      d2 += x[b2 + f] * centers[c2_ + f];
      d3 += x[b3 + f] * centers[c3 + f];
    }
    nPending = settleTightened(i0, d0, xx, c2[l0], tau, threshold, upper, lower, pending, nPending);
    nPending = settleTightened(i1, d1, xx, c2[l1], tau, threshold, upper, lower, pending, nPending);
    nPending = settleTightened(i2, d2, xx, c2[l2], tau, threshold, upper, lower, pending, nPending);
    nPending = settleTightened(i3, d3, xx, c2[l3], tau, threshold, upper, lower, pending, nPending);
  }
  for (; q < nCheck; q++) {
    const i = check[q];
    const b = i * cols;
    const c = labels[i] * cols;
    let d = 0;
    for (let f = 0; f < cols; f++) d += x[b + f] * centers[c + f];
    nPending = settleTightened(i, d, xx, c2[labels[i]], tau, threshold, upper, lower, pending, nPending);
  }
  return nPending;
}

/**
 * @internal {@link tightenBounds} for every row of first .. end) (after {@link moveBounds}, or
 * with `otherMove` in its place), each lower bound also raised to 2·half[label] − the new
 * upper bound. Used when most of a
 * chunk's rows need tightening anyway (overlapping clusters): reading the chunk's rows in
 * order costs far less than reading the listed ones with gaps between them, which defeats the
 * processor's prefetching. Any valid bounds give the same labels. Returns how many rows it
 * listed in `pending`.
 *
 * @example
 * const nPending = tightenChunk(x, xx, cols, centers, c2, labels, upper, lower, half, tau, threshold, 0, 256, pending);
 */
export function tightenChunk(
  x: Float64Array,
  xx: Float64Array,
  cols: number,
  centers: Float64Array,
  c2: Float64Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  half: Float64Array,
  tau: number,
  threshold: number,
  first: number,
  end: number,
  pending: Int32Array,
  otherMove?: Float64Array,
): number {
  // Without moveBounds before it, each lower bound first comes down by otherMove[label].
  if (otherMove !== undefined) for (let i = first; i < end; i++) lower[i] = (lower[i] - otherMove[labels[i]]) * DOWN;
  let nPending = 0;
  let i = first;
  for (; i + 3 < end; i += 4) {
    const b0 = i * cols, b1 = b0 + cols, b2 = b1 + cols, b3 = b2 + cols;
    const l0 = labels[i], l1 = labels[i + 1], l2 = labels[i + 2], l3 = labels[i + 3];
    const c0 = l0 * cols, c1 = l1 * cols, c2_ = l2 * cols, c3 = l3 * cols;
    let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (let f = 0; f < cols; f++) {
      d0 += x[b0 + f] * centers[c0 + f];
      d1 += x[b1 + f] * centers[c1 + f];
      d2 += x[b2 + f] * centers[c2_ + f];
      d3 += x[b3 + f] * centers[c3 + f];
    }
    nPending = settleChunkRow(i, d0, xx, c2[l0], half[l0], tau, threshold, upper, lower, pending, nPending);
    nPending = settleChunkRow(i + 1, d1, xx, c2[l1], half[l1], tau, threshold, upper, lower, pending, nPending);
    nPending = settleChunkRow(i + 2, d2, xx, c2[l2], half[l2], tau, threshold, upper, lower, pending, nPending);
    nPending = settleChunkRow(i + 3, d3, xx, c2[l3], half[l3], tau, threshold, upper, lower, pending, nPending);
  }
  for (; i < end; i++) {
    const b = i * cols;
    const a = labels[i];
    const c = a * cols;
    let d = 0;
    for (let f = 0; f < cols; f++) d += x[b + f] * centers[c + f];
    nPending = settleChunkRow(i, d, xx, c2[a], half[a], tau, threshold, upper, lower, pending, nPending);
  }
  return nPending;
}

/** {@link settleTightened}, the lower bound first raised by the gap to the nearest other centre. */
function settleChunkRow(
  i: number,
  dot: number,
  xx: Float64Array,
  cn: number,
  half: number,
  tau: number,
  threshold: number,
  upper: Float64Array,
  lower: Float64Array,
  pending: Int32Array,
  nPending: number,
): number {
  const u = Math.sqrt(Math.max(0, (xx[i] + (cn - 2 * dot) + tau) * UP)) * UP;
  const gap = (2 * half - u) * DOWN;
  const lo = lower[i];
  const l = gap > lo ? gap : lo;
  upper[i] = u;
  lower[i] = l;
  pending[nPending] = i;
  return nPending + 1 - (+(l > u) & +((l - u) * (l + u) > threshold));
}

/** Row i's upper bound from its dot product with its centre; lists it in `pending` unless its bounds now prove the label. */
function settleTightened(
  i: number,
  dot: number,
  xx: Float64Array,
  cn: number,
  tau: number,
  threshold: number,
  upper: Float64Array,
  lower: Float64Array,
  pending: Int32Array,
  nPending: number,
): number {
  const u = Math.sqrt(Math.max(0, (xx[i] + (cn - 2 * dot) + tau) * UP)) * UP;
  const l = lower[i];
  upper[i] = u;
  pending[nPending] = i;
  return nPending + 1 - (+(l > u) & +((l - u) * (l + u) > threshold));
}

/** Scratch of {@link addChunk}: one chunk's rows grouped by cluster, in row order. */
class ClusterOrder {
  readonly start: Int32Array;
  readonly fill: Int32Array;
  /** `offsets`: CHUNK entries; `start`: k + 1; `fill`: k. */
  constructor(readonly offsets: Int32Array, start: Int32Array, fill: Int32Array) {
    this.start = start;
    this.fill = fill;
  }
}

/**
 * Adds rows first .. end) to their cluster's row count and coordinate sums. Called chunk by
 * chunk in row order, each sum runs in row order, as scikit-learn adds them. The chunk's rows
 * are grouped by cluster and each cluster's sums run in registers: adding row by row straight
 * into `sums` makes every load wait on a store to the same place whenever two nearby rows
 * share a cluster.
 */
function addChunk(
  x: Float64Array,
  labels: Int32Array,
  first: number,
  end: number,
  cols: number,
  sums: Float64Array,
  counts: Float64Array,
  scratch: ClusterOrder,
  kernels: SimdKernels | null,
  grouping: SimdKernels | null,
): void {
  const { offsets, start, fill } = scratch;
  const k = fill.length;
  if (grouping !== null) {
    // The same grouping by the kernel (labels, counts and scratch in its memory).
    grouping.groupRows(labels.byteOffset, first, end, k, fill.byteOffset, start.byteOffset, offsets.byteOffset, counts.byteOffset);
    grouping.addRows(x.byteOffset, offsets.byteOffset, start.byteOffset, k, sums.byteOffset);
    return;
  }
  fill.fill(0);
  for (let i = first; i < end; i++) fill[labels[i]] += 1;
  for (let c = 0; c < k; c++) {
    counts[c] += fill[c];
    start[c + 1] = start[c] + fill[c];
    fill[c] = start[c];
  }
  for (let i = first; i < end; i++) {
    const c = labels[i];
    offsets[fill[c]] = i * cols;
    fill[c] += 1;
  }
  if (kernels !== null) kernels.addRows(x.byteOffset, offsets.byteOffset, start.byteOffset, k, sums.byteOffset);
  else for (let c = 0; c < k; c++) addRows(x, offsets, start[c], start[c + 1], cols, sums, c * cols);
}

/**
 * sums[q + f] += x[o + f] for the row offsets o in offsets[s .. e), in that order: eight
 * columns at a time in registers, then four, then one.
 */
function addRows(x: Float64Array, offsets: Int32Array, s: number, e: number, cols: number, sums: Float64Array, q: number): void {
  let f = 0;
  for (; f + 8 <= cols; f += 8) {
    let a0 = sums[q + f], a1 = sums[q + f + 1], a2 = sums[q + f + 2], a3 = sums[q + f + 3];
    let a4 = sums[q + f + 4], a5 = sums[q + f + 5], a6 = sums[q + f + 6], a7 = sums[q + f + 7];
    for (let t = s; t < e; t++) {
      const b = offsets[t] + f;
      a0 += x[b]; a1 += x[b + 1]; a2 += x[b + 2]; a3 += x[b + 3];
      a4 += x[b + 4]; a5 += x[b + 5]; a6 += x[b + 6]; a7 += x[b + 7];
    }
    sums[q + f] = a0; sums[q + f + 1] = a1; sums[q + f + 2] = a2; sums[q + f + 3] = a3;
    sums[q + f + 4] = a4; sums[q + f + 5] = a5; sums[q + f + 6] = a6; sums[q + f + 7] = a7;
  }
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
