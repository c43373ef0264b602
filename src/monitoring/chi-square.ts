import { InputError } from '../errors.js';
import { chiSquaredSf } from './gamma-tail.js';
import type { TestResult } from './ks-two-sample.js';

/**
 * Pearson's chi-squared goodness-of-fit test (scipy's `chisquare(observed, expected)`):
 * Σ (o − e)² / e with k − 1 degrees of freedom. A category expected 0 times but observed is
 * an infinite statistic with p = 0, as in scipy.
 *
 * @example
 * chiSquareTest([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]).statistic // => 3.5
 */
export function chiSquareTest(observed: readonly number[], expected: readonly number[]): TestResult {
  if (observed.length !== expected.length) throw new InputError('observed and expected counts differ in length');
  if (observed.length < 2) throw new InputError('the chi-squared test needs at least 2 categories');
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const diff = observed[i] - expected[i];
    statistic += diff === 0 ? 0 : (diff * diff) / expected[i];
  }
  return { statistic, pValue: chiSquaredSf(statistic, observed.length - 1) };
}
