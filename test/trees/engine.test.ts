// The engine's rules, checked on hand-built trees against the rules themselves
// (XGBoost's CPU predictor semantics and scikit-learn's x <= t), not against our output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnsemble, ModelFormatError, predictLeaves, predictMargins, type TreeSpec } from '../../src/index.js';

/** Root splits on feature 0; leaf 1 (left) is -1, leaf 2 (right) is +1. */
function stump(threshold: number, extra: Partial<TreeSpec> = {}): TreeSpec {
  return { left: [1, -1, -1], right: [2, -1, -1], feature: [0, 0, 0], threshold: [threshold, 0, 0], defaultLeft: [1, 0, 0], leafValues: [0, -1, 1], output: 0, ...extra };
}
const oneTree = (tree: TreeSpec, splitRule: 'lt' | 'le' = 'lt', accumulate: 'float32' | 'float64' = 'float32') =>
  buildEnsemble({ numFeatures: 1, numOutputs: 1, leafWidth: 1, trees: [tree], splitRule, accumulate, baseMargin: [0] });
const score = (ensemble: ReturnType<typeof oneTree>, x: number) => predictMargins(ensemble, Float32Array.of(x), 1)[0];

describe('numeric splits', () => {
  it('goes left iff x < threshold (XGBoost), equality goes right', () => {
    const e = oneTree(stump(0.5));
    expect(score(e, 0.25)).toBe(-1);
    expect(score(e, 0.5)).toBe(1);
    expect(score(e, 0.75)).toBe(1);
  });
  it('missing values take the default child', () => {
    expect(score(oneTree(stump(0.5, { defaultLeft: [1, 0, 0] })), NaN)).toBe(-1);
    expect(score(oneTree(stump(0.5, { defaultLeft: [0, 0, 0] })), NaN)).toBe(1);
  });
  it('compares the float32 input with a float32 threshold, so a double-precision difference cannot flip a branch', () => {
    // 0.1 as a float32 input equals the float32 threshold 0.1, so it goes right, although 0.1 < fround(0.1) in doubles.
    expect(score(oneTree(stump(0.1)), 0.1)).toBe(1);
  });
  it("'le' (scikit-learn) sends x <= t left for any float32 x and double t", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e30, max: 1e30 }), fc.float({ noNaN: true, noDefaultInfinity: true }), (t, x) => {
        const got = score(oneTree(stump(t), 'le', 'float64'), x);
        expect(got).toBe(Math.fround(x) <= t ? -1 : 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('categorical splits', () => {
  const e = oneTree(stump(NaN, { categorical: [{ node: 0, categories: [1, 3, 40] }] }));
  it('a category in the set goes right, one outside goes left', () => {
    expect(score(e, 1)).toBe(1);
    expect(score(e, 3)).toBe(1);
    expect(score(e, 40)).toBe(1);
    expect(score(e, 0)).toBe(-1);
    expect(score(e, 2)).toBe(-1);
  });
  it('negative, beyond-the-set and non-finite categories go left; fractions truncate', () => {
    expect(score(e, -1)).toBe(-1);
    expect(score(e, 1000)).toBe(-1);
    expect(score(e, 2 ** 31)).toBe(-1);
    expect(score(e, Infinity)).toBe(-1);
    expect(score(e, 3.7)).toBe(1);
    expect(score(e, -0.5)).toBe(-1);
  });
  it('missing still takes the default child', () => {
    expect(score(e, NaN)).toBe(-1);
  });
});

describe('accumulation', () => {
  it('sums leaves in float32 in tree order from the base margin (XGBoost) or in double (scikit-learn)', () => {
    const trees = [stump(0, { leafValues: [0, 0.1, 0.1] }), stump(0, { leafValues: [0, 0.2, 0.2] }), stump(0, { leafValues: [0, 0.3, 0.3] })];
    const spec = { numFeatures: 1, numOutputs: 1, leafWidth: 1, trees, splitRule: 'lt' as const, baseMargin: [0.5] };
    const f = Math.fround;
    const expected32 = f(f(f(f(0.5) + f(0.1)) + f(0.2)) + f(0.3));
    expect(predictMargins(buildEnsemble({ ...spec, accumulate: 'float32' }), Float32Array.of(1), 1)[0]).toBe(expected32);
    expect(predictMargins(buildEnsemble({ ...spec, accumulate: 'float64' }), Float32Array.of(1), 1)[0]).toBe(0.5 + 0.1 + 0.2 + 0.3);
  });
  it('vector leaves add to every output; scalar trees to their own output', () => {
    const vector = buildEnsemble({ numFeatures: 1, numOutputs: 2, leafWidth: 2, trees: [stump(0, { leafValues: [0, 0, 1, 2, 3, 4] })], splitRule: 'lt', accumulate: 'float64', baseMargin: [10, 20] });
    expect([...predictMargins(vector, Float32Array.of(-1, 1), 2)]).toEqual([11, 22, 13, 24]);
    const scalar = buildEnsemble({ numFeatures: 1, numOutputs: 2, leafWidth: 1, trees: [stump(0), stump(0, { output: 1 })], splitRule: 'lt', accumulate: 'float64', baseMargin: [0, 0] });
    expect([...predictMargins(scalar, Float32Array.of(-1), 1)]).toEqual([-1, -1]);
  });
  it('reports leaf node ids per tree and respects tree ranges', () => {
    const e = buildEnsemble({ numFeatures: 1, numOutputs: 1, leafWidth: 1, trees: [stump(0), stump(5)], splitRule: 'lt', accumulate: 'float32', baseMargin: [0] });
    expect([...predictLeaves(e, Float32Array.of(1), 1)]).toEqual([2, 1]);
    expect([...predictMargins(e, Float32Array.of(1), 1, { treeBegin: 1, treeEnd: 2 })]).toEqual([-1]);
  });
});

describe('validation: a hostile tree never reaches prediction', () => {
  const build = (tree: Partial<TreeSpec>, numFeatures = 1) =>
    buildEnsemble({ numFeatures, numOutputs: 1, leafWidth: 1, trees: [{ ...stump(0), ...tree }], splitRule: 'lt', accumulate: 'float32', baseMargin: [0] });
  it.each([
    ['a cycle', { left: [1, 0, -1] }, /reached twice|out of range/],
    ['a self loop', { left: [0, -1, -1] }, /out of range/],
    ['a shared child', { left: [1, 2, -1], right: [2, 2, -1] }, /reached twice/],
    ['a child out of range', { right: [7, -1, -1] }, /child 7, out of range \[1, 3\)/],
    ['a feature beyond num_feature', { feature: [3, 0, 0] }, /feature 3, out of range \[0, 1\)/],
    ['a short array', { threshold: [0] }, /threshold: length 1, expected 3/],
    ['a huge category', { categorical: [{ node: 0, categories: [2 ** 30] }] }, /category/],
    ['a negative category', { categorical: [{ node: 0, categories: [-2] }] }, /category/],
    ['a fractional child', { left: [1.5, -1, -1] }, /out of range/],
  ])('%s is a ModelFormatError', (_, tree, message) => {
    expect(() => build(tree as Partial<TreeSpec>)).toThrow(ModelFormatError);
    expect(() => build(tree as Partial<TreeSpec>)).toThrow(message);
  });
  it('rows of the wrong width are an InputError', () => {
    expect(() => predictMargins(build({}), new Float32Array(3), 2)).toThrow(/expected 2 rows × 1 features = 2 values, got 3/);
  });
});
