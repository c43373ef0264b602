import { FitError, InputError } from '../errors.js';
import { requireFinite, toDenseMatrix, type DenseMatrix, type MatrixInput } from '../preprocess/matrix.js';
import { assignNearest, centroidSquaredNorms } from './assign.js';
import { squaredDistance } from './distance.js';
import { pairwiseSum, rowNormSquared } from './numeric.js';
import { NumpyRandomState } from './random.js';

/** Options of {@link fitKMeans}. */
export interface KMeansOptions {
  /** Number of clusters. */
  k: number;
  /** Independent k-means++ starts; the run with the lowest inertia is kept. Default 10. */
  nInit?: number;
  /** Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /** Stop when Σ‖centre shift‖² ≤ tol × mean column variance. Default 1e-4. */
  tol?: number;
  /** Seed of the NumPy-compatible MT19937 generator. Default 0. */
  seed?: number;
  /** Starting centroids (k rows) instead of k-means++; implies a single run. */
  init?: MatrixInput;
}

/** A fitted clustering. Cluster 0 is the largest cluster, then by decreasing size. */
export interface KMeansResult {
  /** k × features, row-major, in canonical cluster order. */
  centroids: DenseMatrix;
  labels: Int32Array;
  /** Sum of squared distances of rows to their centroid. */
  inertia: number;
  /** Lloyd iterations of the kept run. */
  iterations: number;
  /** Rows per cluster. */
  sizes: Int32Array;
}

/**
 * k-means with k-means++ seeding, `nInit` restarts and Lloyd iterations, following
 * scikit-learn's `KMeans(algorithm='lloyd')` step for step: greedy k-means++ with
 * 2 + ⌊ln k⌋ local trials, data centred before clustering, tolerance relative to the
 * mean column variance, empty clusters refilled with the rows farthest from their centre,
 * and a final assignment pass so labels match the returned centroids. The random draws
 * are NumPy's `RandomState(seed)`, so `seed` reproduces `random_state=seed`.
 *
 * Cluster ids are then renumbered canonically — by decreasing size, ties by the
 * lexicographic order of the centroid — so refitting never shuffles segment names.
 *
 * @example
 * const { labels, centroids, inertia } = fitKMeans([[0, 0], [0, 1], [9, 9], [9, 8]], { k: 2, seed: 0 });
 */
export function fitKMeans(input: MatrixInput, options: KMeansOptions): KMeansResult {
  const m = toDenseMatrix(input, undefined, 'fitKMeans');
  requireFinite(m, 'fitKMeans');
  const { rows, cols } = m;
  const k = options.k;
  const nInitOption = options.nInit ?? 10;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(k) || k < 1) throw new InputError(`fitKMeans: k must be a positive integer, got ${k}`);
  if (!Number.isInteger(nInitOption) || nInitOption < 1) throw new InputError('fitKMeans: nInit must be a positive integer');
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new InputError('fitKMeans: maxIter must be a positive integer');
  if (!(tol >= 0)) throw new InputError('fitKMeans: tol must be ≥ 0');
  if (rows < k) throw new FitError(`fitKMeans: ${rows} rows cannot make ${k} clusters`);
  if (cols === 0) throw new FitError('fitKMeans: no columns');
  if (countDistinctRows(m, k) < k) throw new FitError(`fitKMeans: need at least ${k} distinct rows for k = ${k}`);

  // Tolerance from the data's variance, before centring (as scikit-learn does).
  const colMean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) colMean[j] += m.data[i * cols + j];
  for (let j = 0; j < cols; j++) colMean[j] /= rows;
  const variances = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = m.data[i * cols + j] - colMean[j];
      variances[j] += d * d;
    }
  }
  for (let j = 0; j < cols; j++) variances[j] /= rows;
  const tolAbs = (pairwiseSum(variances) / cols) * tol;

  // Centre the data for more accurate distances; centres get the mean back at the end.
  const x = new Float64Array(m.data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * cols + j] = m.data[i * cols + j] - colMean[j];
  const xx = new Float64Array(rows);
  for (let i = 0; i < rows; i++) xx[i] = rowNormSquared(x, i * cols, cols);

  let initCenters: Float64Array | null = null;
  if (options.init !== undefined) {
    const init = toDenseMatrix(options.init, cols, 'fitKMeans init');
    requireFinite(init, 'fitKMeans init');
    if (init.rows !== k) throw new InputError(`fitKMeans: init has ${init.rows} rows, expected k = ${k}`);
    initCenters = new Float64Array(k * cols);
    for (let c = 0; c < k; c++) for (let j = 0; j < cols; j++) initCenters[c * cols + j] = init.data[c * cols + j] - colMean[j];
  }
  const nInit = initCenters ? 1 : nInitOption;
  const rng = new NumpyRandomState(seed);
  let best: { labels: Int32Array; inertia: number; centers: Float64Array; iterations: number } | null = null;
  for (let run = 0; run < nInit; run++) {
    const start = initCenters ? Float64Array.from(initCenters) : kmeansPlusPlus(x, xx, rows, cols, k, rng);
    const result = lloyd(x, rows, cols, start, k, maxIter, tolAbs);
    if (best === null || (result.inertia < best.inertia && !sameClustering(result.labels, best.labels, k))) best = result;
  }
  const centers = best!.centers;
  for (let c = 0; c < k; c++) for (let j = 0; j < cols; j++) centers[c * cols + j] += colMean[j];
  return canonicalOrder(centers, best!.labels, k, cols, best!.inertia, best!.iterations);
}

function countDistinctRows(m: DenseMatrix, atLeast: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < m.rows && seen.size < atLeast; i++) {
    seen.add(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (v) => (Object.is(v, -0) ? 0 : v)).join(','));
  }
  return seen.size;
}

/** Squared distances from row `r` of x to every row, as scikit-learn's `_euclidean_distances`. */
function distancesFrom(x: Float64Array, xx: Float64Array, rows: number, cols: number, r: number, out: Float64Array): void {
  const rn = xx[r];
  const base = r * cols;
  for (let i = 0; i < rows; i++) {
    let dot = 0;
    const ib = i * cols;
    for (let f = 0; f < cols; f++) dot += x[base + f] * x[ib + f];
    const d = -2 * dot + rn + xx[i];
    out[i] = d > 0 ? d : 0;
  }
}

/** Greedy k-means++ (scikit-learn's `_kmeans_plusplus`), returning k × cols centres. */
function kmeansPlusPlus(x: Float64Array, xx: Float64Array, rows: number, cols: number, k: number, rng: NumpyRandomState): Float64Array {
  const centers = new Float64Array(k * cols);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.randint(rows);
  centers.set(x.subarray(first * cols, (first + 1) * cols), 0);
  const closest = new Float64Array(rows);
  distancesFrom(x, xx, rows, cols, first, closest);
  let pot = pairwiseSum(closest);
  const cumsum = new Float64Array(rows);
  const candidateDist = Array.from({ length: trials }, () => new Float64Array(rows));
  for (let c = 1; c < k; c++) {
    let acc = 0;
    for (let i = 0; i < rows; i++) cumsum[i] = acc += closest[i];
    let bestPot = Infinity;
    let bestTrial = -1;
    let bestId = -1;
    const ids: number[] = [];
    for (let t = 0; t < trials; t++) ids.push(searchsortedLeft(cumsum, rng.randomSample() * pot));
    // All candidates in one pass over the data: each row is read once.
    const cand = ids.map((id) => Math.min(id, rows - 1));
    const dots = new Float64Array(trials);
    for (let i = 0; i < rows; i++) {
      const ib = i * cols;
      let t = 0;
      for (; t + 3 < trials; t += 4) {
        const c0 = cand[t] * cols, c1 = cand[t + 1] * cols, c2 = cand[t + 2] * cols, c3 = cand[t + 3] * cols;
        let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
        for (let f = 0; f < cols; f++) {
          const a = x[ib + f];
          p0 += x[c0 + f] * a;
          p1 += x[c1 + f] * a;
          p2 += x[c2 + f] * a;
          p3 += x[c3 + f] * a;
        }
        dots[t] = p0;
        dots[t + 1] = p1;
        dots[t + 2] = p2;
        dots[t + 3] = p3;
      }
      for (; t < trials; t++) {
        const cb = cand[t] * cols;
        let dot = 0;
        for (let f = 0; f < cols; f++) dot += x[cb + f] * x[ib + f];
        dots[t] = dot;
      }
      for (t = 0; t < trials; t++) {
        let d = -2 * dots[t] + xx[cand[t]] + xx[i];
        if (!(d > 0)) d = 0;
        candidateDist[t][i] = closest[i] < d ? closest[i] : d;
      }
    }
    for (let t = 0; t < trials; t++) {
      const p = pairwiseSum(candidateDist[t]);
      if (p < bestPot) {
        bestPot = p;
        bestTrial = t;
        bestId = cand[t];
      }
    }
    if (bestTrial === -1) throw new FitError('k-means++: distances are not finite');
    pot = bestPot;
    closest.set(candidateDist[bestTrial]);
    centers.set(x.subarray(bestId * cols, (bestId + 1) * cols), c * cols);
  }
  return centers;
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

function lloyd(x: Float64Array, rows: number, cols: number, start: Float64Array, k: number, maxIter: number, tolAbs: number) {
  let centers: Float64Array = start;
  let next: Float64Array = new Float64Array(k * cols);
  const labels = new Int32Array(rows).fill(-1);
  const labelsOld = new Int32Array(rows).fill(-1);
  const counts = new Float64Array(k);
  const shift = new Float64Array(k);
  let strict = false;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    assignNearest(x, rows, cols, centers, k, labels, centroidSquaredNorms(centers, k, cols));
    next.fill(0);
    counts.fill(0);
    for (let i = 0; i < rows; i++) {
      const l = labels[i];
      counts[l] += 1;
      const nb = l * cols;
      const ib = i * cols;
      for (let f = 0; f < cols; f++) next[nb + f] += x[ib + f];
    }
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
  if (!strict) assignNearest(x, rows, cols, centers, k, labels, centroidSquaredNorms(centers, k, cols));
  let inertia = 0;
  for (let i = 0; i < rows; i++) inertia += squaredDistance(x, i * cols, centers, labels[i] * cols, cols);
  return { labels, inertia, centers, iterations: Math.min(iter + 1, maxIter) };
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

/** scikit-learn's `_is_same_clustering`: one labelling maps onto the other. */
function sameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const mapping = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (mapping[a[i]] === -1) mapping[a[i]] = b[i];
    else if (mapping[a[i]] !== b[i]) return false;
  }
  return true;
}

/**
 * Renumbers clusters by decreasing size, ties by lexicographic centroid, so the same data
 * always yields the same ids.
 */
function canonicalOrder(centers: Float64Array, labels: Int32Array, k: number, cols: number, inertia: number, iterations: number): KMeansResult {
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    if (sizes[a] !== sizes[b]) return sizes[b] - sizes[a];
    for (let f = 0; f < cols; f++) {
      const d = centers[a * cols + f] - centers[b * cols + f];
      if (d !== 0) return d;
    }
    return a - b;
  });
  const newId = new Int32Array(k);
  order.forEach((old, idx) => (newId[old] = idx));
  const outCenters = new Float64Array(k * cols);
  const outSizes = new Int32Array(k);
  order.forEach((old, idx) => {
    outCenters.set(centers.subarray(old * cols, (old + 1) * cols), idx * cols);
    outSizes[idx] = sizes[old];
  });
  const outLabels = labels.map((l) => newId[l]);
  return { centroids: { data: outCenters, rows: k, cols }, labels: outLabels, inertia, iterations, sizes: outSizes };
}

/**
 * Labels of new rows: the nearest centroid, exactly as scikit-learn's `predict`.
 *
 * @example
 * predictKMeans(model.centroids, [[0, 0.5], [9, 8.5]]) // => Int32Array [0, 1]
 */
export function predictKMeans(centroids: DenseMatrix, input: MatrixInput): Int32Array {
  const m = toDenseMatrix(input, centroids.cols, 'predictKMeans');
  return assignNearest(m.data, m.rows, m.cols, centroids.data, centroids.rows);
}
