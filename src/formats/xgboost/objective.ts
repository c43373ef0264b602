import { ModelFormatError } from '../../errors.js';
import { glibcLogf } from './glibc-logf.js';

/** How an objective maps margins to predictions. */
export type OutputTransform = 'identity' | 'sigmoid' | 'exp' | 'softmax' | 'argmax' | 'hinge';

/** `std::min(-x, 88.7f)` in XGBoost's `common::Sigmoid`. */
const SIGMOID_EXP_CAP = Math.fround(88.7);

/** How an objective maps a stored base_score (output space) back to a margin. */
type MarginLink = 'identity' | 'logit' | 'log';

const OBJECTIVES: Record<string, [OutputTransform, MarginLink]> = {
  'binary:logistic': ['sigmoid', 'logit'],
  'reg:logistic': ['sigmoid', 'logit'],
  // Measured on XGBoost 1.7.4: logitraw takes base_score as the margin as it is.
  'binary:logitraw': ['identity', 'identity'],
  'binary:hinge': ['hinge', 'identity'],
  'reg:squarederror': ['identity', 'identity'],
  'reg:linear': ['identity', 'identity'],
  'reg:squaredlogerror': ['identity', 'identity'],
  'reg:pseudohubererror': ['identity', 'identity'],
  'reg:absoluteerror': ['identity', 'identity'],
  'reg:quantileerror': ['identity', 'identity'],
  'reg:expectileerror': ['identity', 'identity'],
  'count:poisson': ['exp', 'log'],
  'reg:gamma': ['exp', 'log'],
  'reg:tweedie': ['exp', 'log'],
  'survival:cox': ['exp', 'log'],
  'survival:aft': ['exp', 'log'],
  'multi:softprob': ['softmax', 'identity'],
  'multi:softmax': ['argmax', 'identity'],
  'rank:pairwise': ['identity', 'identity'],
  'rank:ndcg': ['identity', 'identity'],
  'rank:map': ['identity', 'identity'],
};

/**
 * Every objective name this library scores.
 *
 * @example
 * supportedObjectives().includes('binary:logistic') // => true
 */
export function supportedObjectives(): string[] {
  return Object.keys(OBJECTIVES);
}

function lookup(objective: string): [OutputTransform, MarginLink] {
  const entry = Object.hasOwn(OBJECTIVES, objective) ? OBJECTIVES[objective] : undefined;
  if (!entry) throw new ModelFormatError('learner.objective.name', `unknown objective '${objective}' (supported: ${supportedObjectives().join(', ')})`);
  return entry;
}

/**
 * The transform XGBoost applies to margins for `predict()` under this objective.
 *
 * @example
 * outputTransform('count:poisson') // => 'exp'
 */
export function outputTransform(objective: string): OutputTransform {
  return lookup(objective)[0];
}

/**
 * Converts base_score, which XGBoost stores in output space, to the starting margin,
 * with the same float32 operations XGBoost uses (`-logf(1/p - 1)`, `logf(p)`).
 *
 * @example
 * baseScoreToMargin('binary:logistic', 0.5) // => 0
 * baseScoreToMargin('count:poisson', 1) // => 0
 */
export function baseScoreToMargin(objective: string, baseScore: number): number {
  const p = Math.fround(baseScore);
  switch (lookup(objective)[1]) {
    case 'logit':
      if (!(p > 0 && p < 1)) throw new ModelFormatError('learner.learner_model_param.base_score', `must be in (0, 1) for ${objective}, got ${baseScore}`);
      return -glibcLogf(Math.fround(Math.fround(1 / p) - 1));
    case 'log':
      if (!(p > 0)) throw new ModelFormatError('learner.learner_model_param.base_score', `must be > 0 for ${objective}, got ${baseScore}`);
      return glibcLogf(p);
    default:
      return p;
  }
}

/**
 * XGBoost's `common::Sigmoid` in float32. It caps the exponent at 88.7f (expf overflows
 * near 88.72), so margins below about -88.7 give 1 / (expf(88.7f) + 1) = 3.0066e-39
 * rather than the true value or 0.
 *
 * @example
 * xgboostSigmoid(0) // => 0.5
 * xgboostSigmoid(-1000) // => 3.0066e-39 (as float32)
 */
export function xgboostSigmoid(x: number): number {
  const f = Math.fround;
  return f(1 / f(1 + f(Math.exp(Math.min(f(-x), SIGMOID_EXP_CAP)))));
}

/**
 * Applies an output transform to `numRows × width` margins (float32 arithmetic, as
 * XGBoost does) and returns the predictions, written into `into` when given (one row
 * scored without allocating); `argmax` yields one column (the class).
 *
 * @example
 * applyTransform('sigmoid', new Float64Array([0]), 1, 1) // => Float32Array [0.5]
 */
export function applyTransform(transform: OutputTransform, margins: ArrayLike<number>, numRows: number, width: number, into?: Float32Array): Float32Array {
  const f = Math.fround;
  if (transform === 'argmax') {
    const out = into ?? new Float32Array(numRows);
    for (let r = 0; r < numRows; r++) {
      let best = 0;
      for (let k = 1; k < width; k++) if (margins[r * width + k] > margins[r * width + best]) best = k;
      out[r] = best;
    }
    return out;
  }
  const out = into ?? new Float32Array(margins.length);
  if (transform === 'softmax') {
    for (let r = 0; r < numRows; r++) {
      const o = r * width;
      let max = margins[o];
      for (let k = 1; k < width; k++) max = Math.max(max, margins[o + k]);
      let sum = 0;
      for (let k = 0; k < width; k++) {
        const e = f(Math.exp(f(margins[o + k] - max)));
        out[o + k] = e;
        sum += e;
      }
      const total = f(sum);
      for (let k = 0; k < width; k++) out[o + k] = f(out[o + k] / total);
    }
    return out;
  }
  for (let i = 0; i < margins.length; i++) {
    const x = margins[i];
    switch (transform) {
      case 'sigmoid':
        out[i] = xgboostSigmoid(x);
        break;
      case 'exp':
        out[i] = f(Math.exp(x));
        break;
      case 'hinge':
        out[i] = x > 0 ? 1 : 0;
        break;
      default:
        out[i] = x;
    }
  }
  return out;
}
