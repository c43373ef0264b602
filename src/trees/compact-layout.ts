import { float32Key } from './complete-layout.js';
import type { TreeEnsemble } from './types.js';

/**
 * Trees of any shape as 16-byte records for a fixed-length, branch-free walk, used by the
 * WebAssembly scorer for the trees the complete layout refuses (sparse, lopsided, deep,
 * categorical). Unlike the complete layout nothing is padded: each node is one record and
 * the two children of a node are adjacent records, so one step is
 * `a = child(a) + 16·(row[word(a)] >= threshold(a))` on byte offsets. A leaf is a record
 * that leads to itself (threshold key `0x7fffffff`, which no key reaches), so every tree
 * can walk exactly its depth in steps with no test for "reached a leaf": no branch that
 * depends on the data, as in the complete layout, at the price of idle steps below
 * shallow leaves.
 *
 * Record (four i32): `[word, threshold, kind, child]`, `child` and offsets relative to the
 * tree's first record. `kind` 0 is the ordinary split on split-row keys (missing values
 * as in the complete layout: `word` reads the copy where NaN is −∞ or +∞).
 *
 * A tree's category splits usually take the **mask** form: the scorer writes, per
 * categorical feature, a 64-bit `1 << c` for a category c in [0, 64) and 0 for anything
 * else (negative, larger, ±∞), twice, with NaN as 0 in the first copy and as all ones in
 * the second. `word` is the mask's offset minus 1 (odd, which marks the node: keys are
 * 4-byte aligned), picking the copy by the default direction, and `threshold` and `kind`
 * hold the set's low and high 32 bits, so "goes right" is `(mask & set) !== 0`. The walk
 * computes both tests and selects by `word & 1`: no branch.
 *
 * Trees with a node the mask cannot express (a set reaching category 32 or beyond, an
 * empty set, NaN and −∞ thresholds) are **slow** trees: their special nodes read the row's
 * raw float32 value at `word` behind a branch on `kind & 1`, `kind & 2` saying missing
 * goes right, and either `kind & 4` (a float compare, `x < threshold` with the threshold's
 * float32 bits) or a category test (`threshold` is the byte offset of the bit set in `categoryBits`,
 * `kind >>> 3` its size in bits).
 *
 * @example
 * const compact = compactLayout(ensemble, 0, ensemble.numTrees, (t) => completeLayout(ensemble).depth[t] < 0, rawAt, maskAt);
 * compact.records.subarray(4 * compact.recordBase[t], 4 * compact.recordBase[t + 1]); // tree t's records
 */
export interface CompactLayout {
  /** Per tree: steps to walk (its depth; 0 for a lone leaf), or -1 when the tree is not in this layout. */
  readonly depth: Int32Array;
  /** Per tree: 0 plain (keys only), 1 slow (records with `kind & 1` take raw-value tests behind a branch), 2 mask (category masks, selected without a branch). */
  readonly mode: Uint8Array;
  /**
   * Per tree: bit L set when some node at depth L is not a plain key compare (bit 31: at
   * depth 31 or deeper). Step L visits a node at depth L or a leaf above it, which every
   * kind of step handles, so the other levels take the plain step.
   */
  readonly specialLevels: Int32Array;
  /** Per tree: index of its first record; tree t owns records [recordBase[t], recordBase[t+1]). */
  readonly recordBase: Int32Array;
  /** Four i32 per record. */
  readonly records: Int32Array;
  /** One value per record, read at leaves only. */
  readonly leaves: Float32Array | Float64Array;
}

/** Past 2^24 a category's float32 is no longer exact; no real category set is near it. */
const MAX_CATEGORY_BITS = 1 << 24;
/** The threshold key of a leaf: larger than every key, so `>=` is false and the walk stays. */
const LEAF_THRESHOLD = 0x7fffffff;

/**
 * Compact records of trees [begin, end) that `include(t)` selects. `rawAt(f)` is the byte
 * offset of feature f's raw float32 in the scorer's row, `maskAt(f)` the byte offset of feature f's category mask
 * with NaN as 0 (the all-ones copy follows `4 × numFeatures` bytes later). Trees with vector leaves, or category sets too
 * large to test exactly, keep `depth = -1`.
 *
 * @example
 * const compact = compactLayout(ensemble, 0, ensemble.numTrees, () => true, (f) => 8 * n + 4 * f, (f) => 12 * n + 4 * f);
 * compact.depth[0]; // 8 for a depth-8 tree, however sparse
 */
export function compactLayout(
  ensemble: TreeEnsemble,
  begin: number,
  end: number,
  include: (tree: number) => boolean,
  rawAt: (feature: number) => number,
  maskAt: (feature: number) => number,
): CompactLayout {
  const { numTrees, treeStart, feature, left, right, threshold, defaultLeft, categorySlot, categoryStart, leafValues, numFeatures } = ensemble;
  const depth = new Int32Array(numTrees).fill(-1);
  const mode = new Uint8Array(numTrees);
  const specialLevels = new Int32Array(numTrees);
  const levels: number[][] = [];
  const recordBase = new Int32Array(numTrees + 1);
  const order: number[][] = [];
  for (let t = 0; t < numTrees; t++) {
    recordBase[t + 1] = recordBase[t];
    if (t < begin || t >= end || !include(t) || ensemble.leafWidth !== 1) continue;
    // Breadth first: the top levels, which every row reads, share cache lines.
    const nodes = [treeStart[t]];
    const level = [0];
    let ok = true;
    let deepest = 0;
    for (let i = 0; i < nodes.length && ok; i++) {
      const node = nodes[i];
      deepest = Math.max(deepest, level[i]);
      if (feature[node] < 0) continue;
      const slot = categorySlot[node];
      if (slot >= 0 && 32 * (categoryStart[slot + 1] - categoryStart[slot]) > MAX_CATEGORY_BITS) ok = false;
      nodes.push(left[node], right[node]);
      level.push(level[i] + 1, level[i] + 1);
    }
    if (!ok) continue;
    depth[t] = deepest;
    order[t] = nodes;
    levels[t] = level;
    recordBase[t + 1] = recordBase[t] + nodes.length;
  }
  const total = recordBase[numTrees];
  const records = new Int32Array(4 * total);
  const exactIn32 = ensemble.leafValues.every((v) => Math.fround(v) === v || v !== v);
  const leaves = exactIn32 ? new Float32Array(total) : new Float64Array(total);
  const bitsOf = new Float32Array(1);
  const bitsAsInt = new Int32Array(bitsOf.buffer);
  for (let t = 0; t < numTrees; t++) {
    const nodes = order[t];
    if (nodes === undefined) continue;
    const base = recordBase[t];
    let odd = false;
    let masks = false;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (feature[node] < 0) continue;
      const slot = categorySlot[node];
      const th = threshold[node];
      const special = slot >= 0 || th !== th || (defaultLeft[node] === 1 && th === -Infinity);
      if (slot >= 0 && maskable(ensemble, slot)) masks = true;
      else if (special) odd = true;
      if (special) specialLevels[t] |= 1 << Math.min(31, levels[t][i]);
    }
    mode[t] = odd ? 1 : masks ? 2 : 0;
    // Children are appended in pairs, so a node's left child sits at 1 + 2·(its rank among internal nodes).
    let nextChild = 1;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const r = 4 * (base + i);
      leaves[base + i] = leafValues[node];
      if (feature[node] < 0) {
        records[r + 1] = LEAF_THRESHOLD;
        records[r + 3] = 16 * i;
        continue;
      }
      records[r + 3] = 16 * nextChild;
      nextChild += 2;
      const f = feature[node];
      const right = defaultLeft[node] === 1 ? 0 : 2;
      const slot = categorySlot[node];
      const th = threshold[node];
      if (slot >= 0 && mode[t] === 2) {
        records[r] = maskAt(f) + (right === 0 ? 0 : 8 * numFeatures) - 1;
        records[r + 1] = ensemble.categoryBits[categoryStart[slot]];
        records[r + 2] = categoryStart[slot + 1] - categoryStart[slot] > 1 ? ensemble.categoryBits[categoryStart[slot] + 1] : 0;
      } else if (slot >= 0) {
        records[r] = rawAt(f);
        records[r + 1] = 4 * categoryStart[slot];
        records[r + 2] = (32 * (categoryStart[slot + 1] - categoryStart[slot])) * 8 + right + 1;
      } else if (th !== th || (right === 0 && th === -Infinity)) {
        // The split row sends NaN as −∞ (or +∞): keys cannot tell NaN from −∞ here.
        records[r] = rawAt(f);
        bitsOf[0] = th;
        records[r + 1] = bitsAsInt[0];
        records[r + 2] = 4 + right + 1;
      } else {
        records[r] = 4 * (f + (right === 0 ? 0 : numFeatures));
        records[r + 1] = float32Key(th);
      }
    }
  }
  return { depth, mode, specialLevels, recordBase, records, leaves };
}

/**
 * Whether category split `slot` can take the mask form: a non-empty set within categories
 * 0–63 (an empty set would need NaN's all-ones mask to match nothing).
 */
function maskable(ensemble: TreeEnsemble, slot: number): boolean {
  const start = ensemble.categoryStart[slot];
  const stop = ensemble.categoryStart[slot + 1];
  let any = false;
  for (let w = start; w < stop; w++) {
    if (ensemble.categoryBits[w] === 0) continue;
    if (w - start >= 2) return false;
    any = true;
  }
  return any;
}
