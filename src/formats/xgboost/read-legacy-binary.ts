import { ModelFormatError } from '../../errors.js';
import type { Doc } from './fields.js';
import { applyTransform, outputTransform } from './objective.js';

// Sizes of XGBoost 1.x's packed structs (learner.cc, gbtree_model.h, tree_model.h, gblinear_model.h).
const LEARNER_PARAM = 136;
const GBTREE_PARAM = 160;
const TREE_PARAM = 148;
const NODE = 20;
const NODE_STAT = 16;
const GBLINEAR_PARAM = 136;
const MAX_NAME = 1 << 10;

/**
 * Does this look like XGBoost's legacy binary model format (`binf` header of 1.x)?
 *
 * @example
 * isLegacyBinary(new TextEncoder().encode('binf...')) // => true
 */
export function isLegacyBinary(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x62 && bytes[1] === 0x69 && bytes[2] === 0x6e && bytes[3] === 0x66;
}

/**
 * Reads XGBoost's legacy binary model format — what 1.x `save_raw()` and `save_model('m.model')`
 * write, and what 1.0–1.6 pickles hold — into the document `save_model('m.json')` writes
 * for the same model, so one code path (`readLearner`) builds both and margins agree bit for bit.
 * Layout: optional `binf`, `LearnerModelParam` (136 bytes), objective and booster names,
 * then for gbtree/dart `GBTreeModelParam`, each tree's `TreeParam`, nodes and stats,
 * `tree_info` (and DART's weights), or for gblinear its weights; then the attributes.
 * Every declared count is checked against the bytes present before anything is allocated.
 *
 * @example
 * const model = loadXGBoost(legacyBinaryToDocument(readFileSync('model.bin')));
 */
export function legacyBinaryToDocument(bytes: Uint8Array): Doc {
  const r = new Reader(bytes);
  if (isLegacyBinary(bytes)) r.skip(4);
  const p = r.view(LEARNER_PARAM, 'learner_model_param');
  let baseScore = p.getFloat32(0, true);
  const numFeature = p.getUint32(4, true);
  const numClass = p.getInt32(8, true);
  const extraAttrs = p.getInt32(12, true);
  const major = p.getUint32(20, true);
  const minor = p.getUint32(24, true);
  // XGBoost 2.x put num_target into the first reserved slot; 1.x leaves it 0 (one target).
  const numTarget = Math.max(p.getUint32(28, true), 1);
  if (numClass < 0 || numFeature > 1 << 24) throw new ModelFormatError('learner_model_param', `num_class ${numClass}, num_feature ${numFeature} out of range`);
  const objective = r.string('objective');
  const booster = r.string('booster');
  // Before 1.0, base_score was stored as a margin; XGBoost maps it back through the objective's transform.
  if (major < 1 && !objective.startsWith('multi:')) baseScore = applyTransform(outputTransform(objective), [baseScore], 1, 1)[0];

  let gradientBooster: Doc;
  if (booster === 'gbtree' || booster === 'dart') {
    const model = readGBTree(r);
    if (booster === 'dart') {
      const numTrees = (model.trees as unknown[]).length;
      const weights = numTrees === 0 ? new Float32Array(0) : r.floatVector('weight_drop');
      if (weights.length !== numTrees) throw new ModelFormatError('weight_drop', `length ${weights.length}, expected ${numTrees}`);
      gradientBooster = { name: 'dart', gbtree: { name: 'gbtree', model }, weight_drop: weights };
    } else gradientBooster = { name: 'gbtree', model };
  } else if (booster === 'gblinear') {
    r.view(GBLINEAR_PARAM, 'gblinear_model_param');
    gradientBooster = { name: 'gblinear', model: { weights: r.floatVector('gblinear.weights') } };
  } else throw new ModelFormatError('booster', `unknown booster '${booster}' (expected gbtree, dart or gblinear)`);

  // No prototype: attribute names come from the file.
  const attributes: Doc = Object.create(null);
  if (extraAttrs !== 0) {
    const n = r.count(16, 'attributes');
    for (let i = 0; i < n; i++) {
      const key = r.string(`attributes[${i}]`, 1 << 20);
      const value = r.string(`attributes[${i}]`, 1 << 24);
      // 'objective' and 'metrics' are configuration, not user attributes.
      if (key !== 'objective' && key !== 'metrics') attributes[key] = value;
    }
  }
  return {
    version: [major, minor, 0],
    learner: {
      learner_model_param: { base_score: baseScore, num_feature: String(numFeature), num_class: String(numClass), num_target: String(numTarget) },
      objective: { name: objective },
      gradient_booster: gradientBooster,
      attributes,
    },
  };
}

function readGBTree(r: Reader): Doc {
  const p = r.view(GBTREE_PARAM, 'gbtree_model_param');
  const numTrees = p.getInt32(0, true);
  const numParallelTree = Math.max(p.getInt32(4, true), 1);
  if (numTrees < 0 || numTrees * (TREE_PARAM + NODE + NODE_STAT + 4) > r.left()) throw new ModelFormatError('gbtree_model_param.num_trees', `${numTrees} trees cannot fit in the ${r.left()} bytes left`);
  const trees: Doc[] = [];
  for (let t = 0; t < numTrees; t++) trees.push(readTree(r, `trees[${t}]`, t));
  const info = r.view(4 * numTrees, 'tree_info');
  const treeInfo = new Int32Array(numTrees);
  for (let t = 0; t < numTrees; t++) treeInfo[t] = info.getInt32(4 * t, true);
  return {
    gbtree_model_param: { num_trees: String(numTrees), num_parallel_tree: String(numParallelTree) },
    trees,
    tree_info: treeInfo,
  };
}

function readTree(r: Reader, where: string, id: number): Doc {
  const p = r.view(TREE_PARAM, `${where}.tree_param`);
  const numNodes = p.getInt32(4, true);
  const numDeleted = p.getInt32(8, true);
  const numFeature = p.getInt32(16, true);
  const sizeLeafVector = p.getInt32(20, true);
  if (numNodes < 1 || numNodes * (NODE + NODE_STAT) > r.left()) throw new ModelFormatError(`${where}.tree_param.num_nodes`, `${numNodes} nodes cannot fit in the ${r.left()} bytes left`);
  if (sizeLeafVector > 1) throw new ModelFormatError(`${where}.tree_param.size_leaf_vector`, `${sizeLeafVector}: vector leaves are not in the legacy format`);
  const nodes = r.view(numNodes * NODE, `${where}.nodes`);
  const left = new Int32Array(numNodes);
  const right = new Int32Array(numNodes);
  const parents = new Int32Array(numNodes);
  const feature = new Int32Array(numNodes);
  const defaultLeft = new Uint8Array(numNodes);
  const conditions = new Float32Array(numNodes);
  for (let i = 0; i < numNodes; i++) {
    const o = i * NODE;
    parents[i] = nodes.getInt32(o, true) & 0x7fffffff;
    left[i] = nodes.getInt32(o + 4, true);
    right[i] = nodes.getInt32(o + 8, true);
    const sindex = nodes.getUint32(o + 12, true);
    feature[i] = sindex & 0x7fffffff;
    defaultLeft[i] = sindex >>> 31;
    conditions[i] = nodes.getFloat32(o + 16, true);
  }
  const stats = r.view(numNodes * NODE_STAT, `${where}.stats`);
  const lossChanges = new Float32Array(numNodes);
  const sumHessian = new Float32Array(numNodes);
  const baseWeights = new Float32Array(numNodes);
  for (let i = 0; i < numNodes; i++) {
    lossChanges[i] = stats.getFloat32(i * NODE_STAT, true);
    sumHessian[i] = stats.getFloat32(i * NODE_STAT + 4, true);
    baseWeights[i] = stats.getFloat32(i * NODE_STAT + 8, true);
  }
  return {
    id,
    tree_param: { num_nodes: String(numNodes), num_deleted: String(numDeleted), num_feature: String(numFeature), size_leaf_vector: '0' },
    left_children: left,
    right_children: right,
    parents,
    split_indices: feature,
    split_conditions: conditions,
    default_left: defaultLeft,
    loss_changes: lossChanges,
    sum_hessian: sumHessian,
    base_weights: baseWeights,
  };
}

class Reader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  left(): number {
    return this.bytes.length - this.pos;
  }

  skip(n: number): void {
    this.pos += n;
  }

  view(n: number, where: string): DataView {
    if (n > this.left()) throw new ModelFormatError(where, `truncated: needs ${n} bytes at offset ${this.pos}, ${this.left()} left`);
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, n);
    this.pos += n;
    return v;
  }

  /** A dmlc length prefix (uint64), checked so `count × minSize` bytes can follow. */
  count(minSize: number, where: string): number {
    const n = this.view(8, where).getBigUint64(0, true);
    if (n * BigInt(minSize) > BigInt(this.left())) throw new ModelFormatError(where, `declares ${n} entries, more than the ${this.left()} bytes left hold`);
    return Number(n);
  }

  string(where: string, max = MAX_NAME): string {
    const n = this.count(1, where);
    if (n > max) throw new ModelFormatError(where, `string of ${n} bytes is longer than ${max}`);
    const b = this.view(n, where);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      throw new ModelFormatError(where, 'not valid UTF-8');
    }
  }

  floatVector(where: string): Float32Array {
    const n = this.count(4, where);
    const v = this.view(4 * n, where);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, true);
    return out;
  }
}
