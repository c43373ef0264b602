import { InputError } from '../../errors.js';
import type { Rows } from '../../trees/rows.js';
import { approximateContributions, shapInteractions, treeShap } from '../../trees/shap.js';
import type { XGBoostModel } from './xgboost-model.js';

/**
 * Which explanation: exact TreeSHAP ('contrib', XGBoost's `pred_contribs=True`), Saabas
 * ('contrib-approx', `approx_contribs=True`) or SHAP interaction values ('interactions',
 * `pred_interactions=True`).
 */
export type XGBoostExplanation = 'contrib' | 'contrib-approx' | 'interactions';

/** Options for {@link explainXGBoost}. */
export interface ExplainXGBoostOptions {
  /** Default 'contrib'. */
  output?: XGBoostExplanation;
  /** Boosting rounds [begin, end) to explain, as in `model.predict`; default: the model's rounds. */
  iterationRange?: readonly [number, number];
}

const EXPLANATIONS: readonly XGBoostExplanation[] = ['contrib', 'contrib-approx', 'interactions'];

/**
 * Explains predictions as XGBoost's `predict(pred_contribs=True)` and friends do. Returns
 * a row-major Float32Array: for 'contrib' and 'contrib-approx', `n × numOutputs ×
 * (numFeatures + 1)`, the bias (base margin included) last, each block summing to the
 * row's margin; for 'interactions', `n × numOutputs × (numFeatures + 1)²`. Rows are read
 * as `model.predict` reads them. A separate function so that a bundle that only scores
 * does not carry SHAP.
 *
 * @example
 * const phi = explainXGBoost(model, [customer]); // 1 × classes × (features + 1)
 * explainXGBoost(model, rows, { output: 'interactions', iterationRange: [0, 10] });
 */
export function explainXGBoost(model: XGBoostModel, rows: Rows, options: ExplainXGBoostOptions = {}): Float32Array {
  const output = options.output ?? 'contrib';
  if (!EXPLANATIONS.includes(output)) throw new InputError(`output must be one of ${EXPLANATIONS.map((o) => `'${o}'`).join(', ')}, got '${String(output)}'`);
  const { values, numRows } = model.encodeRows(rows);
  const range = model.treesFor(options.iterationRange);
  const ensemble = model.ensemble;
  if (!ensemble) {
    if (output === 'interactions') throw new InputError('interaction values need a tree model; a linear model has none');
    return linearContributions(model, values, numRows);
  }
  if (output === 'contrib') return Float32Array.from(treeShap(ensemble, values, numRows, range));
  if (output === 'contrib-approx') return Float32Array.from(approximateContributions(ensemble, values, numRows, range));
  return Float32Array.from(shapInteractions(ensemble, values, numRows, range));
}

/** gblinear's contributions: x·w per present feature, bias + base margin last (XGBoost's layout). */
function linearContributions(model: XGBoostModel, values: Float32Array, numRows: number): Float32Array {
  const weights = model.linear!.weights;
  const k = model.numOutputs;
  const nf = model.numFeatures;
  const f = Math.fround;
  const out = new Float32Array(numRows * k * (nf + 1));
  for (let r = 0; r < numRows; r++) {
    for (let g = 0; g < k; g++) {
      const o = (r * k + g) * (nf + 1);
      for (let j = 0; j < nf; j++) {
        const x = values[r * nf + j];
        if (x === x) out[o + j] = f(x * weights[j * k + g]);
      }
      out[o + nf] = f(weights[nf * k + g] + model.baseMargin[g]);
    }
  }
  return out;
}
