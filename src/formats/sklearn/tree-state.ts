import { ModelFormatError } from '../../errors.js';
import type { PyValue } from '../pickle/py-value.js';
import { describePy, isNdArray, isPyObject, pyFloats, pyList, pyNumber } from './py-read.js';

/** A scikit-learn `Tree` as plain arrays: `value` is `nodes × width`, width = n_outputs × max_n_classes. */
export interface TreeState {
  numFeatures: number;
  numOutputs: number;
  width: number;
  left: number[];
  right: number[];
  feature: number[];
  threshold: number[];
  value: number[];
  impurity: number[];
  weightedNodeSamples: number[];
}

const TREE_CLASS = 'sklearn.tree._tree.Tree';

/**
 * Reads the `tree_` of a fitted scikit-learn tree: the `Tree` object the unpickler built
 * from `Tree(n_features, n_classes, n_outputs)` and its `__setstate__` dict (`nodes`, a
 * structured array, and `values`). Links and features are checked here, so a hostile
 * tree cannot make the engine read outside its arrays.
 *
 * @example
 * const t = readTree(state.need('tree_'), 'DecisionTreeClassifier.tree_');
 * t.left.length; // node count
 */
export function readTree(v: PyValue | undefined, where: string): TreeState {
  if (!isPyObject(v) || v.className !== TREE_CLASS) throw new ModelFormatError(where, `must be a ${TREE_CLASS}, got ${describePy(v)}`);
  const args = pyList(v.args, `${where}.args`, 3);
  const numFeatures = pyNumber(args[0], `${where}.n_features`);
  const numOutputs = pyNumber(args[2], `${where}.n_outputs`);
  if (!(v.state instanceof Map)) throw new ModelFormatError(where, `state must be a dict, got ${describePy(v.state)}`);
  const state = v.state;
  const nodeCount = pyNumber(state.get('node_count'), `${where}.node_count`);
  const nodes = state.get('nodes');
  if (!isNdArray(nodes) || !(nodes.data instanceof Map)) throw new ModelFormatError(`${where}.nodes`, `must be a structured array, got ${describePy(nodes)}`);
  const fields = nodes.data;
  const field = (name: string): number[] => {
    const data = fields.get(name);
    if (data === undefined) throw new ModelFormatError(`${where}.nodes.${name}`, 'is missing');
    return Array.from(pyFloats({ kind: 'ndarray', dtype: nodes.dtype, shape: [data.length], data }, `${where}.nodes.${name}`, nodeCount));
  };
  const values = state.get('values');
  const flat = pyFloats(values, `${where}.values`);
  if (!isNdArray(values) || values.shape.length !== 3 || values.shape[0] !== nodeCount || values.shape[1] !== numOutputs) {
    throw new ModelFormatError(`${where}.values`, `must have shape [${nodeCount}, ${numOutputs}, classes], got ${describePy(values)}`);
  }
  const tree: TreeState = {
    numFeatures,
    numOutputs,
    width: numOutputs * values.shape[2],
    left: field('left_child'),
    right: field('right_child'),
    feature: field('feature'),
    threshold: field('threshold'),
    value: Array.from(flat),
    impurity: field('impurity'),
    weightedNodeSamples: field('weighted_n_node_samples'),
  };
  if (!Number.isInteger(nodeCount) || nodeCount < 1) throw new ModelFormatError(`${where}.node_count`, `must be a positive integer, got ${nodeCount}`);
  for (let i = 0; i < nodeCount; i++) {
    const l = tree.left[i];
    const r = tree.right[i];
    if (l === -1 && r === -1) continue;
    // Children come after their parent in scikit-learn's depth-first layout, so links cannot loop.
    const link = (c: number): boolean => Number.isInteger(c) && c > i && c < nodeCount;
    const f = tree.feature[i];
    if (!link(l) || !link(r) || !Number.isInteger(f) || f < 0 || f >= numFeatures) {
      throw new ModelFormatError(`${where}.nodes[${i}]`, `has children ${l}, ${r} and feature ${f} (${nodeCount} nodes, ${numFeatures} features)`);
    }
  }
  return tree;
}
