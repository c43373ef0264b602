import { InputError, ModelFormatError } from '../../errors.js';
import { parseTolerantJson } from '../tolerant-json.js';
import { buildEnsemble } from '../../trees/build-ensemble.js';
import type { TreeSpec } from '../../trees/types.js';
import { describe, doc, field, type Doc } from './fields.js';
import { baseScoreToMargin, outputTransform } from './objective.js';
import type { LearnerParts } from './read-learner.js';
import { XGBoostModel } from './xgboost-model.js';

/** What a tree dump does not say about its model, supplied by the caller. */
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
}

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
  const numClass = options.numClass ?? 0;
  const numOutputs = Math.max(numClass, 1);
  const numParallelTree = options.numParallelTree ?? 1;
  const names = options.featureNames ? new Map(options.featureNames.map((n, i) => [n, i])) : null;

  let maxFeature = -1;
  const specs: TreeSpec[] = trees.map((tree, t) => {
    const spec = readDumpTree(tree, `dump[${t}]`, names);
    for (let i = 0; i < spec.feature.length; i++) if (spec.left[i] !== -1) maxFeature = Math.max(maxFeature, spec.feature[i]);
    spec.output = Math.floor(t / numParallelTree) % numOutputs;
    return spec;
  });
  const numFeatures = options.numFeatures ?? options.featureNames?.length ?? maxFeature + 1;
  const given = options.baseScore ?? 0.5;
  const baseScore = (typeof given === 'number' ? new Array(numOutputs).fill(given) : [...given]).map(Math.fround);
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

/** Flattens one nested dump tree into node-id-indexed arrays, iteratively (a hostile dump may be deep). */
function readDumpTree(raw: unknown, where: string, names: Map<string, number> | null): TreeSpec {
  const nodes = new Map<number, Doc>();
  const stack: [unknown, string][] = [[raw, where]];
  let maxId = -1;
  while (stack.length > 0) {
    const [value, w] = stack.pop()!;
    const node = doc(value, w);
    const id = field(node, 'nodeid');
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 1 << 24) throw new ModelFormatError(`${w}.nodeid`, `expected a node id, got ${describe(id)}`);
    if (nodes.has(id)) throw new ModelFormatError(`${w}.nodeid`, `node ${id} appears twice`);
    nodes.set(id, node);
    maxId = Math.max(maxId, id);
    const children = field(node, 'children');
    if (children !== undefined) {
      if (!Array.isArray(children)) throw new ModelFormatError(`${w}.children`, 'expected an array');
      children.forEach((child, k) => stack.push([child, `${w}.children[${k}]`]));
    }
  }
  const n = maxId + 1;
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const defaultLeft = new Uint8Array(n);
  const leafValues = new Float64Array(n);
  const cover = new Float64Array(n).fill(NaN);
  const gain = new Float64Array(n).fill(NaN);
  const categorical: { node: number; categories: number[] }[] = [];
  for (const [id, node] of nodes) {
    const w = `${where} node ${id}`;
    const c = field(node, 'cover');
    if (typeof c === 'number') cover[id] = c;
    const leaf = field(node, 'leaf');
    if (leaf !== undefined) {
      if (typeof leaf !== 'number' && leaf !== null) throw new ModelFormatError(`${w}.leaf`, `expected a number, got ${describe(leaf)}`);
      leafValues[id] = leaf === null ? NaN : leaf;
      continue;
    }
    const g = field(node, 'gain');
    if (typeof g === 'number') gain[id] = g;
    const split = field(node, 'split');
    feature[id] = featureIndex(split, `${w}.split`, names);
    const yes = childId(field(node, 'yes'), `${w}.yes`);
    const no = childId(field(node, 'no'), `${w}.no`);
    const condition = field(node, 'split_condition');
    if (condition === undefined && field(node, 'missing') === undefined) {
      // XGBoost dumps an indicator-feature split without its threshold, and the threshold
      // is not always inside (0, 1], so no reconstruction is exact.
      throw new ModelFormatError(w, `splits on indicator feature '${String(split)}', whose threshold a dump does not record; load the saved model (.json/.ubj) instead`);
    }
    const missing = childId(field(node, 'missing'), `${w}.missing`);
    if (Array.isArray(condition)) {
      // "value in set" is the dump's yes branch, which is the right child in the engine's terms.
      for (const v of condition) if (typeof v !== 'number') throw new ModelFormatError(`${w}.split_condition`, `expected category numbers, got ${describe(v)}`);
      categorical.push({ node: id, categories: condition as number[] });
      right[id] = yes;
      left[id] = no;
    } else {
      if (typeof condition !== 'number' && condition !== null) throw new ModelFormatError(`${w}.split_condition`, `expected a number, got ${describe(condition)}`);
      threshold[id] = condition === null ? NaN : condition;
      left[id] = yes;
      right[id] = no;
    }
    if (missing !== yes && missing !== no) throw new ModelFormatError(`${w}.missing`, `${missing} is neither yes (${yes}) nor no (${no})`);
    defaultLeft[id] = missing === left[id] ? 1 : 0;
  }
  return { left, right, feature, threshold, defaultLeft, leafValues, categorical, output: 0, cover, gain };
}

function childId(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ModelFormatError(where, `expected a node id, got ${describe(value)}`);
  return value;
}

function featureIndex(split: unknown, where: string, names: Map<string, number> | null): number {
  if (typeof split === 'number' && Number.isInteger(split)) return split;
  if (typeof split !== 'string') throw new ModelFormatError(where, `expected a feature name, got ${describe(split)}`);
  const named = names?.get(split);
  if (named !== undefined) return named;
  const match = /^f(\d+)$/.exec(split);
  if (match) return Number(match[1]);
  throw new ModelFormatError(where, `unknown feature '${split}' (pass featureNames)`);
}


