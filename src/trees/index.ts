export type { TreeSpec, EnsembleSpec, TreeEnsemble } from './types.js';
export { buildEnsemble } from './build-ensemble.js';
export { predictMargins, predictLeaves, findLeaf, inCategorySet } from './predict.js';
export type { TreeRange } from './predict.js';
export { nextFloat32Up, float32AtMost } from './float32.js';
export { toFloat32Rows } from './rows.js';
export type { Rows, NamedRow, RowSchema } from './rows.js';
