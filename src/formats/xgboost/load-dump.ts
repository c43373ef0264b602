import { InputError, ModelFormatError } from '../../errors.js';
import { parseTolerantJson } from '../tolerant-json.js';
import { buildEnsemble } from '../../trees/build-ensemble.js';
import type { TreeSpec } from '../../trees/types.js';
import { describe, doc, field, type Doc } from './fields.js';
import { baseScoreToMargin, outputTransform } from './objective.js';
import type { LearnerParts } from './read-learner.js';
import { XGBoostModel } from './xgboost-model.js';

/**
 * What a tree dump does not say about its model, supplied by the caller.
 *
 * @example
 * const options: DumpOptions = { objective: 'binary:logistic', baseScore: 0.5, featureNames: ['age', 'visits'] };
 */
export interface DumpOptions {
  objective: string;
  /** In output space, as passed to training (XGBoost's default is 0.5). */
  baseScore?: number | readonly number[];
  /** Classes for multi:softprob / multi:softmax; trees are assigned round-robin. */
  numClass?: number;
  numParallelTree?: number;
  /** Needed when splits name features (`"split": "age"`) rather than `f0`, `f1`, ... */
  featureNames?: readonly string[];
  numFeatures?: number;
  /**
   * Largest feature count accepted (default 2^24, as for saved models): a split on
   * `f2000000000` would otherwise size every row buffer at 8 GB.
   */
  maxFeatures?: number;
  /**
   * Largest node id accepted. Default: the dump text's length in characters (XGBoost
   * numbers nodes in allocation order, and every dumped node takes far more characters
   * than that), or 2^24 for an already-parsed array.
   */
  maxNodeId?: number;
}

/** Bound on numClass and numParallelTree, as on a saved model's outputs. */
const MAX_COUNT_OPTION = 1 << 16;

/**
 * Default bound on node ids in an already-parsed dump.
 *
 * @example
 * loadXGBoostDump(trees, { objective: 'binary:logistic', maxNodeId: DEFAULT_MAX_NODE_ID });
 */
export const DEFAULT_MAX_NODE_ID = 1 << 24;

/**
 * Default bound on a dump's feature count, the same as `loadXGBoost`'s `num_feature` bound.
 *
 * @example
 * loadXGBoostDump(text, { objective: 'binary:logistic', maxFeatures: DEFAULT_MAX_DUMP_FEATURES / 16 });
 */
export const DEFAULT_MAX_DUMP_FEATURES = 1 << 24;

/**
 * Loads the trees of `booster.get_dump(dump_format="json")` — a JSON array of nested
 * node objects — with the objective, base_score and class count given separately.
 * Dumps print floats with 9 significant digits, which round-trips float32 exactly.
 * Two things a dump cannot carry: DART tree weights and the threshold of a split on an
 * indicator (`'i'`) feature. The first scores as plain gbtree; the second is refused.
 *
 * @example
 * const model = loadXGBoostDump(dumpText, { objective: 'binary:logistic', baseScore: 0.5 });
 * model.predict([[0.2, 3]]);
 */
export function loadXGBoostDump(dump: string | readonly unknown[], options: DumpOptions): XGBoostModel {
  const trees = typeof dump === 'string' ? parseTolerantJson(dump) : dump;
  if (!Array.isArray(trees)) throw new ModelFormatError('dump', `expected an array of trees, got ${describe(trees)}`);
  if (!options || typeof options.objective !== 'string') throw new InputError('loadXGBoostDump needs options.objective');
  outputTransform(options.objective);
  const numClass = countOption(options.numClass ?? 0, 'numClass', 0);
  const numOutputs = Math.max(numClass, 1);
  const numParallelTree = countOption(options.numParallelTree ?? 1, 'numParallelTree', 1);
  const names = options.featureNames ? new Map(options.featureNames.map((n, i) => [n, i])) : null;
  const maxFeatures = options.maxFeatures ?? DEFAULT_MAX_DUMP_FEATURES;
  const given = options.numFeatures;
  if (given !== undefined && !(Number.isInteger(given) && given >= 0 && given <= maxFeatures)) {
    throw new InputError(`numFeatures must be an integer in [0, ${maxFeatures}], got ${describe(given)}`);
  }
  if (given !== undefined && options.featureNames && options.featureNames.length !== given) {
    throw new InputError(`featureNames has ${options.featureNames.length} names but numFeatures is ${given}`);
  }
  // A split must name a feature the caller's names or count cover; without either, any
  // index below maxFeatures (the model's width becomes the largest used + 1).
  const featureLimit = given ?? options.featureNames?.length ?? maxFeatures;
  const maxNodeId = options.maxNodeId ?? (typeof dump === 'string' ? dump.length : DEFAULT_MAX_NODE_ID);

  let maxFeature = -1;
  const specs: TreeSpec[] = trees.map((tree, t) => {
    const spec = readDumpTree(tree, `dump[${t}]`, names, featureLimit, maxNodeId);
    for (let i = 0; i < spec.feature.length; i++) if (spec.left[i] !== -1) maxFeature = Math.max(maxFeature, spec.feature[i]);
    spec.output = Math.floor(t / numParallelTree) % numOutputs;
    return spec;
  });
  const numFeatures = given ?? options.featureNames?.length ?? maxFeature + 1;
  const score = options.baseScore ?? 0.5;
  const baseScore = (typeof score === 'number' ? new Array(numOutputs).fill(score) : [...score]).map(Math.fround);
  if (baseScore.length !== numOutputs) throw new InputError(`baseScore has ${baseScore.length} values, expected ${numOutputs}`);
  const baseMargin = baseScore.map((b) => baseScoreToMargin(options.objective, b));
  const treesPerRound = numParallelTree * numOutputs;
  if (specs.length % treesPerRound !== 0) throw new ModelFormatError('dump', `${specs.length} trees do not make whole rounds of ${treesPerRound}`);
  const ensemble = buildEnsemble({
    numFeatures,
    numOutputs,
    leafWidth: 1,
    trees: specs,
    splitRule: 'lt',
    accumulate: 'float32',
    baseMargin,
    iterationIndptr: Array.from({ length: specs.length / treesPerRound + 1 }, (_, i) => i * treesPerRound),
    describeTree: (t) => `dump[${t}]`,
  });
  const parts: LearnerParts = {
    version: null,
    objective: options.objective,
    booster: 'gbtree',
    numFeatures,
    numOutputs,
    featureNames: options.featureNames ? [...options.featureNames] : null,
    featureTypes: null,
    baseScore,
    baseMargin,
    bestIteration: null,
    categoryNames: null,
    ensemble,
    linear: null,
    treesPerRound,
    numRounds: specs.length / treesPerRound,
  };
  return new XGBoostModel(parts, new Array(numFeatures), false);
}

/**
 * Flattens one nested dump tree into arrays, iteratively (a hostile dump may be deep).
 * Node ids are renumbered densely in visiting order (root first), so memory follows the
 * nodes present, never the ids they claim; ids are also bounded by `maxNodeId`. `yes`/`no`/`missing` must name the node's own children, which rules out
 * cycles, self-loops and shared subtrees before the engine sees them.
 */
function readDumpTree(raw: unknown, where: string, names: Map<string, number> | null, featureLimit: number, maxNodeId: number): TreeSpec {
  const nodes: Doc[] = [];
  const wheres: string[] = [];
  const parentOf: number[] = [];
  const slotOf = new Map<number, number>();
  const stack: [unknown, string, number][] = [[raw, where, -1]];
  while (stack.length > 0) {
    const [value, w, parent] = stack.pop()!;
    const node = doc(value, w);
    const id = field(node, 'nodeid');
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw new ModelFormatError(`${w}.nodeid`, `expected a node id, got ${describe(id)}`);
    if (id > maxNodeId) throw new ModelFormatError(`${w}.nodeid`, `node id ${id} exceeds the limit ${maxNodeId} (maxNodeId)`);
    if (parent === -1 && id !== 0) throw new ModelFormatError(`${w}.nodeid`, `the root must be node 0, got ${id}`);
    if (slotOf.has(id)) throw new ModelFormatError(`${w}.nodeid`, `node ${id} appears twice`);
    slotOf.set(id, nodes.length);
    nodes.push(node);
    wheres.push(w);
    parentOf.push(parent);
    const children = field(node, 'children');
    if (children !== undefined) {
      if (!Array.isArray(children)) throw new ModelFormatError(`${w}.children`, 'expected an array');
      const self = nodes.length - 1;
      children.forEach((child, k) => stack.push([child, `${w}.children[${k}]`, self]));
    }
  }
  const n = nodes.length;
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const defaultLeft = new Uint8Array(n);
  const leafValues = new Float64Array(n);
  const cover = new Float64Array(n).fill(NaN);
  const gain = new Float64Array(n).fill(NaN);
  const categorical: { node: number; categories: number[] }[] = [];
  const childCount = new Int32Array(n);
  for (let s = 1; s < n; s++) childCount[parentOf[s]]++;
  for (let s = 0; s < n; s++) {
    const node = nodes[s];
    const w = wheres[s];
    const c = field(node, 'cover');
    if (typeof c === 'number') cover[s] = c;
    const leaf = field(node, 'leaf');
    if (leaf !== undefined) {
      if (typeof leaf !== 'number' && leaf !== null) throw new ModelFormatError(`${w}.leaf`, `expected a number, got ${describe(leaf)}`);
      if (childCount[s] !== 0) throw new ModelFormatError(`${w}.children`, 'a leaf has children');
      leafValues[s] = leaf === null ? NaN : leaf;
      continue;
    }
    const g = field(node, 'gain');
    if (typeof g === 'number') gain[s] = g;
    const split = field(node, 'split');
    feature[s] = featureIndex(split, `${w}.split`, names, featureLimit);
    const child = (key: 'yes' | 'no' | 'missing'): number => {
      const id = childId(field(node, key), `${w}.${key}`);
      const slot = slotOf.get(id);
      if (slot === undefined || parentOf[slot] !== s) throw new ModelFormatError(`${w}.${key}`, `node ${id} is not a child of this node`);
      return slot;
    };
    if (childCount[s] !== 2) throw new ModelFormatError(`${w}.children`, `a split needs 2 children, has ${childCount[s]}`);
    const yes = child('yes');
    const no = child('no');
    if (yes === no) throw new ModelFormatError(`${w}.no`, 'is the same node as yes');
    const condition = field(node, 'split_condition');
    if (condition === undefined && field(node, 'missing') === undefined) {
      // XGBoost dumps an indicator-feature split without its threshold, and the threshold
      // is not always inside (0, 1], so no reconstruction is exact.
      throw new ModelFormatError(w, `splits on indicator feature '${String(split)}', whose threshold a dump does not record; load the saved model (.json/.ubj) instead`);
    }
    const missing = child('missing');
    if (Array.isArray(condition)) {
      // "value in set" is the dump's yes branch, which is the right child in the engine's terms.
      for (const v of condition) if (typeof v !== 'number') throw new ModelFormatError(`${w}.split_condition`, `expected category numbers, got ${describe(v)}`);
      if (condition.length === 0) throw new ModelFormatError(`${w}.split_condition`, 'a categorical split with no categories');
      categorical.push({ node: s, categories: condition as number[] });
      right[s] = yes;
      left[s] = no;
    } else {
      if (typeof condition !== 'number' && condition !== null) throw new ModelFormatError(`${w}.split_condition`, `expected a number, got ${describe(condition)}`);
      threshold[s] = condition === null ? NaN : condition;
      left[s] = yes;
      right[s] = no;
    }
    defaultLeft[s] = missing === left[s] ? 1 : 0;
  }
  return { left, right, feature, threshold, defaultLeft, leafValues, categorical, output: 0, cover, gain };
}

/** Counts the caller passes must be small integers: they size arrays (a negative or huge one is a RangeError otherwise). */
function countOption(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_COUNT_OPTION) {
    throw new InputError(`${name} must be an integer in [${min}, ${MAX_COUNT_OPTION}], got ${describe(value)}`);
  }
  return value;
}

function childId(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new ModelFormatError(where, `expected a node id, got ${describe(value)}`);
  return value;
}

function featureIndex(split: unknown, where: string, names: Map<string, number> | null, limit: number): number {
  let index: number;
  if (typeof split === 'number' && Number.isInteger(split)) index = split;
  else if (typeof split !== 'string') throw new ModelFormatError(where, `expected a feature name, got ${describe(split)}`);
  else {
    const named = names?.get(split);
    const match = /^f(\d{1,16})$/.exec(split);
    if (named !== undefined) return named;
    if (!match) throw new ModelFormatError(where, `unknown feature '${split}' (pass featureNames)`);
    index = Number(match[1]);
  }
  // Checked here, before the index meets an Int32Array (f4294967296 would wrap to 0).
  if (!(index >= 0 && index < limit)) throw new ModelFormatError(where, `feature ${index} is outside [0, ${limit})`);
  return index;
}
