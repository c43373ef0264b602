import { InputError } from '../errors.js';
import { requireFinite, toDenseMatrix, type DenseMatrix, type MatrixInput } from '../preprocess/matrix.js';
import { encodeLabels, type EncodedLabels } from './labels.js';
import { fastFma as fma, pairwiseSum, rowNormSquared } from './numeric.js';
import { NumpyRandomState } from './random.js';

// Cluster-quality scores with scikit-learn's definitions and arithmetic: Euclidean distances
// via ‖x‖² + ‖y‖² − 2x·y (as `pairwise_distances` computes them), NumPy summation order.

function prepare(input: MatrixInput, labels: ArrayLike<number | string>, where: string): { m: DenseMatrix; enc: EncodedLabels } {
  const m = toDenseMatrix(input, undefined, where);
  requireFinite(m, where);
  if (labels.length !== m.rows) throw new InputError(`${where}: ${labels.length} labels for ${m.rows} rows`);
  const enc = encodeLabels(labels);
  const nLabels = enc.classes.length;
  if (nLabels < 2 || nLabels > m.rows - 1) {
    throw new InputError(`${where}: number of labels is ${nLabels}; valid values are 2 to n_samples - 1 (inclusive)`);
  }
  return { m, enc };
}

/**
 * Silhouette coefficient of every row (0 for rows alone in their cluster).
 *
 * @example
 * silhouetteSamples([[0], [1], [10], [11]], [0, 0, 1, 1]) // ≈ [0.9, 0.889, 0.889, 0.9]
 */
export function silhouetteSamples(input: MatrixInput, labels: ArrayLike<number | string>): Float64Array {
  const { m, enc } = prepare(input, labels, 'silhouetteSamples');
  return silhouetteOf(m, enc);
}

/**
 * Row i's distance to row j as scikit-learn's `euclidean_distances` computes entry (i, j):
 * (−2·x_i·x_j + ‖x_i‖²) + ‖x_j‖². The order matters far from the origin, where entry (j, i)
 * rounds differently, so each direction is computed on its own.
 */
function distance(dot: number, own: number, other: number): number {
  const d2 = -2 * dot + own + other;
  return d2 > 0 ? Math.sqrt(d2) : 0;
}

function silhouetteOf(m: DenseMatrix, enc: EncodedLabels): Float64Array {
  const { data, rows, cols } = m;
  const k = enc.classes.length;
  const codes = enc.codes;
  const xx = new Float64Array(rows);
  for (let i = 0; i < rows; i++) xx[i] = rowNormSquared(data, i * cols, cols);
  const sums = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const ib = i * cols;
    const ci = codes[i];
    let j = i + 1;
    // Four partner rows per pass over row i: independent accumulators.
    for (; j + 3 < rows; j += 4) {
      const j0 = j * cols, j1 = j0 + cols, j2 = j1 + cols, j3 = j2 + cols;
      let p0 = 0, p1 = 0, p2 = 0, p3 = 0;
      for (let f = 0; f < cols; f++) {
        const a = data[ib + f];
        // Plain multiply-adds: an emulated fused multiply-add per term (as OpenBLAS rounds) made
        // the O(n²) pass about 100× slower; the fused version is kept for the O(n) Davies–Bouldin.
        p0 += a * data[j0 + f];
        p1 += a * data[j1 + f];
        p2 += a * data[j2 + f];
        p3 += a * data[j3 + f];
      }
      const dots = [p0, p1, p2, p3];
      for (let q = 0; q < 4; q++) {
        sums[i * k + codes[j + q]] += distance(dots[q], xx[i], xx[j + q]);
        sums[(j + q) * k + ci] += distance(dots[q], xx[j + q], xx[i]);
      }
    }
    for (; j < rows; j++) {
      const jb = j * cols;
      let dot = 0;
      for (let f = 0; f < cols; f++) dot += data[ib + f] * data[jb + f];
      sums[i * k + codes[j]] += distance(dot, xx[i], xx[j]);
      sums[j * k + ci] += distance(dot, xx[j], xx[i]);
    }
  }
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const own = codes[i];
    const size = enc.counts[own];
    if (size === 1) {
      out[i] = 0;
      continue;
    }
    const a = sums[i * k + own] / (size - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === own) continue;
      const mean = sums[i * k + c] / enc.counts[c];
      if (mean < b) b = mean;
    }
    const s = (b - a) / Math.max(a, b);
    out[i] = Number.isNaN(s) ? 0 : s;
  }
  return out;
}

/**
 * Mean silhouette coefficient (scikit-learn's `silhouette_score`). With `sampleSize`, it is
 * computed on that many rows drawn as `RandomState(seed).permutation(n)[:sampleSize]`, the
 * same rows scikit-learn picks for `random_state=seed`.
 *
 * @example
 * silhouetteScore([[0], [1], [10], [11]], [0, 0, 1, 1]) // ≈ 0.894
 */
export function silhouetteScore(
  input: MatrixInput,
  labels: ArrayLike<number | string>,
  options: { sampleSize?: number; seed?: number } = {},
): number {
  let m = toDenseMatrix(input, undefined, 'silhouetteScore');
  let lab: ArrayLike<number | string> = labels;
  if (options.sampleSize !== undefined) {
    const size = options.sampleSize;
    if (!Number.isInteger(size) || size < 2 || size > m.rows) throw new InputError(`silhouetteScore: sampleSize must be an integer in [2, ${m.rows}]`);
    if (labels.length !== m.rows) throw new InputError(`silhouetteScore: ${labels.length} labels for ${m.rows} rows`);
    const idx = new NumpyRandomState(options.seed ?? 0).permutation(m.rows).subarray(0, size);
    const data = new Float64Array(size * m.cols);
    const picked: (number | string)[] = [];
    idx.forEach((r, i) => {
      data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
      picked.push(labels[r]);
    });
    m = { data, rows: size, cols: m.cols };
    lab = picked;
  }
  const { m: checked, enc } = prepare(m, lab, 'silhouetteScore');
  const s = silhouetteOf(checked, enc);
  return pairwiseSum(s) / s.length;
}

/** Per-cluster means as NumPy's `mean(axis=0)`: sequential sums, pairwise for one column. */
function clusterMeans(m: DenseMatrix, enc: EncodedLabels): Float64Array {
  const k = enc.classes.length;
  const { data, rows, cols } = m;
  const means = new Float64Array(k * cols);
  if (cols === 1) {
    // An (n, 1) array is contiguous along axis 0, so NumPy sums it pairwise (see columnMeans).
    for (let c = 0; c < k; c++) {
      const members = new Float64Array(enc.counts[c]);
      let fill = 0;
      for (let i = 0; i < rows; i++) if (enc.codes[i] === c) members[fill++] = data[i];
      means[c] = pairwiseSum(members) / enc.counts[c];
    }
    return means;
  }
  for (let i = 0; i < rows; i++) {
    const c = enc.codes[i];
    for (let f = 0; f < cols; f++) means[c * cols + f] += data[i * cols + f];
  }
  for (let c = 0; c < k; c++) for (let f = 0; f < cols; f++) means[c * cols + f] /= enc.counts[c];
  return means;
}

/**
 * Davies-Bouldin index (lower is better), as scikit-learn's `davies_bouldin_score`.
 *
 * @example
 * daviesBouldinScore([[0], [1], [10], [11]], [0, 0, 1, 1]) // => 0.1
 */
export function daviesBouldinScore(input: MatrixInput, labels: ArrayLike<number | string>): number {
  const { m, enc } = prepare(input, labels, 'daviesBouldinScore');
  const { data, rows, cols } = m;
  const k = enc.classes.length;
  const centroids = clusterMeans(m, enc);
  const cc = new Float64Array(k);
  for (let c = 0; c < k; c++) cc[c] = rowNormSquared(centroids, c * cols, cols);
  const dists: Float64Array[] = Array.from({ length: k }, (_, c) => new Float64Array(enc.counts[c]));
  const fill = new Int32Array(k);
  for (let i = 0; i < rows; i++) {
    const c = enc.codes[i];
    let dot = 0;
    for (let f = 0; f < cols; f++) dot = fma(data[i * cols + f], centroids[c * cols + f], dot);
    const d2 = -2 * dot + rowNormSquared(data, i * cols, cols) + cc[c];
    dists[c][fill[c]++] = d2 > 0 ? Math.sqrt(d2) : 0;
  }
  const intra = dists.map((d) => pairwiseSum(d) / d.length);
  const cd = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      let dot = 0;
      for (let f = 0; f < cols; f++) dot = fma(centroids[a * cols + f], centroids[b * cols + f], dot);
      const d2 = -2 * dot + cc[a] + cc[b];
      cd[a * k + b] = d2 > 0 ? Math.sqrt(d2) : 0;
    }
  }
  if (intra.every((v) => Math.abs(v) <= 1e-8) || cd.every((v) => Math.abs(v) <= 1e-8)) return 0;
  const scores = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let worst = -Infinity;
    for (let b = 0; b < k; b++) {
      const d = a === b || cd[a * k + b] === 0 ? Infinity : cd[a * k + b];
      const r = (intra[a] + intra[b]) / d;
      if (r > worst) worst = r;
    }
    scores[a] = worst;
  }
  return pairwiseSum(scores) / k;
}

/** Σ over clusters of the squared distances of rows to their cluster mean, per cluster. */
function withinSquares(m: DenseMatrix, enc: EncodedLabels, means: Float64Array): Float64Array {
  const k = enc.classes.length;
  const { data, rows, cols } = m;
  const blocks = Array.from({ length: k }, (_, c) => new Float64Array(enc.counts[c] * cols));
  const fill = new Int32Array(k);
  for (let i = 0; i < rows; i++) {
    const c = enc.codes[i];
    for (let f = 0; f < cols; f++) {
      const d = data[i * cols + f] - means[c * cols + f];
      blocks[c][fill[c]++] = d * d;
    }
  }
  return Float64Array.from(blocks, (b) => pairwiseSum(b));
}

/**
 * Calinski-Harabasz index (higher is better), as scikit-learn's `calinski_harabasz_score`.
 *
 * @example
 * calinskiHarabaszScore([[0], [1], [10], [11]], [0, 0, 1, 1]) // => 200
 */
export function calinskiHarabaszScore(input: MatrixInput, labels: ArrayLike<number | string>): number {
  const { m, enc } = prepare(input, labels, 'calinskiHarabaszScore');
  const { data, rows, cols } = m;
  const k = enc.classes.length;
  const mean = new Float64Array(cols);
  if (cols === 1) mean[0] = pairwiseSum(data, 0, rows);
  else for (let i = 0; i < rows; i++) for (let f = 0; f < cols; f++) mean[f] += data[i * cols + f];
  for (let f = 0; f < cols; f++) mean[f] /= rows;
  const means = clusterMeans(m, enc);
  const within = withinSquares(m, enc, means);
  let extra = 0;
  let intra = 0;
  const diff = new Float64Array(cols);
  for (let c = 0; c < k; c++) {
    for (let f = 0; f < cols; f++) {
      const d = means[c * cols + f] - mean[f];
      diff[f] = d * d;
    }
    extra += enc.counts[c] * pairwiseSum(diff);
    intra += within[c];
  }
  return intra === 0 ? 1 : (extra * (rows - k)) / (intra * (k - 1));
}

/**
 * Inertia of a labelling: Σ‖x − mean of its cluster‖² (what k-means minimises).
 *
 * @example
 * clusterInertia([[0], [1], [10], [11]], [0, 0, 1, 1]) // => 1
 */
export function clusterInertia(input: MatrixInput, labels: ArrayLike<number | string>): number {
  const m = toDenseMatrix(input, undefined, 'clusterInertia');
  requireFinite(m, 'clusterInertia');
  if (labels.length !== m.rows) throw new InputError(`clusterInertia: ${labels.length} labels for ${m.rows} rows`);
  const enc = encodeLabels(labels);
  const within = withinSquares(m, enc, clusterMeans(m, enc));
  let total = 0;
  for (const w of within) total += w;
  return total;
}
