import { buildEnsemble } from '../trees/index.js';
import type { TreeEnsemble, TreeSpec } from '../trees/index.js';

/** A classification tree in scikit-learn's layout; `value` is `nodes × numClasses` weighted counts. */
export interface ClassCountTree {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  feature: ArrayLike<number>;
  threshold: ArrayLike<number>;
  value: ArrayLike<number>;
}

/**
 * Compiles classification trees into the shared engine with scikit-learn's forest
 * semantics: go left iff `x <= threshold`, each leaf contributes its class fractions
 * (counts divided by their sum, as `predict_proba` normalises), summed in float64.
 * Divide the margins by the tree count to get the forest's probabilities.
 *
 * @example
 * const ensemble = compileClassTrees([tree], 4, 3);
 * predictMargins(ensemble, rows, n); // n × 3 summed class fractions
 */
export function compileClassTrees(
  trees: readonly ClassCountTree[],
  numFeatures: number,
  numClasses: number,
  describeTree?: (t: number) => string,
): TreeEnsemble {
  const specs: TreeSpec[] = trees.map((tree) => {
    const nodes = tree.left.length;
    const fractions = new Float64Array(nodes * numClasses);
    for (let i = 0; i < nodes; i++) {
      if (tree.left[i] !== -1) continue;
      let sum = 0;
      for (let c = 0; c < numClasses; c++) sum += tree.value[i * numClasses + c];
      if (sum === 0) sum = 1;
      for (let c = 0; c < numClasses; c++) fractions[i * numClasses + c] = tree.value[i * numClasses + c] / sum;
    }
    return {
      left: tree.left,
      right: tree.right,
      feature: tree.feature,
      threshold: tree.threshold,
      defaultLeft: new Uint8Array(nodes),
      leafValues: fractions,
      output: 0,
    };
  });
  return buildEnsemble({
    numFeatures,
    numOutputs: numClasses,
    leafWidth: numClasses,
    trees: specs,
    splitRule: 'le',
    accumulate: 'float64',
    baseMargin: new Float64Array(numClasses),
    describeTree,
  });
}
