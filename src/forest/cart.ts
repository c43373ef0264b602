import type { SeededRandom } from './random.js';

/** Split quality measure, as scikit-learn's `criterion`. */
export type Criterion = 'gini' | 'entropy';

/**
 * One fitted classification tree in scikit-learn's array layout: node 0 is the root,
 * `left[i] === -1` marks a leaf, a sample goes left iff `float32(x[feature]) <= threshold`.
 * `value` holds the weighted class counts, `numClasses` per node.
 */
export interface TreeArrays {
  nodeCount: number;
  numClasses: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  value: Float64Array;
  impurity: Float64Array;
  nodeSamples: Int32Array;
  weightedNodeSamples: Float64Array;
}

/**
 * Training data prepared once and shared by every tree of a forest: features column-major
 * in float32 (as scikit-learn casts them) and their dense per-feature ranks, so each node
 * sorts small integer keys instead of floats.
 */
export interface PreparedData {
  numRows: number;
  numFeatures: number;
  numClasses: number;
  columns: Float32Array;
  ranks: Uint32Array;
  /** `ranks` in one byte, valid for features with at most 256 distinct values (cache-friendlier for the counting search). */
  smallRanks: Uint8Array;
  /** Distinct values per feature (so ranks of feature f run 0 .. numRanks[f] - 1). */
  numRanks: Uint32Array;
  /** Feature f's distinct values in increasing order, at `rankValues[rankOffsets[f] + rank]`. */
  rankValues: Float64Array;
  rankOffsets: Uint32Array;
  y: Int32Array;
}

/** Growth limits of one tree, in scikit-learn's meaning. */
export interface GrowOptions {
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features drawn at each split (already resolved from 'sqrt', a fraction, ...). */
  maxFeatures: number;
}

// scikit-learn treats feature values closer than this as equal when looking for split points.
const FEATURE_THRESHOLD = 1e-7;
const EPSILON = 2.220446049250313e-16;
/**
 * A feature with at most this many distinct values (and no more than the node's samples) is
 * searched by counting its ranks in the node instead of sorting them: binary and one-hot
 * columns, small integer codes.
 */
const MAX_COUNTED_RANKS = 256;

/**
 * Lays out row-major float32 features column by column with dense ranks.
 *
 * @example
 * prepareData(new Float32Array([3, 1, 2]), 3, 1, new Int32Array([0, 1, 0]), 2).ranks // => Uint32Array [2, 0, 1]
 */
export function prepareData(rows: Float32Array, numRows: number, numFeatures: number, y: Int32Array, numClasses: number): PreparedData {
  const columns = new Float32Array(numRows * numFeatures);
  const ranks = new Uint32Array(numRows * numFeatures);
  const smallRanks = new Uint8Array(numRows * numFeatures);
  const order = new Uint32Array(numRows);
  const numRanks = new Uint32Array(numFeatures);
  const rankOffsets = new Uint32Array(numFeatures + 1);
  const distinct: number[] = [];
  for (let f = 0; f < numFeatures; f++) {
    const base = f * numRows;
    for (let i = 0; i < numRows; i++) columns[base + i] = rows[i * numFeatures + f];
    const col = columns.subarray(base, base + numRows);
    for (let i = 0; i < numRows; i++) order[i] = i;
    order.sort((a, b) => col[a] - col[b]);
    let rank = 0;
    for (let i = 0; i < numRows; i++) {
      if (i > 0 && col[order[i]] !== col[order[i - 1]]) rank++;
      if (i === 0 || rank === distinct.length - rankOffsets[f]) distinct.push(col[order[i]]);
      ranks[base + order[i]] = rank;
      smallRanks[base + order[i]] = rank;
    }
    numRanks[f] = numRows > 0 ? rank + 1 : 0;
    rankOffsets[f + 1] = distinct.length;
  }
  return { numRows, numFeatures, numClasses, columns, ranks, smallRanks, numRanks, rankValues: Float64Array.from(distinct), rankOffsets, y };
}

/**
 * The impurity-decrease proxy of a split with `countsLeft` (weights per class) on the left
 * of a node whose class weights are `value[vo .. vo + k)`: larger is better.
 */
function splitProxy(countsLeft: Float64Array, value: Float64Array, vo: number, k: number, wLeft: number, wRight: number, criterion: Criterion): number {
  if (k === 2 && criterion === 'gini') {
    const l0 = countsLeft[0];
    const l1 = countsLeft[1];
    const r0 = value[vo] - l0;
    const r1 = value[vo + 1] - l1;
    return (l0 * l0 + l1 * l1) / wLeft + (r0 * r0 + r1 * r1) / wRight;
  }
  if (criterion === 'gini') {
    let sqLeft = 0;
    let sqRight = 0;
    for (let c = 0; c < k; c++) {
      const cl = countsLeft[c];
      const cr = value[vo + c] - cl;
      sqLeft += cl * cl;
      sqRight += cr * cr;
    }
    return sqLeft / wLeft + sqRight / wRight;
  }
  let hLeft = 0;
  let hRight = 0;
  for (let c = 0; c < k; c++) {
    const cl = countsLeft[c];
    const cr = value[vo + c] - cl;
    if (cl > 0) hLeft -= cl * Math.log2(cl / wLeft);
    if (cr > 0) hRight -= cr * Math.log2(cr / wRight);
  }
  return -(hLeft + hRight);
}

function impurityOf(counts: Float64Array, offset: number, k: number, total: number, criterion: Criterion): number {
  if (!(total > 0)) return 0;
  if (criterion === 'gini') {
    let sq = 0;
    for (let c = 0; c < k; c++) sq += counts[offset + c] * counts[offset + c];
    return 1 - sq / (total * total);
  }
  let entropy = 0;
  for (let c = 0; c < k; c++) {
    const count = counts[offset + c];
    if (count > 0) {
      const p = count / total;
      entropy -= p * Math.log2(p);
    }
  }
  return entropy;
}

/**
 * Grows one CART tree the way scikit-learn's depth-first builder with the best splitter does:
 * features drawn without replacement at every node (constant ones skipped and remembered
 * for the subtree), all midpoints between distinct sorted values tried, the best weighted
 * impurity decrease kept. Rows with zero weight (out of the bootstrap) are left out.
 * A feature with at most `maxCountedRanks` (≤ 256; 0 = never) distinct values is searched by
 * counting instead of sorting, with the same tree as a result.
 *
 * @example
 * const tree = growTree(data, weights, { criterion: 'gini', maxDepth: Infinity, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 3 }, seededRandom(1));
 */
export function growTree(data: PreparedData, weights: Float64Array, options: GrowOptions, rng: SeededRandom, maxCountedRanks = MAX_COUNTED_RANKS): TreeArrays {
  const { numRows: n, numFeatures: d, numClasses: k, columns, ranks, smallRanks, numRanks, rankValues, rankOffsets, y } = data;
  const { criterion, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures } = options;

  const samples = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) if (weights[i] > 0) samples[total++] = i;

  const capacity = Math.max(1, 2 * total - 1);
  const left = new Int32Array(capacity);
  const right = new Int32Array(capacity);
  const feature = new Int32Array(capacity);
  const threshold = new Float64Array(capacity);
  const value = new Float64Array(capacity * k);
  const impurity = new Float64Array(capacity);
  const nodeSamples = new Int32Array(capacity);
  const weightedNodeSamples = new Float64Array(capacity);
  let nodeCount = 0;

  const features = new Int32Array(d);
  for (let f = 0; f < d; f++) features[f] = f;
  const constantFeatures = new Int32Array(d);

  // Sort keys pack (rank, position in node): rank · 2^shift + position fits 32 bits unless
  // the data is huge, in which case float64 keys rank · m + position are used.
  let shift = 0;
  while (1 << shift < total && shift < 30) shift++;
  const mask = (1 << shift) - 1;
  const packed = n * 2 ** shift <= 2 ** 32 && 1 << shift >= total;
  const keys: Uint32Array | Float64Array = packed ? new Uint32Array(total) : new Float64Array(total);
  const sorted = new Int32Array(total);
  const xs = new Float64Array(total);
  const countsLeft = new Float64Array(k);
  // Counting search (few distinct values): samples and class weights per rank in the node.
  if (!(maxCountedRanks >= 0 && maxCountedRanks <= MAX_COUNTED_RANKS)) throw new RangeError(`maxCountedRanks must be in [0, ${MAX_COUNTED_RANKS}]`);
  const rankCount = new Int32Array(MAX_COUNTED_RANKS);
  const rankClass = new Float64Array(MAX_COUNTED_RANKS * k);
  const rankOf = new Int32Array(total);
  // With whole-number weights (bootstrap counts, no class weights) every partial sum is exact,
  // so summing per rank first gives the same bits as summing sample by sample in sorted order.
  let weightSum = 0;
  let wholeWeights = true;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    weightSum += w;
    if (!Number.isInteger(w) || w < 0) wholeWeights = false;
  }
  if (!(weightSum <= Number.MAX_SAFE_INTEGER)) wholeWeights = false;

  // Depth-first stack: start, end, depth, parent (encoded with side), known constants.
  const stack: number[] = [0, total, 0, -1, 0];
  while (stack.length > 0) {
    const nKnownConstants = stack.pop()!;
    const parentCode = stack.pop()!;
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    const m = end - start;
    const node = nodeCount++;
    if (parentCode >= 0) {
      if ((parentCode & 1) === 0) left[parentCode >> 1] = node;
      else right[parentCode >> 1] = node;
    }
    const vo = node * k;
    let wNode = 0;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      value[vo + y[s]] += weights[s];
    }
    for (let c = 0; c < k; c++) wNode += value[vo + c];
    const nodeImpurity = impurityOf(value, vo, k, wNode, criterion);
    impurity[node] = nodeImpurity;
    nodeSamples[node] = m;
    weightedNodeSamples[node] = wNode;
    left[node] = -1;
    right[node] = -1;
    feature[node] = -2;
    threshold[node] = -2;

    if (depth >= maxDepth || m < minSamplesSplit || m < 2 * minSamplesLeaf || nodeImpurity <= EPSILON) continue;

    let bestProxy = -Infinity;
    let bestFeature = -1;
    let bestThreshold = 0;
    let fi = d;
    let nDrawnConstants = 0;
    let nFoundConstants = 0;
    let nTotalConstants = nKnownConstants;
    let nVisited = 0;
    while (fi > nTotalConstants && (nVisited < maxFeatures || nVisited <= nFoundConstants + nDrawnConstants)) {
      nVisited++;
      let fj = nDrawnConstants + rng.nextInt(fi - nFoundConstants - nDrawnConstants);
      if (fj < nKnownConstants) {
        const t = features[nDrawnConstants];
        features[nDrawnConstants] = features[fj];
        features[fj] = t;
        nDrawnConstants++;
        continue;
      }
      fj += nFoundConstants;
      const f = features[fj];
      const base = f * n;

      const numR = numRanks[f];
      const counted = numR <= maxCountedRanks && numR <= m;
      const ro = rankOffsets[f];
      let lowest: number;
      let highest: number;
      if (counted) {
        rankCount.fill(0, 0, numR);
        if (wholeWeights) {
          rankClass.fill(0, 0, numR * k);
          for (let i = start; i < end; i++) {
            const s = samples[i];
            const r = smallRanks[base + s];
            rankCount[r]++;
            rankClass[r * k + y[s]] += weights[s];
          }
        } else {
          for (let i = 0; i < m; i++) {
            const r = smallRanks[base + samples[start + i]];
            rankCount[r]++;
            rankOf[i] = r;
          }
        }
        let rMin = 0;
        while (rankCount[rMin] === 0) rMin++;
        let rMax = numR - 1;
        while (rankCount[rMax] === 0) rMax--;
        lowest = rankValues[ro + rMin];
        highest = rankValues[ro + rMax];
        if (!wholeWeights) {
          // A stable counting sort: the order sorting (rank, position) gives.
          for (let r = 0, at = 0; r < numR; r++) {
            const c = rankCount[r];
            rankCount[r] = at;
            at += c;
          }
          for (let i = 0; i < m; i++) {
            const r = rankOf[i];
            const j = rankCount[r]++;
            sorted[j] = samples[start + i];
            xs[j] = rankValues[ro + r];
          }
        }
      } else {
        const sub = keys.subarray(0, m);
        if (packed) {
          for (let i = 0; i < m; i++) sub[i] = ranks[base + samples[start + i]] * (mask + 1) + i;
        } else {
          for (let i = 0; i < m; i++) sub[i] = ranks[base + samples[start + i]] * m + i;
        }
        if (m <= 24) {
          for (let i = 1; i < m; i++) {
            const key = sub[i];
            let j = i - 1;
            while (j >= 0 && sub[j] > key) {
              sub[j + 1] = sub[j];
              j--;
            }
            sub[j + 1] = key;
          }
        } else sub.sort();
        for (let j = 0; j < m; j++) {
          const s = samples[start + (packed ? sub[j] & mask : sub[j] % m)];
          sorted[j] = s;
          xs[j] = columns[base + s];
        }
        lowest = xs[0];
        highest = xs[m - 1];
      }
      if (highest <= lowest + FEATURE_THRESHOLD) {
        features[fj] = features[nTotalConstants];
        features[nTotalConstants] = f;
        nFoundConstants++;
        nTotalConstants++;
        continue;
      }
      fi--;
      features[fj] = features[fi];
      features[fi] = f;

      countsLeft.fill(0);
      if (counted && wholeWeights) {
        // The sorted scan's split points are the boundaries between consecutive present values.
        let wLeft = 0;
        let p = 0;
        let prev = -1;
        for (let r = 0; r < numR; r++) {
          const count = rankCount[r];
          if (count === 0) continue;
          if (prev >= 0 && !(rankValues[ro + r] <= rankValues[ro + prev] + FEATURE_THRESHOLD) && p >= minSamplesLeaf && m - p >= minSamplesLeaf) {
            const proxy = splitProxy(countsLeft, value, vo, k, wLeft, wNode - wLeft, criterion);
            if (proxy > bestProxy) {
              bestProxy = proxy;
              bestFeature = f;
              const lo = rankValues[ro + prev];
              const hi = rankValues[ro + r];
              let t = lo / 2 + hi / 2;
              if (t === hi || t === Infinity || t === -Infinity) t = lo;
              bestThreshold = t;
            }
          }
          for (let c = 0; c < k; c++) {
            const w = rankClass[r * k + c];
            countsLeft[c] += w;
            wLeft += w;
          }
          p += count;
          prev = r;
        }
        continue;
      }
      let wLeft = 0;
      for (let p = 1; p < m; p++) {
        const s = sorted[p - 1];
        const w = weights[s];
        countsLeft[y[s]] += w;
        wLeft += w;
        if (xs[p] <= xs[p - 1] + FEATURE_THRESHOLD) continue;
        if (p < minSamplesLeaf || m - p < minSamplesLeaf) continue;
        const proxy = splitProxy(countsLeft, value, vo, k, wLeft, wNode - wLeft, criterion);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestFeature = f;
          let t = xs[p - 1] / 2 + xs[p] / 2;
          if (t === xs[p] || t === Infinity || t === -Infinity) t = xs[p - 1];
          bestThreshold = t;
        }
      }
    }
    // Keep the known-constant prefix in its original order for siblings, and append new ones.
    for (let i = 0; i < nKnownConstants; i++) features[i] = constantFeatures[i];
    for (let i = nKnownConstants; i < nKnownConstants + nFoundConstants; i++) constantFeatures[i] = features[i];

    if (bestFeature < 0) continue;
    const base = bestFeature * n;
    let p = start;
    let partitionEnd = end;
    while (p < partitionEnd) {
      if (columns[base + samples[p]] <= bestThreshold) p++;
      else {
        partitionEnd--;
        const t = samples[p];
        samples[p] = samples[partitionEnd];
        samples[partitionEnd] = t;
      }
    }
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    // Right pushed first so the left subtree is numbered first, as scikit-learn does.
    stack.push(p, end, depth + 1, (node << 1) | 1, nTotalConstants);
    stack.push(start, p, depth + 1, node << 1, nTotalConstants);
  }

  return {
    nodeCount,
    numClasses: k,
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    value: value.slice(0, nodeCount * k),
    impurity: impurity.slice(0, nodeCount),
    nodeSamples: nodeSamples.slice(0, nodeCount),
    weightedNodeSamples: weightedNodeSamples.slice(0, nodeCount),
  };
}

/**
 * Impurity-based importances of one tree, normalised to sum to 1 (all zeros for a stump),
 * as `DecisionTreeClassifier.feature_importances_`.
 *
 * @example
 * treeImportances(tree, 5) // => Float64Array of 5 values summing to 1
 */
export function treeImportances(tree: Pick<TreeArrays, 'nodeCount' | 'left' | 'right' | 'feature' | 'impurity' | 'weightedNodeSamples'>, numFeatures: number): Float64Array {
  const out = new Float64Array(numFeatures);
  const { left, right, feature, impurity, weightedNodeSamples: w } = tree;
  for (let i = 0; i < tree.nodeCount; i++) {
    const l = left[i];
    if (l === -1) continue;
    const r = right[i];
    out[feature[i]] += w[i] * impurity[i] - w[l] * impurity[l] - w[r] * impurity[r];
  }
  let sum = 0;
  for (let f = 0; f < numFeatures; f++) sum += out[f] / w[0];
  if (sum > 0) for (let f = 0; f < numFeatures; f++) out[f] = out[f] / w[0] / sum;
  return out;
}
