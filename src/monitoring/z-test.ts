import { InputError } from '../errors.js';
import { normalTwoSidedP } from './gamma-tail.js';
import type { TestResult } from './ks-two-sample.js';

/**
 * The pooled two-proportion Z-test, two-sided, as Evidently runs it on binary columns:
 * z = (p₁ − p₂) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)). When both samples hold the same single value
 * there is nothing to compare: z = 0, p = 1.
 *
 * @example
 * proportionsZTest(30, 100, 50, 100) // ≈ { statistic: -2.8868, pValue: 0.0039 }
 */
export function proportionsZTest(hits1: number, n1: number, hits2: number, n2: number): TestResult {
  if (!(n1 > 0 && n2 > 0)) throw new InputError('the Z-test needs values on both sides');
  const p1 = hits1 / n1;
  const p2 = hits2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  if (pooled === 0 || pooled === 1) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic: z, pValue: normalTwoSidedP(z) };
}
