// Found by `npm run fuzz` (seed 15, target ml-random-forest): toJSON() models whose leaf
// distribution holds a negative class fraction were accepted and gave probabilities such
// as -0.028 and 1.5. They are refused now; the replayed inputs are the regression cases.
import { describe, expect, it } from 'vitest';
import { fuzzInput } from '../../fuzz/runner.js';
import { target } from '../../fuzz/targets/ml-random-forest.js';
import { loadMlRandomForest, ModelFormatError } from '../../src/index.js';

describe('ml-random-forest leaves with negative class fractions', () => {
  for (const caseIndex of [1361, 4477, 7602, 16644]) {
    it(`fuzz case ${caseIndex} (seed 15) is refused`, async () => {
      const input = new TextDecoder().decode(fuzzInput(await target.seeds(), 15, caseIndex));
      expect(input).toMatch(/"distribution"/);
      expect(() => loadMlRandomForest(input)).toThrow(ModelFormatError);
      expect(() => loadMlRandomForest(input)).toThrow(/distribution|non-negative/);
    });
  }
});
