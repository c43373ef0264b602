import { InputError } from '../errors.js';
import { completeLayout, splitMissing, type CompleteLayout, type SplitRows } from './complete-layout.js';
import type { TreeEnsemble } from './types.js';

/** Which trees to use: [treeBegin, treeEnd), defaulting to all of them. */
export interface TreeRange {
  treeBegin?: number;
  treeEnd?: number;
}

/**
 * Rows walk through one tree before the next, a block at a time, as in XGBoost's CPU
 * predictor. XGBoost's 64 rows suit its compact nodes; our wider node arrays make a
 * large ensemble sweep megabytes per block, so a block holds about 512 KB of input
 * instead, which stays in L2 while every tree runs over it. Each row's summation order
 * is the same whatever the block size.
 */
const BLOCK_BYTES = 512 * 1024;

/** @internal */
export function resolveRange(ensemble: TreeEnsemble, range: TreeRange | undefined): [number, number] {
  const begin = range?.treeBegin ?? 0;
  const end = range?.treeEnd ?? ensemble.numTrees;
  if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end > ensemble.numTrees || begin > end) {
    throw new InputError(`tree range [${begin}, ${end}) is outside [0, ${ensemble.numTrees}]`);
  }
  return [begin, end];
}

/** @internal */
export function checkRows(ensemble: TreeEnsemble, rows: Float32Array, numRows: number): void {
  if (!Number.isInteger(numRows) || numRows < 0) throw new InputError(`row count must be a non-negative integer, got ${numRows}`);
  if (rows.length !== numRows * ensemble.numFeatures) {
    throw new InputError(`expected ${numRows} rows × ${ensemble.numFeatures} features = ${numRows * ensemble.numFeatures} values, got ${rows.length}`);
  }
}

const FEATURE_MASK = 0x0fffffff;
const DEFAULT_LEFT = 0x10000000;
const CATEGORICAL = 0x20000000;

/** Each node's split in one 16-byte record: [feature | flags (-1 for a leaf), left, right, threshold bits]. */
interface PackedNodes {
  words: Int32Array;
  thresholds: Float32Array;
}

const packedCache = new WeakMap<TreeEnsemble, PackedNodes>();

/**
 * The interpreter reads one cache line per node instead of six arrays; built on first use,
 * so an ensemble that only ever runs compiled never pays for it.
 */
function packedNodes(ensemble: TreeEnsemble): PackedNodes {
  let packed = packedCache.get(ensemble);
  if (packed) return packed;
  const n = ensemble.feature.length;
  const buffer = new ArrayBuffer(n * 16);
  const words = new Int32Array(buffer);
  const thresholds = new Float32Array(buffer);
  for (let i = 0; i < n; i++) {
    const f = ensemble.feature[i];
    words[4 * i] = f < 0 ? -1 : f | (ensemble.defaultLeft[i] === 1 ? DEFAULT_LEFT : 0) | (ensemble.categorySlot[i] >= 0 ? CATEGORICAL : 0);
    words[4 * i + 1] = ensemble.left[i];
    words[4 * i + 2] = ensemble.right[i];
    thresholds[4 * i + 3] = ensemble.threshold[i];
  }
  packed = { words, thresholds };
  packedCache.set(ensemble, packed);
  return packed;
}

/**
 * Global index of the leaf that one row reaches in the tree rooted at `root`.
 * `rowStart` is the offset of the row's first feature in `rows`.
 *
 * @example
 * const leaf = findLeaf(ensemble, rows, 0, ensemble.treeStart[0]);
 * ensemble.leafValues[leaf]; // that tree's contribution for row 0
 */
export function findLeaf(ensemble: TreeEnsemble, rows: Float32Array, rowStart: number, root: number): number {
  return walk(ensemble, packedNodes(ensemble), rows, rowStart, root);
}

/** The one tree walk: both {@link findLeaf} and the batch loop use it (V8 inlines it there). */
function walk(ensemble: TreeEnsemble, packed: PackedNodes, rows: Float32Array, rowStart: number, root: number): number {
  const { words, thresholds } = packed;
  let node = root;
  let word = words[node << 2];
  while (word >= 0) {
    const q = node << 2;
    const x = rows[rowStart + (word & FEATURE_MASK)];
    if ((word & CATEGORICAL) === 0) {
      // NaN fails both comparisons and takes the default child.
      node = x < thresholds[q + 3] ? words[q + 1] : x === x ? words[q + 2] : (word & DEFAULT_LEFT) !== 0 ? words[q + 1] : words[q + 2];
    } else if (x !== x) node = (word & DEFAULT_LEFT) !== 0 ? words[q + 1] : words[q + 2];
    else node = inCategorySet(ensemble, ensemble.categorySlot[node], x) ? words[q + 2] : words[q + 1];
    word = words[node << 2];
  }
  return node;
}

/**
 * Whether category value `x` is in the set of categorical split `slot`. Negative,
 * non-finite and beyond-the-set values are not, as in XGBoost; fractions truncate.
 *
 * @example
 * inCategorySet(ensemble, ensemble.categorySlot[node], 3) // => true if category 3 goes right
 */
export function inCategorySet(ensemble: TreeEnsemble, slot: number, x: number): boolean {
  if (!(x >= 0 && x < 16777216)) return false;
  const c = Math.trunc(x);
  const word = ensemble.categoryStart[slot] + (c >>> 5);
  if (word >= ensemble.categoryStart[slot + 1]) return false;
  return ((ensemble.categoryBits[word] >>> (c & 31)) & 1) === 1;
}

/**
 * Raw margins: base margin plus the sum of leaf values, per row and output, summed in
 * tree order with the ensemble's precision (float32 for XGBoost). Rows are row-major
 * float32 with NaN for missing. This is the reference interpreter; the compiled
 * predictor (`compileEnsemble`) gives bit-identical results.
 *
 * @example
 * const margins = predictMargins(ensemble, Float32Array.from([0.2, NaN, 3]), 1); // n × numOutputs
 */
export function predictMargins(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, range?: TreeRange): Float64Array {
  checkRows(ensemble, rows, numRows);
  const [begin, end] = resolveRange(ensemble, range);
  const out = initialMargins(ensemble, numRows);
  accumulateTrees(ensemble, rows, numRows, out, begin, end);
  return out;
}

/** @internal `numRows × numOutputs` margins, each row starting at the base margin. */
export function initialMargins(ensemble: TreeEnsemble, numRows: number): Float64Array {
  const out = new Float64Array(numRows * ensemble.numOutputs);
  const base = ensemble.baseMargin;
  if (base.length === 1) out.fill(base[0]);
  else for (let r = 0; r < numRows; r++) out.set(base, r * base.length);
  return out;
}

/** Split rows for the complete-layout walk; reused so that scoring one row allocates nothing. */
let splitRows: SplitRows | null = null;
const EMPTY_KEYS = new Int32Array(0);

/**
 * @internal Adds trees [begin, end) to `out` (`numRows × numOutputs`), a block of rows
 * through one tree before the next. Trees in the complete layout descend branch-free,
 * eight at a time; the rest walk node by node. Either way each row's leaves are added in
 * tree order, so the sum rounds exactly as XGBoost's. Allocates nothing once warm, so the
 * single-row path can call it too.
 */
export function accumulateTrees(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, out: Float64Array, begin: number, end: number): void {
  const { numOutputs, numFeatures, leafWidth, leafValues, treeStart, treeOutput } = ensemble;
  const packed = packedNodes(ensemble);
  const layout = completeLayout(ensemble);
  const f32 = ensemble.accumulate === 'float32';
  const fround = Math.fround;
  let anyComplete = false;
  for (let t = begin; t < end && !anyComplete; t++) anyComplete = layout.depth[t] >= 0;
  const blockRows = Math.max(64, Math.floor(BLOCK_BYTES / ((anyComplete ? 8 : 4) * Math.max(1, numFeatures))));
  for (let blockStart = 0; blockStart < numRows; blockStart += blockRows) {
    const blockEnd = Math.min(numRows, blockStart + blockRows);
    const count = blockEnd - blockStart;
    // Only complete-layout trees read split rows; a range of deep trees skips the copy.
    const split = anyComplete ? (splitRows = splitMissing(rows, numFeatures, blockStart, count, splitRows)).keys : EMPTY_KEYS;
    for (let t = begin; t < end; t++) {
      if (layout.groupOf8[t] === 8 && t + 8 <= end) {
        addGroupOf8(layout, split, numFeatures, count, t, treeOutput, numOutputs, f32, out, blockStart * numOutputs);
        t += 7;
        continue;
      }
      if (layout.depth[t] >= 0) {
        addCompleteTree(layout, split, numFeatures, count, t, treeOutput[t], numOutputs, f32, out, blockStart * numOutputs);
        continue;
      }
      const root = treeStart[t];
      const output = treeOutput[t];
      for (let r = blockStart; r < blockEnd; r++) {
        const node = walk(ensemble, packed, rows, r * numFeatures, root);
        if (leafWidth === 1) {
          const o = r * numOutputs + output;
          out[o] = f32 ? fround(out[o] + leafValues[node]) : out[o] + leafValues[node];
        } else {
          const o = r * numOutputs;
          const v = node * leafWidth;
          if (f32) for (let k = 0; k < leafWidth; k++) out[o + k] = fround(out[o + k] + leafValues[v + k]);
          else for (let k = 0; k < leafWidth; k++) out[o + k] = out[o + k] + leafValues[v + k];
        }
      }
    }
  }
}

/** One complete-layout tree over `count` split rows. */
function addCompleteTree(
  layout: CompleteLayout, split: Int32Array, numFeatures: number, count: number, t: number,
  output: number, numOutputs: number, f32: boolean, out: Float64Array, outStart: number,
): void {
  const { words, thresholds, leaves } = layout;
  const depth = layout.depth[t];
  const r0 = layout.nodeBase[t];
  const leaf0 = layout.leafBase[t] - (2 ** depth - 1);
  const stride = 2 * numFeatures;
  for (let r = 0, x = 0, o = outStart + output; r < count; r++, x += stride, o += numOutputs) {
    let i = 0;
    for (let level = 0; level < depth; level++) {
      i = 2 * i + 1 + +(split[x + words[r0 + i]] >= thresholds[r0 + i]);
    }
    out[o] = f32 ? Math.fround(out[o] + leaves[leaf0 + i]) : out[o] + leaves[leaf0 + i];
  }
}

/** Trees t..t+7 (one depth) side by side: eight independent descents per row. */
function addGroupOf8(
  layout: CompleteLayout, split: Int32Array, numFeatures: number, count: number, t: number,
  treeOutput: Int32Array, numOutputs: number, f32: boolean, out: Float64Array, outStart: number,
): void {
  const { words: w, thresholds: th, leaves } = layout;
  const depth = layout.depth[t];
  const b = layout.nodeBase;
  const a0 = b[t], a1 = b[t + 1], a2 = b[t + 2], a3 = b[t + 3];
  const a4 = b[t + 4], a5 = b[t + 5], a6 = b[t + 6], a7 = b[t + 7];
  const firstLeaf = 2 ** depth - 1;
  const l = layout.leafBase;
  const o0 = treeOutput[t], o1 = treeOutput[t + 1], o2 = treeOutput[t + 2], o3 = treeOutput[t + 3];
  const o4 = treeOutput[t + 4], o5 = treeOutput[t + 5], o6 = treeOutput[t + 6], o7 = treeOutput[t + 7];
  const stride = 2 * numFeatures;
  for (let r = 0, x = 0, o = outStart; r < count; r++, x += stride, o += numOutputs) {
    let i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
    for (let level = 0; level < depth; level++) {
      i0 = 2 * i0 + 1 + +(split[x + w[a0 + i0]] >= th[a0 + i0]);
      i1 = 2 * i1 + 1 + +(split[x + w[a1 + i1]] >= th[a1 + i1]);
      i2 = 2 * i2 + 1 + +(split[x + w[a2 + i2]] >= th[a2 + i2]);
      i3 = 2 * i3 + 1 + +(split[x + w[a3 + i3]] >= th[a3 + i3]);
      i4 = 2 * i4 + 1 + +(split[x + w[a4 + i4]] >= th[a4 + i4]);
      i5 = 2 * i5 + 1 + +(split[x + w[a5 + i5]] >= th[a5 + i5]);
      i6 = 2 * i6 + 1 + +(split[x + w[a6 + i6]] >= th[a6 + i6]);
      i7 = 2 * i7 + 1 + +(split[x + w[a7 + i7]] >= th[a7 + i7]);
    }
    const v0 = leaves[l[t] + i0 - firstLeaf], v1 = leaves[l[t + 1] + i1 - firstLeaf];
    const v2 = leaves[l[t + 2] + i2 - firstLeaf], v3 = leaves[l[t + 3] + i3 - firstLeaf];
    const v4 = leaves[l[t + 4] + i4 - firstLeaf], v5 = leaves[l[t + 5] + i5 - firstLeaf];
    const v6 = leaves[l[t + 6] + i6 - firstLeaf], v7 = leaves[l[t + 7] + i7 - firstLeaf];
    if (f32) {
      const f = Math.fround;
      out[o + o0] = f(out[o + o0] + v0); out[o + o1] = f(out[o + o1] + v1);
      out[o + o2] = f(out[o + o2] + v2); out[o + o3] = f(out[o + o3] + v3);
      out[o + o4] = f(out[o + o4] + v4); out[o + o5] = f(out[o + o5] + v5);
      out[o + o6] = f(out[o + o6] + v6); out[o + o7] = f(out[o + o7] + v7);
    } else {
      out[o + o0] += v0; out[o + o1] += v1; out[o + o2] += v2; out[o + o3] += v3;
      out[o + o4] += v4; out[o + o5] += v5; out[o + o6] += v6; out[o + o7] += v7;
    }
  }
}

/**
 * The leaf each row reaches in each tree, as the tree's own node id (XGBoost's `pred_leaf`).
 *
 * @example
 * predictLeaves(ensemble, rows, 2) // => Int32Array of 2 × numTrees node ids
 */
export function predictLeaves(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, range?: TreeRange): Int32Array {
  checkRows(ensemble, rows, numRows);
  const [begin, end] = resolveRange(ensemble, range);
  const width = end - begin;
  const out = new Int32Array(numRows * width);
  for (let r = 0; r < numRows; r++) {
    for (let t = begin; t < end; t++) {
      const root = ensemble.treeStart[t];
      out[r * width + (t - begin)] = findLeaf(ensemble, rows, r * ensemble.numFeatures, root) - root;
    }
  }
  return out;
}
