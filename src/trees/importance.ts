import { InputError } from '../errors.js';
import type { TreeEnsemble } from './types.js';

/**
 * How to score a feature, as XGBoost's `get_score(importance_type=...)` does:
 * - 'weight': how many splits use the feature;
 * - 'total_gain' / 'total_cover': the summed loss reduction / hessian cover of those splits;
 * - 'gain' / 'cover': the same divided by the number of splits.
 */
export type ImportanceType = 'weight' | 'gain' | 'cover' | 'total_gain' | 'total_cover';

const TYPES: readonly ImportanceType[] = ['weight', 'gain', 'cover', 'total_gain', 'total_cover'];

/**
 * Global feature importance over trees [treeBegin, treeEnd), computed as XGBoost 1.7's
 * `get_score` does (float32 sums, nodes visited in its order). Only features used by some
 * split appear; keys are feature names, or `f{i}` when the model has none.
 *
 * @example
 * featureImportance(ensemble, 'gain', ['age', 'orders']) // => Map { 'orders' => 12.5, 'age' => 3.25 }
 */
export function featureImportance(
  ensemble: TreeEnsemble,
  type: ImportanceType,
  featureNames: readonly string[] | null = null,
  treeBegin = 0,
  treeEnd = ensemble.numTrees,
): Map<string, number> {
  if (!TYPES.includes(type)) throw new InputError(`importance type must be one of ${TYPES.join(', ')}, got '${String(type)}'`);
  const { feature, left, right, gain, cover, treeStart, numFeatures } = ensemble;
  const stat = type === 'gain' || type === 'total_gain' ? gain : cover;
  const counts = new Float64Array(numFeatures);
  const scores = new Float64Array(numFeatures);
  const fr = Math.fround;
  const stack: number[] = [];
  for (let t = treeBegin; t < treeEnd; t++) {
    // XGBoost's WalkTree: a stack, right child popped before left.
    stack.push(treeStart[t]);
    while (stack.length > 0) {
      const node = stack.pop()!;
      const f = feature[node];
      if (f < 0) continue;
      counts[f]++;
      if (type === 'weight') scores[f] = counts[f];
      else {
        const value = stat[node];
        if (value !== value) throw new InputError(`'${type}' importance needs per-node ${stat === gain ? 'loss_changes' : 'sum_hessian'}, which this model does not have`);
        scores[f] = fr(scores[f] + value);
      }
      stack.push(left[node], right[node]);
    }
  }
  const result = new Map<string, number>();
  for (let f = 0; f < numFeatures; f++) {
    if (counts[f] === 0) continue;
    const score = type === 'gain' || type === 'cover' ? fr(scores[f] / Math.max(1, counts[f])) : scores[f];
    result.set(featureNames?.[f] ?? `f${f}`, score);
  }
  return result;
}
