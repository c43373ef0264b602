import { describeValue, ModelFormatError } from '../errors.js';
import { float32AtMost, nextFloat32Up } from './float32.js';
import type { EnsembleSpec, TreeEnsemble, TreeSpec } from './types.js';

/** Categories are float32 integers in XGBoost; anything above 2^24 would be a hostile bitset. */
const MAX_CATEGORY = 1 << 24;
/** 64 MiB of category bitsets in all: far above real models, far below a hostile file's ask. */
const MAX_CATEGORY_WORDS = 1 << 24;

function fail(where: string, detail: string): never {
  throw new ModelFormatError(where, detail);
}

function checkInteger(value: number, where: string, what: string): number {
  if (!Number.isInteger(value)) fail(where, `${what} must be an integer, got ${describeValue(value)}`);
  return value;
}

/**
 * Validates trees and packs them into one flat {@link TreeEnsemble}. A hostile model can
 * neither hang nor crash prediction afterwards: every child index is in range, every
 * node is reached at most once from its root (so there are no cycles), every split
 * feature is below `numFeatures`, every array is long enough.
 *
 * @example
 * const ensemble = buildEnsemble({
 *   numFeatures: 1, numOutputs: 1, leafWidth: 1, splitRule: 'lt', accumulate: 'float32',
 *   baseMargin: [0.5],
 *   trees: [{ left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [3, 0, 0],
 *             defaultLeft: [1, 0, 0], leafValues: [0, -1, 1], output: 0 }],
 * });
 * predictMargins(ensemble, new Float32Array([2, 4]), 2); // => Float64Array [-0.5, 1.5]
 */
export function buildEnsemble(spec: EnsembleSpec): TreeEnsemble {
  const { numFeatures, numOutputs, leafWidth, trees } = spec;
  const describe = spec.describeTree ?? ((t: number) => `trees[${t}]`);
  checkInteger(numFeatures, 'num_feature', 'feature count');
  if (numFeatures < 0) fail('num_feature', `must be ≥ 0, got ${numFeatures}`);
  if (!Number.isInteger(numOutputs) || numOutputs < 1) fail('num_outputs', `must be a positive integer, got ${numOutputs}`);
  if (leafWidth !== 1 && leafWidth !== numOutputs) fail('leaf width', `must be 1 or ${numOutputs}, got ${leafWidth}`);
  if (spec.baseMargin.length !== numOutputs) fail('base_score', `length ${spec.baseMargin.length}, expected ${numOutputs}`);

  let totalNodes = 0;
  let totalCategorical = 0;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t];
    const n = tree.left.length;
    const where = describe(t);
    if (n < 1) fail(where, 'tree has no nodes');
    for (const [name, array, width] of [
      ['right', tree.right, 1],
      ['feature', tree.feature, 1],
      ['threshold', tree.threshold, 1],
      ['defaultLeft', tree.defaultLeft, 1],
      ['leafValues', tree.leafValues, leafWidth],
    ] as const) {
      if (array.length < n * width) fail(`${where}.${name}`, `length ${array.length}, expected ${n * width}`);
    }
    totalNodes += n;
    totalCategorical += tree.categorical?.length ?? 0;
  }

  const treeStart = new Int32Array(trees.length + 1);
  const treeOutput = new Int32Array(trees.length);
  const feature = new Int32Array(totalNodes);
  const threshold = new Float32Array(totalNodes);
  const left = new Int32Array(totalNodes);
  const right = new Int32Array(totalNodes);
  const defaultLeft = new Uint8Array(totalNodes);
  const categorySlot = new Int32Array(totalNodes).fill(-1);
  const leafValues = new Float64Array(totalNodes * leafWidth);
  const treeWeight = new Float64Array(trees.length);
  const weighted = trees.some((tree) => tree.weight !== undefined && tree.weight !== 1);
  const unweightedLeafValues = weighted ? new Float64Array(totalNodes * leafWidth) : null;
  const cover = new Float64Array(totalNodes).fill(NaN);
  const gain = new Float64Array(totalNodes).fill(NaN);
  const categoryStart = new Int32Array(totalCategorical + 1);
  const categoryWords: number[][] = [];
  let categoryWordCount = 0;
  const round32 = spec.accumulate === 'float32' ? Math.fround : (x: number) => x;

  let offset = 0;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t];
    const where = describe(t);
    const n = tree.left.length;
    treeStart[t] = offset;
    if (leafWidth > 1) treeOutput[t] = -1;
    else {
      const out = checkInteger(tree.output, `${where}`, 'output index');
      if (out < 0 || out >= numOutputs) fail(where, `output index ${out} out of range [0, ${numOutputs})`);
      treeOutput[t] = out;
    }
    const weight = tree.weight ?? 1;
    if (typeof weight !== 'number' || Number.isNaN(weight)) fail(`${where}.weight`, `must be a number, got ${describeValue(weight)}`);
    treeWeight[t] = weight;

    const categoriesByNode = new Map<number, ArrayLike<number>>();
    for (const entry of tree.categorical ?? []) {
      const node = checkInteger(entry.node, `${where}.categories_nodes`, 'node id');
      if (node < 0 || node >= n) fail(`${where}.categories_nodes`, `node ${node} out of range [0, ${n})`);
      if (categoriesByNode.has(node)) fail(`${where}.categories_nodes`, `node ${node} listed twice`);
      categoriesByNode.set(node, entry.categories);
    }

    // Walk from the root so unreachable (deleted) nodes are tolerated but no node is reached twice.
    const seen = new Uint8Array(n);
    const stack = [0];
    seen[0] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      const g = offset + i;
      const l = tree.left[i];
      if (l === -1) {
        feature[g] = -1;
        left[g] = -1;
        right[g] = -1;
        for (let k = 0; k < leafWidth; k++) {
          const v = tree.leafValues[i * leafWidth + k];
          if (typeof v !== 'number') fail(`${where}.leaf ${i}`, `value must be a number, got ${describeValue(v)}`);
          leafValues[g * leafWidth + k] = weight === 1 ? round32(v) : round32(round32(v) * weight);
          if (unweightedLeafValues) unweightedLeafValues[g * leafWidth + k] = round32(v);
        }
        continue;
      }
      const r = tree.right[i];
      for (const [name, child] of [['left', l], ['right', r]] as const) {
        if (!Number.isInteger(child) || child <= 0 || child >= n) {
          fail(`${where}.${name}_children`, `node ${i} has child ${child}, out of range [1, ${n})`);
        }
        if (seen[child]) fail(`${where}.${name}_children`, `node ${child} is reached twice (cycle or shared child)`);
        seen[child] = 1;
        stack.push(child);
      }
      const f = tree.feature[i];
      if (!Number.isInteger(f) || f < 0 || f >= numFeatures) {
        fail(`${where}.split_indices`, `node ${i} splits on feature ${f}, out of range [0, ${numFeatures})`);
      }
      feature[g] = f;
      left[g] = offset + l;
      right[g] = offset + r;
      defaultLeft[g] = tree.defaultLeft[i] ? 1 : 0;
      const categories = categoriesByNode.get(i);
      if (categories) {
        categorySlot[g] = categoryWords.length;
        const packed = packCategories(categories, `${where}.categories`, MAX_CATEGORY_WORDS - categoryWordCount);
        categoryWordCount += packed.length;
        categoryWords.push(packed);
      } else {
        const thr = tree.threshold[i];
        if (typeof thr !== 'number') fail(`${where}.split_conditions`, `node ${i}: threshold must be a number, got ${describeValue(thr)}`);
        threshold[g] = spec.splitRule === 'lt' ? Math.fround(thr) : nextFloat32Up(float32AtMost(thr));
      }
    }
    for (const [node] of categoriesByNode) {
      if (seen[node] && tree.left[node] === -1) fail(`${where}.categories_nodes`, `node ${node} is a leaf`);
    }
    if (tree.cover) for (let i = 0; i < n && i < tree.cover.length; i++) cover[offset + i] = round32(tree.cover[i]);
    if (tree.gain) for (let i = 0; i < n && i < tree.gain.length; i++) gain[offset + i] = round32(tree.gain[i]);
    offset += n;
  }
  treeStart[trees.length] = offset;

  let words = 0;
  for (let s = 0; s < categoryWords.length; s++) {
    categoryStart[s] = words;
    words += categoryWords[s].length;
  }
  categoryStart[categoryWords.length] = words;
  const categoryBits = new Uint32Array(words);
  for (let s = 0; s < categoryWords.length; s++) categoryBits.set(categoryWords[s], categoryStart[s]);

  const iterationIndptr = buildIndptr(spec.iterationIndptr, trees.length);
  return {
    numFeatures,
    numOutputs,
    numTrees: trees.length,
    leafWidth,
    accumulate: spec.accumulate,
    baseMargin: Float64Array.from(spec.baseMargin, (v) => (spec.accumulate === 'float32' ? Math.fround(v) : v)),
    iterationIndptr,
    treeStart,
    treeOutput,
    feature,
    threshold,
    left,
    right,
    defaultLeft,
    categorySlot,
    categoryStart,
    categoryBits,
    leafValues,
    treeWeight,
    unweightedLeafValues,
    cover,
    gain,
  };
}

function packCategories(categories: ArrayLike<number>, where: string, wordsLeft: number): number[] {
  let max = -1;
  for (let k = 0; k < categories.length; k++) {
    const c = categories[k];
    if (!Number.isInteger(c) || c < 0 || c >= MAX_CATEGORY) fail(where, `category ${c} is not an integer in [0, 2^24)`);
    if (c > max) max = c;
  }
  if ((max >> 5) + 1 > wordsLeft) fail(where, `category sets need more than ${MAX_CATEGORY_WORDS * 4} bytes in all`);
  const words = new Array<number>((max >> 5) + 1).fill(0);
  for (let k = 0; k < categories.length; k++) {
    const c = categories[k];
    words[c >> 5] |= 1 << (c & 31);
  }
  return words.map((w) => w >>> 0);
}

function buildIndptr(given: ArrayLike<number> | undefined, numTrees: number): Int32Array {
  if (!given) return Int32Array.from({ length: numTrees + 1 }, (_, i) => i);
  const indptr = Int32Array.from(given);
  if (indptr.length < 1 || indptr[0] !== 0 || indptr[indptr.length - 1] !== numTrees) {
    fail('iteration_indptr', `must run from 0 to ${numTrees}`);
  }
  for (let i = 1; i < indptr.length; i++) {
    if (indptr[i] < indptr[i - 1] || indptr[i] !== given[i]) fail('iteration_indptr', `must be non-decreasing integers`);
  }
  return indptr;
}

