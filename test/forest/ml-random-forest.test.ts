import fc from 'fast-check';
import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../../src/errors.js';
import { loadMlRandomForest, loadSklearnTrees, seededRandom } from '../../src/forest/index.js';

function data(n: number) {
  const rng = seededRandom(9);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.nextInt(10), rng.nextInt(5), rng.nextInt(20) / 4, rng.nextInt(3)];
    X.push(row);
    y.push(row[0] + row[1] > 7 ? 2 : row[2] > 2 ? 1 : 0);
  }
  return { X, y };
}

describe('ml-random-forest toJSON() models on the tree engine', () => {
  const { X, y } = data(150);
  const rf = new MlRandomForest({ nEstimators: 6, maxFeatures: 3, seed: 5, noOOB: true });
  rf.train(X, y);
  const saved = JSON.stringify(rf.toJSON());

  it('probabilities are the mean of every tree’s leaf class fractions (ml-cart’s own leaves)', () => {
    const model = loadMlRandomForest(saved);
    const proba = model.predictProba(X);
    const k = model.classes.length;
    expect(k).toBe(3);
    const indexes = (rf as any).indexes as number[][];
    const estimators = (rf as any).estimators as any[];
    for (let r = 0; r < X.length; r++) {
      const expected = [0, 0, 0];
      estimators.forEach((est, t) => {
        const leaf: number[] = est.root.classify(indexes[t].map((f) => X[r][f])).to1DArray();
        leaf.forEach((v, c) => (expected[c] += v / estimators.length));
      });
      for (let c = 0; c < k; c++) expect(proba[r * k + c]).toBeCloseTo(expected[c], 12);
    }
  });

  it('fixes predictProbability, which drops the first tree’s vote', () => {
    const model = loadMlRandomForest(saved);
    const theirs = rf.predictProbability(X, 1) as number[];
    const ours = model.predictProba(X);
    const differ = theirs.filter((p, r) => Math.abs(p - ours[r * 3 + 1]) > 1e-3).length;
    expect(differ).toBeGreaterThan(0);
  });

  it('hostile or broken JSON is a ModelFormatError, never a crash or hang', () => {
    const parsed = JSON.parse(saved);
    expect(() => loadMlRandomForest('{')).toThrow(ModelFormatError);
    expect(() => loadMlRandomForest({ name: 'nope' })).toThrow(ModelFormatError);
    const cyclic = JSON.parse(saved);
    cyclic.baseModel.estimators[0].root.left = cyclic.baseModel.estimators[0].root;
    expect(() => loadMlRandomForest(cyclic)).toThrow(ModelFormatError);
    const badColumn = JSON.parse(saved);
    badColumn.baseModel.estimators[0].root.splitColumn = 99;
    expect(() => loadMlRandomForest(badColumn)).toThrow(ModelFormatError);
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.string(), { maxLength: 4 }), (junk, path) => {
        const copy = JSON.parse(saved);
        let target: any = copy.baseModel.estimators[0].root;
        for (const step of path) if (target && typeof target === 'object' && Object.hasOwn(target, step)) target = target[step];
        // An own property, as JSON.parse makes one, even for a key like __proto__.
        if (target && typeof target === 'object') Object.defineProperty(target, path[path.length - 1] ?? 'splitValue', { value: junk, enumerable: true, writable: true, configurable: true });
        try {
          loadMlRandomForest(copy);
        } catch (error) {
          expect(error).toBeInstanceOf(ModelFormatError);
        }
      }),
      { numRuns: 300 },
    );
    expect(parsed.name).toBe('RFClassifier');
  });
});

describe('sklearn-trees JSON loader rejects hostile input with ModelFormatError', () => {
  const good = {
    format: 'sklearn-trees',
    version: 1,
    estimator: 'RandomForestClassifier',
    n_features: 2,
    classes: [0, 1],
    value_width: 2,
    trees: [{ children_left: [1, -1, -1], children_right: [2, -1, -1], feature: [1, -2, -2], threshold: [0.5, -2, -2], value: [3, 3, 3, 0, 0, 3] }],
  };

  it('loads the minimal model', () => {
    expect(Array.from(loadSklearnTrees(good).predictProba([[0, 0.5], [0, 0.6]]))).toEqual([1, 0, 0, 1]);
  });

  it('fuzzed fields', () => {
    const fields = ['format', 'version', 'estimator', 'n_features', 'classes', 'value_width', 'trees', 'feature_names'];
    const treeFields = ['children_left', 'children_right', 'feature', 'threshold', 'value'];
    fc.assert(
      fc.property(fc.constantFrom(...fields, ...treeFields), fc.jsonValue(), (field, junk) => {
        const copy = JSON.parse(JSON.stringify(good));
        if (treeFields.includes(field)) copy.trees[0][field] = junk;
        else copy[field] = junk;
        try {
          loadSklearnTrees(copy);
        } catch (error) {
          expect(error).toBeInstanceOf(ModelFormatError);
        }
      }),
      { numRuns: 500 },
    );
    const cycle = JSON.parse(JSON.stringify(good));
    cycle.trees[0].children_left = [1, 0, -1];
    expect(() => loadSklearnTrees(cycle)).toThrow(ModelFormatError);
    expect(() => loadSklearnTrees('{"__proto__": {"format": "sklearn-trees"}}')).toThrow(ModelFormatError);
  });
});
