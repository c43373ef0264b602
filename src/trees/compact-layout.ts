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
 * Record (four i32): `[word, threshold, child, kind]`, `child` and offsets relative to the
 * tree's first record. `kind` 0 is the ordinary split on split-row keys (missing values
 * as in the complete layout: `word` reads the copy where NaN is −∞ or +∞). The rare
 * nodes that keys cannot express read the row's raw float32 value at `word` instead:
 * `kind & 1` marks them, `kind & 2` says missing goes right, and either `kind & 4` (a
 * float compare, `x < threshold` with the threshold's float32 bits; for NaN and −∞
 * thresholds) or a category test (`threshold` is the byte address of the bit set,
 * `kind >>> 3` its size in bits).
 */
export interface CompactLayout {
  /** Per tree: steps to walk (its depth; 0 for a lone leaf), or -1 when the tree is not in this layout. */
  readonly depth: Int32Array;
  /** Per tree: whether some record has a non-zero kind (the walk must test for it). */
  readonly slow: Uint8Array;
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
 * offset of feature f's raw float32 in the scorer's row, and `bitsAt` the byte address of
 * `ensemble.categoryBits` in its memory. Trees with vector leaves, or category sets too
 * large to test exactly, keep `depth = -1`.
 *
 * @example
 * const compact = compactLayout(ensemble, 0, ensemble.numTrees, () => true, (f) => 8 * n + 4 * f, 4096);
 * compact.depth[0]; // 8 for a depth-8 tree, however sparse
 */
export function compactLayout(
  ensemble: TreeEnsemble,
  begin: number,
  end: number,
  include: (tree: number) => boolean,
  rawAt: (feature: number) => number,
  bitsAt: number,
): CompactLayout {
  const { numTrees, treeStart, feature, left, right, threshold, defaultLeft, categorySlot, categoryStart, leafValues, numFeatures } = ensemble;
  const depth = new Int32Array(numTrees).fill(-1);
  const slow = new Uint8Array(numTrees);
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
    // Children are appended in pairs, so a node's left child sits at 1 + 2·(its rank among internal nodes).
    let nextChild = 1;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const r = 4 * (base + i);
      leaves[base + i] = leafValues[node];
      if (feature[node] < 0) {
        records[r + 1] = LEAF_THRESHOLD;
        records[r + 2] = 16 * i;
        continue;
      }
      records[r + 2] = 16 * nextChild;
      nextChild += 2;
      const f = feature[node];
      const right = defaultLeft[node] === 1 ? 0 : 2;
      const slot = categorySlot[node];
      const th = threshold[node];
      if (slot >= 0) {
        records[r] = rawAt(f);
        records[r + 1] = bitsAt + 4 * categoryStart[slot];
        records[r + 3] = (32 * (categoryStart[slot + 1] - categoryStart[slot])) * 8 + right + 1;
        slow[t] = 1;
      } else if (th !== th || (right === 0 && th === -Infinity)) {
        // The split row sends NaN as −∞ (or +∞): keys cannot tell NaN from −∞ here.
        records[r] = rawAt(f);
        bitsOf[0] = th;
        records[r + 1] = bitsAsInt[0];
        records[r + 3] = 4 + right + 1;
        slow[t] = 1;
      } else {
        records[r] = 4 * (f + (right === 0 ? 0 : numFeatures));
        records[r + 1] = float32Key(th);
      }
    }
  }
  return { depth, slow, recordBase, records, leaves };
}
