import { FitError, InputError } from '../errors.js';
import { runSteps, runStepsAsync, type CancellableOptions, type Steps } from '../steps.js';
import { requireFinite, toDenseMatrix, type DenseMatrix, type MatrixInput } from '../preprocess/matrix.js';
import { assignNearest } from './assign.js';
import { seedCentres, type FirstCentre } from './kmeans-plus-plus.js';
import { lloyd } from './lloyd.js';
import { centreInPlace, centreRows, columnSums, copyAndSumColumns } from './columns.js';
import { pairwiseSum } from './numeric.js';
import { createRowScorer, packedWidth, SIMD_MIN_VALUES } from './scorer.js';
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
  return runSteps(fitKMeansSteps(input, options));
}

/**
 * {@link fitKMeans} without blocking the event loop for more than one k-means++ start and
 * its Lloyd run at a time, and cancellable: rejects with an `AbortedError` when `signal`
 * aborts. `onProgress` is called after each of the `nInit` runs. Same result as `fitKMeans`.
 *
 * @example
 * const { labels } = await fitKMeansAsync(rows, { k: 8, signal: AbortSignal.timeout(5000), onProgress: (done, total) => console.log(done, total) });
 */
export function fitKMeansAsync(input: MatrixInput, options: KMeansOptions & CancellableOptions): Promise<KMeansResult> {
  return runStepsAsync(fitKMeansSteps(input, options), 'fitKMeans', options);
}

function* fitKMeansSteps(input: MatrixInput, options: KMeansOptions): Steps<KMeansResult> {
  const m = toDenseMatrix(input, undefined, 'fitKMeans');
  const { rows, cols } = m;
  const data = m.data;
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

  // The rows go where the fit scores them (see createRowScorer), then are centred there.
  const scorer = createRowScorer(rows, cols, Math.max(packedWidth(k), packedWidth(2 + Math.floor(Math.log(k)))), rows * cols >= SIMD_MIN_VALUES);
  const { x, memory } = scorer;
  const colMean = memory.kernels === null ? columnSums(data, rows, cols) : copyAndSumColumns(data, rows, cols, x, memory, memory.kernels);
  // A NaN or infinity anywhere makes its column sum non-finite; finite sums prove there is none.
  if (!colMean.every(Number.isFinite)) requireFinite(m, 'fitKMeans');
  if (countDistinctRows(m, k) < k) throw new FitError(`fitKMeans: need at least ${k} distinct rows for k = ${k}`);

  // Tolerance from the data's variance, before centring (as scikit-learn does): the column
  // sums above, then the centred values and their squares summed in row order. The centred
  // rows come with their squared norms.
  for (let j = 0; j < cols; j++) colMean[j] /= rows;
  const xx = memory.f64(rows);
  const rng = new NumpyRandomState(seed);
  // k-means++'s first draw picks its first centre: the distances to it come with the centring.
  const firstCentre: FirstCentre | undefined = options.init === undefined ? { row: rng.randint(rows), distances: memory.f64(rows) } : undefined;
  const variances =
    memory.kernels === null ? centreRows(data, rows, cols, colMean, x, xx, firstCentre) : centreInPlace(data, x, rows, cols, colMean, xx, memory, memory.kernels, firstCentre);
  for (let j = 0; j < cols; j++) variances[j] /= rows;
  const tolAbs = (pairwiseSum(variances) / cols) * tol;

  let initCenters: Float64Array | null = null;
  if (options.init !== undefined) {
    const init = toDenseMatrix(options.init, cols, 'fitKMeans init');
    requireFinite(init, 'fitKMeans init');
    if (init.rows !== k) throw new InputError(`fitKMeans: init has ${init.rows} rows, expected k = ${k}`);
    initCenters = new Float64Array(k * cols);
    for (let c = 0; c < k; c++) for (let j = 0; j < cols; j++) initCenters[c * cols + j] = init.data[c * cols + j] - colMean[j];
  }
  const nInit = initCenters ? 1 : nInitOption;
  let best: { labels: Int32Array; inertia: number; centers: Float64Array; iterations: number } | null = null;
  for (let run = 0; run < nInit; run++) {
    // Each run's scratch arrays reuse the previous run's space (its labels and centres do not live there).
    const mark = memory.mark();
    const seeded = initCenters
      ? { centers: Float64Array.from(initCenters), seeds: undefined }
      : seedCentres(scorer, xx, rows, cols, k, rng, true, run === 0 ? firstCentre : undefined);
    const result = lloyd(x, xx, rows, cols, seeded.centers, k, maxIter, tolAbs, true, seeded.seeds);
    // The labels may live in the fit's memory, which is reused by the next run and let go after the fit.
    if (memory.holds(result.labels)) result.labels = result.labels.slice();
    if (best === null || (result.inertia < best.inertia && !sameClustering(result.labels, best.labels, k))) best = result;
    memory.release(mark);
    yield { done: run + 1, total: nInit };
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
 * always yields the same ids (`labels` renumbered in place).
 */
function canonicalOrder(centers: Float64Array, labels: Int32Array, k: number, cols: number, inertia: number, iterations: number): KMeansResult {
  const sizes = clusterSizes(labels, new Int32Array(k));
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    if (sizes[a] !== sizes[b]) return sizes[b] - sizes[a];
    for (let f = 0; f < cols; f++) {
      const d = centers[a * cols + f] - centers[b * cols + f];
      if (d !== 0) return d;
    }
    return a - b;
  });
  const newId = new Int32Array(k);
  const outCenters = new Float64Array(k * cols);
  const outSizes = new Int32Array(k);
  for (let idx = 0; idx < k; idx++) {
    const old = order[idx];
    newId[old] = idx;
    outCenters.set(centers.subarray(old * cols, (old + 1) * cols), idx * cols);
    outSizes[idx] = sizes[old];
  }
  relabel(labels, newId);
  return { centroids: { data: outCenters, rows: k, cols }, labels, inertia, iterations, sizes: outSizes };
}

function clusterSizes(labels: Int32Array, sizes: Int32Array): Int32Array {
  for (let i = 0; i < labels.length; i++) sizes[labels[i]] += 1;
  return sizes;
}

function relabel(labels: Int32Array, newId: Int32Array): void {
  for (let i = 0; i < labels.length; i++) labels[i] = newId[labels[i]];
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
