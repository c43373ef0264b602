/**
 * One tree as a format loader hands it to {@link buildEnsemble}: parallel arrays indexed
 * by the tree's own node ids, root at 0, a node is a leaf when `left[i] === -1`.
 *
 * @example
 * const stump: TreeSpec = {
 *   left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [0.5, 0, 0],
 *   defaultLeft: [1, 0, 0], leafValues: [0, -1, 1], output: 0,
 * };
 */
export interface TreeSpec {
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  feature: ArrayLike<number>;
  /** Split value; how it compares is the ensemble's `splitRule`. */
  threshold: ArrayLike<number>;
  /** Where a missing (NaN) value goes. */
  defaultLeft: ArrayLike<number | boolean>;
  /** `nodes × leafWidth` values; only leaf entries are read. */
  leafValues: ArrayLike<number>;
  /** Category splits: a value whose integer part is in `categories` goes RIGHT, anything else left. */
  categorical?: ReadonlyArray<{ node: number; categories: ArrayLike<number> }>;
  /** The output column this tree adds to; ignored for vector-leaf trees. */
  output: number;
  /** Multiplies every leaf value (DART's weight_drop); the product is rounded like the sum. */
  weight?: number;
  /** Per-node training statistics, kept for explanations and importance. */
  cover?: ArrayLike<number>;
  gain?: ArrayLike<number>;
}

/**
 * Everything {@link buildEnsemble} needs besides the trees.
 *
 * @example
 * const spec: EnsembleSpec = {
 *   numFeatures: 3, numOutputs: 1, leafWidth: 1, trees: [stump],
 *   splitRule: 'lt', accumulate: 'float32', baseMargin: [0],
 * };
 */
export interface EnsembleSpec {
  numFeatures: number;
  numOutputs: number;
  /** 1 for scalar leaves, `numOutputs` for vector leaves (multi-output trees, class-fraction forests). */
  leafWidth: number;
  trees: readonly TreeSpec[];
  /** 'lt': left iff x < t (XGBoost). 'le': left iff x <= t (scikit-learn). */
  splitRule: 'lt' | 'le';
  /** 'float32': leaves summed in float32 (XGBoost). 'float64': in double (scikit-learn). */
  accumulate: 'float32' | 'float64';
  /** Starting margin per output. */
  baseMargin: ArrayLike<number>;
  /** Tree index where each boosting round starts, plus the end; defaults to one tree per round. */
  iterationIndptr?: ArrayLike<number>;
  /** Names a tree in error messages, e.g. `(t) => \`trees[${t}]\``. */
  describeTree?: (tree: number) => string;
}

/**
 * A compiled tree ensemble: flat typed arrays over all nodes of all trees, no objects
 * on the prediction path. Build one with {@link buildEnsemble}; it is immutable.
 *
 * Every split is stored as "go left iff x < threshold" with a float32 threshold:
 * for float32 inputs that is exactly XGBoost's rule, and scikit-learn's `x <= t`
 * becomes `x < next float32 above t` without changing a single decision.
 */
export interface TreeEnsemble {
  readonly numFeatures: number;
  readonly numOutputs: number;
  readonly numTrees: number;
  readonly leafWidth: number;
  readonly accumulate: 'float32' | 'float64';
  readonly baseMargin: Float64Array;
  /** Trees per boosting round: round r covers trees [iterationIndptr[r], iterationIndptr[r+1]). */
  readonly iterationIndptr: Int32Array;
  /** Global index of each tree's root; tree t owns nodes [treeStart[t], treeStart[t+1]). */
  readonly treeStart: Int32Array;
  /** Output column of each tree (-1: a vector-leaf tree that adds to every output). */
  readonly treeOutput: Int32Array;
  /** Split feature per node; -1 marks a leaf. */
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  /** Global child indices. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly defaultLeft: Uint8Array;
  /** Index into `categoryStart` for categorical splits, -1 for numeric ones. */
  readonly categorySlot: Int32Array;
  /** Word range of each categorical split's bitset in `categoryBits`. */
  readonly categoryStart: Int32Array;
  readonly categoryBits: Uint32Array;
  /** `nodes × leafWidth`, already multiplied by the tree weight. */
  readonly leafValues: Float64Array;
  /** Each tree's weight (DART's weight_drop; 1 otherwise). */
  readonly treeWeight: Float64Array;
  /** Leaf values before the tree weight, when some weight is not 1 (explanations need them); else null. */
  readonly unweightedLeafValues: Float64Array | null;
  /** Per-node cover (sum of hessians) and gain, NaN where the format has none. */
  readonly cover: Float64Array;
  readonly gain: Float64Array;
}
