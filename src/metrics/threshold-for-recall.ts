import { InputError } from '../errors.js';
import { toBinary, toScores } from './labels.js';
import type { MetricLabel } from './labels.js';

/** The operating point {@link thresholdForRecall} picks: flag a row iff `score >= threshold`. */
export interface RecallOperatingPoint {
  threshold: number;
  recall: number;
  /** What reaching the recall costs: the precision at that threshold. */
  precision: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Rows flagged positive at this threshold. */
  flagged: number;
}

/**
 * The highest threshold whose recall (flagging rows with `score >= threshold`) reaches
 * `target`, with the precision it costs. Higher thresholds flag fewer rows, so this is
 * the cheapest campaign that still finds the wanted share of buyers.
 *
 * @example
 * thresholdForRecall([0, 1, 1, 0, 1], [0.1, 0.9, 0.4, 0.5, 0.7], 1)
 * // => { threshold: 0.4, recall: 1, precision: 0.75, truePositives: 3, falsePositives: 1, falseNegatives: 0, flagged: 4 }
 */
export function thresholdForRecall(
  yTrue: ArrayLike<MetricLabel>,
  scores: ArrayLike<number>,
  target: number,
  options: { positiveLabel?: MetricLabel } = {},
): RecallOperatingPoint {
  if (typeof target !== 'number' || !(target > 0 && target <= 1)) throw new InputError(`target recall must be in (0, 1], got ${target}`);
  const t = toBinary(yTrue, options.positiveLabel, 'yTrue');
  const s = toScores(scores, t.length);
  let positives = 0;
  for (let i = 0; i < t.length; i++) positives += t[i];
  if (positives === 0) throw new InputError('yTrue has no positives, so recall is undefined');
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[b] - s[a]);
  let tp = 0;
  for (let j = 0; j < order.length; j++) {
    tp += t[order[j]];
    const lastOfTie = j === order.length - 1 || s[order[j + 1]] !== s[order[j]];
    if (lastOfTie && tp / positives >= target) {
      const flagged = j + 1;
      return {
        threshold: s[order[j]],
        recall: tp / positives,
        precision: tp / flagged,
        truePositives: tp,
        falsePositives: flagged - tp,
        falseNegatives: positives - tp,
        flagged,
      };
    }
  }
  /* c8 ignore next */
  throw new InputError('target recall not reachable');
}
