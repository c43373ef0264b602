import { ModelFormatError } from '../../errors.js';
import { buildEnsemble } from '../../trees/build-ensemble.js';
import type { TreeEnsemble, TreeSpec } from '../../trees/types.js';
import { doc, field, floatArray, intArray, integerLike, isDoc, numberLike, requiredField, stringArray, stringField, type Doc } from './fields.js';
import { baseScoreToMargin } from './objective.js';

/** A linear booster (gblinear): per output, one weight per feature plus a bias. */
export interface LinearBooster {
  /** `(numFeatures + 1) × numOutputs`, feature-major, bias row last, as XGBoost stores it. */
  weights: Float32Array;
}

/** Everything a saved XGBoost learner holds that prediction needs. */
export interface LearnerParts {
  version: number[] | null;
  objective: string;
  booster: 'gbtree' | 'dart' | 'gblinear';
  numFeatures: number;
  /** Margin columns: num_class, num_target, or 1. */
  numOutputs: number;
  featureNames: string[] | null;
  featureTypes: string[] | null;
  /** base_score as stored (output space), one per output. */
  baseScore: number[];
  baseMargin: number[];
  bestIteration: number | null;
  /** Category names per feature from `cats.enc` (XGBoost ≥ 3.1), index = code. */
  categoryNames: (string[] | null)[] | null;
  ensemble: TreeEnsemble | null;
  linear: LinearBooster | null;
  /** Trees per boosting round. */
  treesPerRound: number;
  numRounds: number;
}

const ROOT = 'learner';
const MAX_FEATURES = 1 << 24;
const MAX_OUTPUTS = 1 << 16;

/**
 * Reads a parsed XGBoost model document (from JSON or UBJSON, any version 1.0–3.4) into
 * validated parts, compiling trees into a {@link TreeEnsemble}.
 *
 * @example
 * const parts = readLearner(parseTolerantJson(text));
 * parts.objective; // 'binary:logistic'
 */
export function readLearner(root: unknown): LearnerParts {
  const top = doc(root, 'model');
  const learner = doc(requiredField(top, 'learner', 'model'), ROOT);
  const version = readVersion(field(top, 'version'));

  const paramsWhere = `${ROOT}.learner_model_param`;
  const params = doc(requiredField(learner, 'learner_model_param', ROOT), paramsWhere);
  const numFeatures = integerLike(requiredField(params, 'num_feature', paramsWhere), `${paramsWhere}.num_feature`);
  const numClass = integerLike(field(params, 'num_class') ?? '0', `${paramsWhere}.num_class`);
  const numTarget = integerLike(field(params, 'num_target') ?? '1', `${paramsWhere}.num_target`, 1);
  if (numClass > 0 && numTarget > 1) throw new ModelFormatError(paramsWhere, `num_class ${numClass} and num_target ${numTarget} cannot both be set`);
  const numOutputs = Math.max(numClass, numTarget, 1);
  // Bounds far beyond real models, so a corrupted count cannot make us allocate gigabytes.
  if (numFeatures > MAX_FEATURES) throw new ModelFormatError(`${paramsWhere}.num_feature`, `${numFeatures} exceeds the supported ${MAX_FEATURES}`);
  if (numOutputs > MAX_OUTPUTS) throw new ModelFormatError(paramsWhere, `${numOutputs} outputs exceed the supported ${MAX_OUTPUTS}`);

  const objectiveDoc = doc(requiredField(learner, 'objective', ROOT), `${ROOT}.objective`);
  const objective = stringField(requiredField(objectiveDoc, 'name', `${ROOT}.objective`), `${ROOT}.objective.name`);

  const baseScore = readBaseScore(requiredField(params, 'base_score', paramsWhere), numOutputs);
  const baseMargin = baseScore.map((b) => baseScoreToMargin(objective, b));

  const featureNamesRaw = field(learner, 'feature_names');
  const featureNames = featureNamesRaw === undefined ? null : stringArray(featureNamesRaw, `${ROOT}.feature_names`);
  const featureTypesRaw = field(learner, 'feature_types');
  const featureTypes = featureTypesRaw === undefined ? null : stringArray(featureTypesRaw, `${ROOT}.feature_types`);
  for (const [name, list] of [['feature_names', featureNames], ['feature_types', featureTypes]] as const) {
    if (list && list.length > 0 && list.length !== numFeatures) throw new ModelFormatError(`${ROOT}.${name}`, `length ${list.length}, expected ${numFeatures}`);
  }

  const attributes = field(learner, 'attributes');
  const best = isDoc(attributes) ? field(attributes, 'best_iteration') : undefined;
  // "-1" is what early stopping records for a model trained for 0 rounds; XGBoost loads it.
  const bestIteration = best === undefined ? null : integerLike(best, `${ROOT}.attributes.best_iteration`, -1);

  const gbWhere = `${ROOT}.gradient_booster`;
  const gb = doc(requiredField(learner, 'gradient_booster', ROOT), gbWhere);
  const booster = stringField(requiredField(gb, 'name', gbWhere), `${gbWhere}.name`);

  const common = {
    version,
    objective,
    numFeatures,
    numOutputs,
    featureNames: featureNames && featureNames.length > 0 ? featureNames : null,
    featureTypes: featureTypes && featureTypes.length > 0 ? featureTypes : null,
    baseScore,
    baseMargin,
    bestIteration,
  };

  if (booster === 'gblinear') {
    const model = doc(requiredField(gb, 'model', gbWhere), `${gbWhere}.model`);
    const raw = floatArray(requiredField(model, 'weights', `${gbWhere}.model`), `${gbWhere}.model.weights`, (numFeatures + 1) * numOutputs);
    return { ...common, booster, categoryNames: null, ensemble: null, linear: { weights: Float32Array.from(raw) }, treesPerRound: 0, numRounds: 0 };
  }
  if (booster !== 'gbtree' && booster !== 'dart') throw new ModelFormatError(`${gbWhere}.name`, `unknown booster '${booster}' (expected gbtree, dart or gblinear)`);

  // DART moved its trees and weights over the years: gbtree.model + weight_drop (≤ 3.2),
  // model + weight_drop beside it (3.3), weight_drop inside model (3.4).
  const nested = field(gb, 'gbtree');
  const modelWhere = isDoc(nested) ? `${gbWhere}.gbtree.model` : `${gbWhere}.model`;
  const model = doc(isDoc(nested) ? requiredField(nested, 'model', `${gbWhere}.gbtree`) : requiredField(gb, 'model', gbWhere), modelWhere);
  // DART tree weights: beside gbtree (≤ 3.2), beside model (3.3) or inside model (3.4,
  // which also names the booster 'gbtree'). A plain gbtree may carry all-1 weights.
  const besideWhere = `${gbWhere}.weight_drop`;
  const rawWeights = field(gb, 'weight_drop') ?? field(model, 'weight_drop');
  if (booster === 'dart' && rawWeights === undefined) throw new ModelFormatError(besideWhere, 'missing (a DART model needs its tree weights)');
  const weightDrop = rawWeights === undefined ? null : floatArray(rawWeights, field(gb, 'weight_drop') !== undefined ? besideWhere : `${modelWhere}.weight_drop`);

  const categoryNames = readCategoryNames(field(model, 'cats'), `${modelWhere}.cats`, numFeatures);
  const { ensemble, treesPerRound, numRounds } = readTrees(model, modelWhere, numFeatures, numOutputs, baseMargin, weightDrop);
  return { ...common, booster, categoryNames, ensemble, linear: null, treesPerRound, numRounds };
}

function readVersion(value: unknown): number[] | null {
  if (value === undefined) return null;
  const v = value as ArrayLike<unknown>;
  if (!(Array.isArray(value) || ArrayBuffer.isView(value)) || v.length < 1) throw new ModelFormatError('version', 'expected [major, minor, patch]');
  return Array.from(v, (x, i) => integerLike(x, `version[${i}]`));
}

/** "0.500000", "5E-1", "[5E-1,2.3E1]" or a number: output-space base scores, one per output. */
function readBaseScore(value: unknown, numOutputs: number): number[] {
  const where = `${ROOT}.learner_model_param.base_score`;
  let scores: number[];
  if (typeof value === 'number') scores = [value];
  else if (typeof value === 'string') {
    const text = value.trim();
    const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
    scores = inner.split(',').map((s) => numberLike(s.trim(), where));
  } else throw new ModelFormatError(where, `expected a number or a numeric string, got ${typeof value}`);
  if (scores.length === 1 && numOutputs > 1) scores = new Array(numOutputs).fill(scores[0]);
  if (scores.length !== numOutputs) throw new ModelFormatError(where, `has ${scores.length} values, expected ${numOutputs}`);
  return scores.map((s) => Math.fround(s));
}

function readCategoryNames(value: unknown, where: string, numFeatures: number): (string[] | null)[] | null {
  if (value === undefined) return null;
  const cats = doc(value, where);
  const enc = field(cats, 'enc');
  if (enc === undefined) return null;
  if (!Array.isArray(enc)) throw new ModelFormatError(`${where}.enc`, 'expected an array');
  if (enc.length === 0) return null;
  if (enc.length !== numFeatures) throw new ModelFormatError(`${where}.enc`, `length ${enc.length}, expected ${numFeatures}`);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return enc.map((entry, f) => {
    const w = `${where}.enc[${f}]`;
    const e = doc(entry, w);
    const values = floatArray(requiredField(e, 'values', w), `${w}.values`);
    const offsetsRaw = field(e, 'offsets');
    if (offsetsRaw === undefined) {
      // Numeric categories: the values themselves are the names.
      return values.length === 0 ? null : Array.from(values, (v) => String(v));
    }
    const offsets = intArray(offsetsRaw, `${w}.offsets`);
    if (offsets.length === 0) return null;
    const bytes = Uint8Array.from(values);
    const names: string[] = [];
    // offsets holds n + 1 boundaries: name k is bytes [offsets[k], offsets[k + 1]).
    for (let k = 0; k + 1 < offsets.length; k++) {
      const start = offsets[k];
      const end = offsets[k + 1];
      if (start < 0 || end < start || end > bytes.length) throw new ModelFormatError(`${w}.offsets[${k}]`, `range [${start}, ${end}) outside ${bytes.length} bytes`);
      try {
        names.push(decoder.decode(bytes.subarray(start, end)));
      } catch {
        throw new ModelFormatError(`${w}.values`, `category ${k} is not valid UTF-8`);
      }
    }
    return names;
  });
}

function readTrees(
  model: Doc,
  where: string,
  numFeatures: number,
  numOutputs: number,
  baseMargin: number[],
  weightDrop: ArrayLike<number> | null,
): { ensemble: TreeEnsemble; treesPerRound: number; numRounds: number } {
  const treesRaw = requiredField(model, 'trees', where);
  if (!Array.isArray(treesRaw)) throw new ModelFormatError(`${where}.trees`, 'expected an array');
  const numTrees = treesRaw.length;
  const param = field(model, 'gbtree_model_param');
  let numParallelTree = 1;
  if (isDoc(param)) {
    const declared = field(param, 'num_trees');
    if (declared !== undefined && integerLike(declared, `${where}.gbtree_model_param.num_trees`) !== numTrees) {
      throw new ModelFormatError(`${where}.trees`, `length ${numTrees}, expected ${numberLike(declared, '')} (gbtree_model_param.num_trees)`);
    }
    const npt = field(param, 'num_parallel_tree');
    if (npt !== undefined) numParallelTree = integerLike(npt, `${where}.gbtree_model_param.num_parallel_tree`, 1);
  }
  const treeInfo = intArray(field(model, 'tree_info') ?? new Array(numTrees).fill(0), `${where}.tree_info`, numTrees);
  if (weightDrop && weightDrop.length !== numTrees) throw new ModelFormatError(`${where}.weight_drop`, `length ${weightDrop.length}, expected ${numTrees}`);

  let leafWidth = 1;
  const specs: TreeSpec[] = [];
  for (let t = 0; t < numTrees; t++) {
    const spec = readTree(treesRaw[t], `${where}.trees[${t}]`, treeInfo[t], numOutputs);
    if (t === 0) leafWidth = spec.leafWidth;
    else if (spec.leafWidth !== leafWidth) throw new ModelFormatError(`${where}.trees[${t}].tree_param.size_leaf_vector`, `${spec.leafWidth}, but trees[0] has ${leafWidth}`);
    if (weightDrop) spec.tree.weight = Math.fround(weightDrop[t]);
    specs.push(spec.tree);
  }

  const groups = leafWidth > 1 ? 1 : numOutputs;
  const treesPerRound = numParallelTree * groups;
  let indptr: ArrayLike<number>;
  const given = field(model, 'iteration_indptr');
  if (given !== undefined) indptr = intArray(given, `${where}.iteration_indptr`);
  else {
    if (numTrees % treesPerRound !== 0) throw new ModelFormatError(`${where}.trees`, `${numTrees} trees do not make whole rounds of ${treesPerRound}`);
    indptr = Array.from({ length: numTrees / treesPerRound + 1 }, (_, i) => i * treesPerRound);
  }
  const ensemble = buildEnsemble({
    numFeatures,
    numOutputs,
    leafWidth,
    trees: specs,
    splitRule: 'lt',
    accumulate: 'float32',
    baseMargin,
    iterationIndptr: indptr,
    describeTree: (t) => `${where}.trees[${t}]`,
  });
  return { ensemble, treesPerRound, numRounds: ensemble.iterationIndptr.length - 1 };
}

function readTree(raw: unknown, where: string, output: number, numOutputs: number): { tree: TreeSpec; leafWidth: number } {
  const tree = doc(raw, where);
  const param = doc(requiredField(tree, 'tree_param', where), `${where}.tree_param`);
  const n = integerLike(requiredField(param, 'num_nodes', `${where}.tree_param`), `${where}.tree_param.num_nodes`, 1);
  const sizeLeafVector = integerLike(field(param, 'size_leaf_vector') ?? '1', `${where}.tree_param.size_leaf_vector`);
  const leafWidth = sizeLeafVector > 1 ? sizeLeafVector : 1;
  if (leafWidth > 1 && leafWidth !== numOutputs) throw new ModelFormatError(`${where}.tree_param.size_leaf_vector`, `${leafWidth}, expected ${numOutputs} (num_target)`);

  const left = intArray(requiredField(tree, 'left_children', where), `${where}.left_children`, n);
  const right = intArray(requiredField(tree, 'right_children', where), `${where}.right_children`, n);
  const feature = intArray(requiredField(tree, 'split_indices', where), `${where}.split_indices`, n);
  const conditions = floatArray(requiredField(tree, 'split_conditions', where), `${where}.split_conditions`, n);
  // XGBoost 1.7.4 sends missing values left only for default_left == 1: 2, 255, 256 and -1
  // all go right (models/hardening/xgboost_edges.py), so anything but 1 is 0 here too.
  const defaultLeft = intArray(requiredField(tree, 'default_left', where), `${where}.default_left`, n).map((v) => (v === 1 ? 1 : 0));
  if (output < 0 || output >= numOutputs) throw new ModelFormatError(`${where}`, `tree_info says output ${output}, outside [0, ${numOutputs})`);

  let leafValues: ArrayLike<number> = conditions;
  if (leafWidth > 1) {
    const leafWeights = field(tree, 'leaf_weights');
    if (leafWeights !== undefined) {
      // XGBoost ≥ 3.2 stores only the leaves' vectors, in node order, and may reuse a leaf's right child as its index.
      const packed = floatArray(leafWeights, `${where}.leaf_weights`);
      const full = new Float64Array(n * leafWidth);
      let nextLeaf = 0;
      for (let i = 0; i < n; i++) {
        if (left[i] !== -1) continue;
        const index = right[i] >= 0 ? right[i] : nextLeaf;
        nextLeaf++;
        if ((index + 1) * leafWidth > packed.length) throw new ModelFormatError(`${where}.leaf_weights`, `length ${packed.length} has no vector for leaf ${index}`);
        for (let k = 0; k < leafWidth; k++) full[i * leafWidth + k] = packed[index * leafWidth + k];
        right[i] = -1;
      }
      leafValues = full;
    } else {
      leafValues = floatArray(requiredField(tree, 'base_weights', where), `${where}.base_weights`, n * leafWidth);
    }
  }

  const categorical: { node: number; categories: ArrayLike<number> }[] = [];
  const splitTypeRaw = field(tree, 'split_type');
  if (splitTypeRaw !== undefined) {
    const splitType = intArray(splitTypeRaw, `${where}.split_type`, n);
    const nodes = intArray(field(tree, 'categories_nodes') ?? [], `${where}.categories_nodes`);
    const segments = intArray(field(tree, 'categories_segments') ?? [], `${where}.categories_segments`, nodes.length);
    const sizes = intArray(field(tree, 'categories_sizes') ?? [], `${where}.categories_sizes`, nodes.length);
    const categories = intArray(field(tree, 'categories') ?? [], `${where}.categories`);
    const setOf = new Map<number, ArrayLike<number>>();
    for (let k = 0; k < nodes.length; k++) {
      const start = segments[k];
      const end = start + sizes[k];
      if (start < 0 || sizes[k] < 0 || end > categories.length) {
        throw new ModelFormatError(`${where}.categories_segments[${k}]`, `range [${start}, ${end}) outside categories of length ${categories.length}`);
      }
      const node = nodes[k];
      if (node < 0 || node >= n) throw new ModelFormatError(`${where}.categories_nodes[${k}]`, `node ${node} out of range [0, ${n})`);
      // XGBoost 1.7.4 aborts on a leaf listed in node order and ignores one listed out of
      // order; refusing both keeps the answer independent of the order.
      if (left[node] === -1) throw new ModelFormatError(`${where}.categories_nodes[${k}]`, `node ${node} is a leaf`);
      // XGBoost refuses an empty set ("Check failed: j_end - j_begin != 0").
      if (sizes[k] === 0) throw new ModelFormatError(`${where}.categories_sizes[${k}]`, `node ${node} splits on an empty category set`);
      setOf.set(node, categories.subarray(start, end));
    }
    for (let i = 0; i < n; i++) {
      if (splitType[i] !== 1 || left[i] === -1) continue;
      const set = setOf.get(i);
      if (set) categorical.push({ node: i, categories: set });
      // Without any category set in the tree XGBoost scores such a node as the numeric
      // split it also describes; beside real categorical splits it aborts (SIGABRT).
      else if (nodes.length > 0) throw new ModelFormatError(`${where}.split_type[${i}]`, `node ${i} is categorical but has no categories_nodes entry`);
    }
  }

  const lossChanges = field(tree, 'loss_changes');
  const sumHessian = field(tree, 'sum_hessian');
  return {
    leafWidth,
    tree: {
      left,
      right,
      feature,
      threshold: conditions,
      defaultLeft,
      leafValues,
      categorical,
      output: leafWidth > 1 ? 0 : output,
      gain: lossChanges === undefined ? undefined : floatArray(lossChanges, `${where}.loss_changes`, n),
      cover: sumHessian === undefined ? undefined : floatArray(sumHessian, `${where}.sum_hessian`, n),
    },
  };
}
