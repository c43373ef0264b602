import { InputError } from '../errors.js';
import { checkRows, resolveRange, type TreeRange } from './predict.js';
import type { TreeEnsemble } from './types.js';

// TreeSHAP (Lundberg et al., "Consistent individualized feature attribution for tree
// ensembles"), following XGBoost's CPU implementation step by step, including its float32
// arithmetic: every operation below is rounded with `fr` where XGBoost computes in float.

const fr = Math.fround;
/** Path memory grows with depth²; XGBoost trees are far shallower than this. */
const MAX_SHAP_DEPTH = 512;

/** Per-tree data the explainers need, computed once per ensemble. */
interface ExplainData {
  /** Cover-weighted mean leaf value under each node (XGBoost's node_mean_values). */
  meanValues: Float64Array;
  /** Deepest leaf of each tree (root = depth 0). */
  maxDepth: Int32Array;
}

const cache = new WeakMap<TreeEnsemble, ExplainData>();

function leafValuesOf(ensemble: TreeEnsemble): Float64Array {
  return ensemble.unweightedLeafValues ?? ensemble.leafValues;
}

function explainData(ensemble: TreeEnsemble): ExplainData {
  let data = cache.get(ensemble);
  if (data) return data;
  if (ensemble.leafWidth !== 1) throw new InputError('explanations need scalar-leaf trees; this model has vector leaves');
  const { feature, left, right, cover, treeStart, numTrees } = ensemble;
  const leaves = leafValuesOf(ensemble);
  const meanValues = new Float64Array(feature.length);
  const maxDepth = new Int32Array(numTrees);
  for (let t = 0; t < numTrees; t++) {
    // Post-order walk with an explicit stack: children's means before their parent's.
    const root = treeStart[t];
    const stack = [root, 0];
    const order: number[] = [];
    let deepest = 0;
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const node = stack.pop()!;
      order.push(node);
      if (depth > deepest) deepest = depth;
      if (feature[node] >= 0) {
        if (!(cover[node] === cover[node])) throw new InputError(`explanations need node covers (sum_hessian), which tree ${t} does not have`);
        stack.push(left[node], depth + 1, right[node], depth + 1);
      }
    }
    if (deepest > MAX_SHAP_DEPTH) throw new InputError(`tree ${t} is ${deepest} levels deep; explanations support at most ${MAX_SHAP_DEPTH}`);
    maxDepth[t] = deepest;
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k];
      if (feature[node] < 0) meanValues[node] = leaves[node];
      else {
        const l = left[node];
        const r = right[node];
        let result = fr(meanValues[l] * cover[l]);
        result = fr(result + fr(meanValues[r] * cover[r]));
        meanValues[node] = fr(result / cover[node]);
      }
    }
  }
  data = { meanValues, maxDepth };
  cache.set(ensemble, data);
  return data;
}

/** The child a row takes at an internal node (missing → default, categories → set test). */
function nextNode(ensemble: TreeEnsemble, node: number, x: number): number {
  if (x !== x) return ensemble.defaultLeft[node] === 1 ? ensemble.left[node] : ensemble.right[node];
  const slot = ensemble.categorySlot[node];
  if (slot < 0) return x < ensemble.threshold[node] ? ensemble.left[node] : ensemble.right[node];
  if (!(x >= 0 && x < 16777216)) return ensemble.left[node];
  const c = Math.trunc(x);
  const word = ensemble.categoryStart[slot] + (c >>> 5);
  if (word >= ensemble.categoryStart[slot + 1]) return ensemble.left[node];
  return ((ensemble.categoryBits[word] >>> (c & 31)) & 1) === 1 ? ensemble.right[node] : ensemble.left[node];
}

/** The "unique path" of TreeSHAP: a stack of frames, each a copy of its parent's path plus one element. */
class PathStore {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  pweight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.pweight = new Float64Array(size);
  }
}

function extendPath(p: PathStore, at: number, depth: number, zero: number, one: number, feature: number): void {
  const pw = p.pweight;
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  pw[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    pw[at + i + 1] = fr(pw[at + i + 1] + fr(fr(fr(one * pw[at + i]) * (i + 1)) / (depth + 1)));
    pw[at + i] = fr(fr(fr(zero * pw[at + i]) * (depth - i)) / (depth + 1));
  }
}

function unwindPath(p: PathStore, at: number, depth: number, index: number): void {
  const pw = p.pweight;
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = pw[at + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = pw[at + i];
      pw[at + i] = fr(fr(next * (depth + 1)) / fr((i + 1) * one));
      next = fr(tmp - fr(fr(fr(pw[at + i] * zero) * (depth - i)) / (depth + 1)));
    } else {
      pw[at + i] = fr(fr(pw[at + i] * (depth + 1)) / fr(zero * (depth - i)));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1];
    p.zero[at + i] = p.zero[at + i + 1];
    p.one[at + i] = p.one[at + i + 1];
  }
}

function unwoundPathSum(p: PathStore, at: number, depth: number, index: number): number {
  const pw = p.pweight;
  const one = p.one[at + index];
  const zero = p.zero[at + index];
  let next = pw[at + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = fr(fr(next * (depth + 1)) / fr((i + 1) * one));
      total = fr(total + tmp);
      next = fr(pw[at + i] - fr(fr(tmp * zero) * fr((depth - i) / (depth + 1))));
    } else if (zero !== 0) {
      total = fr(total + fr(fr(pw[at + i] / zero) / fr((depth - i) / (depth + 1))));
    }
  }
  return total;
}

/** One tree's exact SHAP values for one row, added into `phi` (numFeatures + 1 wide, bias last). */
class TreeShapRun {
  constructor(
    readonly ensemble: TreeEnsemble,
    readonly leaves: Float64Array,
    readonly rows: Float32Array,
    readonly path: PathStore,
  ) {}
  rowStart = 0;
  phi: Float64Array = new Float64Array(0);
  condition = 0;
  conditionFeature = -1;

  recurse(node: number, at: number, depth: number, parentZero: number, parentOne: number, parentFeature: number, conditionFraction: number): void {
    if (conditionFraction === 0) return;
    const p = this.path;
    const e = this.ensemble;
    // This frame's path starts right after the parent's and begins as a copy of it.
    const here = at + depth + 1;
    p.feature.copyWithin(here, at, at + depth + 1);
    p.zero.copyWithin(here, at, at + depth + 1);
    p.one.copyWithin(here, at, at + depth + 1);
    p.pweight.copyWithin(here, at, at + depth + 1);
    if (this.condition === 0 || this.conditionFeature !== parentFeature) extendPath(p, here, depth, parentZero, parentOne, parentFeature);
    const split = e.feature[node];
    if (split < 0) {
      const leaf = this.leaves[node];
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(p, here, depth, i);
        const f = p.feature[here + i];
        this.phi[f] = fr(this.phi[f] + fr(fr(fr(w * fr(p.one[here + i] - p.zero[here + i])) * leaf) * conditionFraction));
      }
      return;
    }
    const hot = nextNode(e, node, this.rows[this.rowStart + split]);
    const cold = hot === e.left[node] ? e.right[node] : e.left[node];
    const w = e.cover[node];
    const hotZero = fr(e.cover[hot] / w);
    const coldZero = fr(e.cover[cold] / w);
    let incomingZero = 1;
    let incomingOne = 1;
    // A feature already on the path: undo that split so this node can redo it.
    let index = 0;
    for (; index <= depth; index++) if (p.feature[here + index] === split) break;
    if (index !== depth + 1) {
      incomingZero = p.zero[here + index];
      incomingOne = p.one[here + index];
      unwindPath(p, here, depth, index);
      depth -= 1;
    }
    let hotCondition = conditionFraction;
    let coldCondition = conditionFraction;
    if (this.condition > 0 && split === this.conditionFeature) {
      coldCondition = 0;
      depth -= 1;
    } else if (this.condition < 0 && split === this.conditionFeature) {
      hotCondition = fr(hotCondition * hotZero);
      coldCondition = fr(coldCondition * coldZero);
      depth -= 1;
    }
    this.recurse(hot, here, depth + 1, fr(hotZero * incomingZero), incomingOne, split, hotCondition);
    this.recurse(cold, here, depth + 1, fr(coldZero * incomingZero), 0, split, coldCondition);
  }
}

/** Options shared by the explainers. */
export interface ExplainOptions extends TreeRange {}

type Method = 'exact' | 'approx';

/**
 * Per row, per output, per tree: contributions with XGBoost's float32 accumulation, the
 * tree weight applied after each tree, and the base margin added to the bias last.
 */
function contributions(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, range: TreeRange | undefined, method: Method, condition: number, conditionFeature: number): Float64Array {
  checkRows(ensemble, rows, numRows);
  const [begin, end] = resolveRange(ensemble, range);
  const { numFeatures, numOutputs, treeStart, treeOutput, treeWeight, baseMargin, feature } = ensemble;
  const data = explainData(ensemble);
  const width = numFeatures + 1;
  const out = new Float64Array(numRows * numOutputs * width);
  const treePhi = new Float64Array(width);
  let maxDepth = 0;
  for (let t = begin; t < end; t++) maxDepth = Math.max(maxDepth, data.maxDepth[t]);
  const maxd = maxDepth + 2;
  const run = new TreeShapRun(ensemble, leafValuesOf(ensemble), rows, new PathStore((maxd * (maxd + 1)) / 2 + maxd));
  run.phi = treePhi;
  run.condition = condition;
  run.conditionFeature = conditionFeature;
  const leaves = leafValuesOf(ensemble);
  for (let r = 0; r < numRows; r++) {
    const rowStart = r * numFeatures;
    run.rowStart = rowStart;
    for (let g = 0; g < numOutputs; g++) {
      const o = (r * numOutputs + g) * width;
      for (let t = begin; t < end; t++) {
        if (treeOutput[t] !== g) continue;
        treePhi.fill(0);
        const root = treeStart[t];
        if (method === 'exact') {
          if (condition === 0) treePhi[numFeatures] = data.meanValues[root];
          run.recurse(root, 0, 0, 1, 1, -1, 1);
        } else {
          let nodeValue = data.meanValues[root];
          treePhi[numFeatures] = nodeValue;
          let node = root;
          let split = 0;
          while (feature[node] >= 0) {
            split = feature[node];
            node = nextNode(ensemble, node, rows[rowStart + split]);
            const value = data.meanValues[node];
            treePhi[split] = fr(treePhi[split] + fr(value - nodeValue));
            nodeValue = value;
          }
          if (node !== root) treePhi[split] = fr(treePhi[split] + fr(leaves[node] - nodeValue));
        }
        const weight = treeWeight[t];
        for (let k = 0; k < width; k++) out[o + k] = fr(out[o + k] + fr(treePhi[k] * weight));
      }
      out[o + numFeatures] = fr(out[o + numFeatures] + baseMargin[g]);
    }
  }
  return out;
}

/**
 * Exact TreeSHAP values, laid out as XGBoost's `pred_contribs`: for each row and each
 * output, `numFeatures` contributions then the bias (the expected value plus the base
 * margin). Each row's block sums to its margin. Missing values and categorical splits are
 * explained as the model routes them; node covers (`sum_hessian`) weight the paths not taken.
 *
 * @example
 * const phi = treeShap(ensemble, rows, numRows); // numRows × numOutputs × (numFeatures + 1)
 */
export function treeShap(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, options?: ExplainOptions): Float64Array {
  return contributions(ensemble, rows, numRows, options, 'exact', 0, -1);
}

/**
 * Saabas contributions (XGBoost's `approx_contribs`): along the row's own path, each
 * split's feature gets the change in the cover-weighted mean value. Same layout as
 * {@link treeShap}; much cheaper, but not consistent.
 *
 * @example
 * const approx = approximateContributions(ensemble, rows, numRows);
 */
export function approximateContributions(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, options?: ExplainOptions): Float64Array {
  return contributions(ensemble, rows, numRows, options, 'approx', 0, -1);
}

/**
 * SHAP interaction values, laid out as XGBoost's `pred_interactions`: per row and output a
 * `(numFeatures + 1)²` matrix whose off-diagonal entries split each pairwise interaction
 * in half and whose diagonal holds the main effects; each row of the matrix sums to that
 * feature's SHAP value. Costs about `2 × numFeatures + 1` TreeSHAP runs per row.
 *
 * @example
 * const m = shapInteractions(ensemble, rows, 1); // 1 × numOutputs × (F + 1) × (F + 1)
 */
export function shapInteractions(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, options?: ExplainOptions): Float64Array {
  checkRows(ensemble, rows, numRows);
  const { numFeatures, numOutputs } = ensemble;
  const width = numFeatures + 1;
  const out = new Float64Array(numRows * numOutputs * width * width);
  const diag = contributions(ensemble, rows, numRows, options, 'exact', 0, -1);
  for (let i = 0; i < width; i++) {
    const off = contributions(ensemble, rows, numRows, options, 'exact', -1, i);
    const on = contributions(ensemble, rows, numRows, options, 'exact', 1, i);
    for (let r = 0; r < numRows; r++) {
      for (let g = 0; g < numOutputs; g++) {
        const o = ((r * numOutputs + g) * width + i) * width;
        const c = (r * numOutputs + g) * width;
        out[o + i] = 0;
        for (let k = 0; k < width; k++) {
          if (k === i) out[o + i] = fr(out[o + i] + diag[c + k]);
          else {
            out[o + k] = fr((on[c + k] - off[c + k]) / 2);
            out[o + i] = fr(out[o + i] - out[o + k]);
          }
        }
      }
    }
  }
  return out;
}
