import { ModelFormatError, UnsupportedModelError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import { ColumnTransformer, type ColumnPart } from '../../compose/column-transformer.js';
import { Pipeline, type PipelineStep } from '../../compose/pipeline.js';
import type { PyValue } from '../pickle/py-value.js';
import { describePy, pyFloats, pyList, PyState } from './py-read.js';

/** Maps one nested estimator (a step or a part); `where` names it in errors. */
export type MapStep = (value: PyValue, where: string) => Estimator;

function pair(v: PyValue, where: string, length: number): readonly PyValue[] {
  const t = pyList(v, where, length);
  if (typeof t[0] !== 'string') throw new ModelFormatError(where, `must start with a name, got ${describePy(t[0])}`);
  return t;
}

/**
 * `sklearn.pipeline.Pipeline`: every step mapped (`None` and `'passthrough'` kept as passthrough).
 *
 * @example
 * mapPipeline(new PyState(obj), mapStep).predict(table);
 */
export function mapPipeline(s: PyState, mapStep: MapStep): Estimator {
  const steps = pyList(s.need('steps'), s.where('steps')).map((v, i): [string, PipelineStep] => {
    const [name, step] = pair(v, `${s.where('steps')}[${i}]`, 2) as [string, PyValue];
    return [name, step === null || step === 'passthrough' ? 'passthrough' : mapStep(step, `${s.where('steps')}.${name}`)];
  });
  return new Pipeline(steps);
}

/**
 * `sklearn.compose.ColumnTransformer`: the fitted `transformers_` (remainder included) with
 * the input columns scikit-learn resolved in fitting (`_transformer_to_input_indices`), so
 * selections by name, index, slice or mask all arrive as column indices; `'drop'` parts and
 * empty selections are left out.
 *
 * @example
 * mapColumnTransformer(new PyState(obj), mapStep).transform(rows);
 */
export function mapColumnTransformer(s: PyState, mapStep: MapStep): Estimator {
  const weights = s.get('transformer_weights');
  if (weights !== null && weights !== undefined) throw new UnsupportedModelError(s.className, s.savedBy, 'with transformer_weights is not supported');
  const numFeaturesIn = s.featureCount();
  const indices = s.need('_transformer_to_input_indices');
  if (!(indices instanceof Map)) throw new ModelFormatError(s.where('_transformer_to_input_indices'), `must be a dict, got ${describePy(indices)}`);
  const parts: ColumnPart[] = [];
  pyList(s.need('transformers_'), s.where('transformers_')).forEach((v, i) => {
    const where = `${s.where('transformers_')}[${i}]`;
    const [name, step] = pair(v, where, 3) as [string, PyValue, PyValue];
    const columns = Array.from(pyFloats(indices.get(name) ?? null, `${s.where('_transformer_to_input_indices')}.${name}`));
    if (step === 'drop' || columns.length === 0) return;
    parts.push({ name, columns, step: step === 'passthrough' ? 'passthrough' : mapStep(step, `${s.where('transformers_')}.${name}`) });
  });
  const verbose = s.get('verbose_feature_names_out');
  return new ColumnTransformer(parts, { numFeaturesIn, featureNamesIn: s.featureNames(), verboseNames: verbose !== false });
}
