import type { XGBoostModel } from '../../src/index.js';
import { checkProbabilities, inconsistent, probeRows } from './checks.js';

/**
 * The consistency check for an accepted XGBoost model: predictions have `rows ×
 * numOutputs` values (one for multi:softmax), probabilities lie in [0, 1], margins are
 * finite where every leaf and the base margin are finite and small.
 *
 * @example
 * checkXGBoostModel(loadXGBoost(bytes));
 */
export function checkXGBoostModel(model: XGBoostModel): void {
  if (!(Number.isInteger(model.numFeatures) && model.numFeatures >= 0)) inconsistent(`numFeatures ${model.numFeatures}`);
  const rows = probeRows(model.numFeatures);
  if (rows.length === 0) return;
  const margins = model.predict(rows, { output: 'margin' });
  const k = model.numOutputs;
  if (margins.length !== rows.length * k) inconsistent(`${margins.length} margins for ${rows.length} rows × ${k} outputs`);
  const values = model.predict(rows);
  const objective = model.objective;
  if (objective === 'multi:softmax') {
    if (values.length !== rows.length) inconsistent(`${values.length} classes for ${rows.length} rows`);
    for (const v of values) if (!(Number.isInteger(v) && v >= 0 && v < k)) inconsistent(`class ${v} outside [0, ${k})`);
    return;
  }
  if (values.length !== margins.length) inconsistent(`${values.length} values for ${margins.length} margins`);
  if (objective === 'binary:logistic' || objective === 'reg:logistic' || objective === 'multi:softprob') {
    for (let i = 0; i < values.length; i++) {
      // NaN comes only from a NaN margin (a NaN leaf or base score the file holds).
      if (Number.isNaN(values[i]) && Number.isNaN(margins[i])) continue;
      // softmax over a row with an infinite margin is NaN in XGBoost too (inf - inf)
      const row = Math.floor(i / k);
      if (Number.isNaN(values[i]) && Array.from(margins.subarray(row * k, row * k + k)).some((m) => !Number.isFinite(m))) continue;
      checkProbabilities([values[i]], 1, 1, `value[${i}]`);
    }
  }
}
