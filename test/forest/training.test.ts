import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitError, InputError } from '../../src/errors.js';
import { DecisionTreeClassifier, RandomForestClassifier, loadSklearnTrees, seededRandom } from '../../src/forest/index.js';
import type { TreeArrays } from '../../src/forest/index.js';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../models/forest/fixtures-training/training_tree.json'), 'utf8'));

/** Plain reference walk, independent of the tree engine: float32 input, left iff x <= threshold. */
function plainProba(trees: readonly TreeArrays[], rows: number[][], k: number): number[][] {
  return rows.map((row) => {
    const sum = new Array<number>(k).fill(0);
    for (const t of trees) {
      let node = 0;
      while (t.left[node] !== -1) node = Math.fround(row[t.feature[node]]) <= t.threshold[node] ? t.left[node] : t.right[node];
      let total = 0;
      for (let c = 0; c < k; c++) total += t.value[node * k + c];
      for (let c = 0; c < k; c++) sum[c] += t.value[node * k + c] / total;
    }
    return sum.map((s) => s / trees.length);
  });
}

function randomData(seed: number, n: number, d: number) {
  const rng = seededRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: d }, (_, j) => (j % 3 === 2 ? rng.nextInt(4) : rng.nextDouble() * 2 - 1));
    X.push(row);
    y.push(row[0] + row[1] * row[2] + (rng.nextDouble() - 0.5) > 0.3 ? 1 : 0);
  }
  return { X, y };
}

describe('CART reproduces scikit-learn 1.2.1 trees node for node', () => {
  for (const [name, entry] of Object.entries(fixture.trees) as [string, any][]) {
    it(name, () => {
      const p = entry.params;
      const tree = new DecisionTreeClassifier({
        criterion: p.criterion ?? 'gini',
        maxDepth: p.max_depth,
        minSamplesLeaf: p.min_samples_leaf,
        minSamplesSplit: p.min_samples_split,
        classWeight: p.class_weight ?? null,
      }).fit(fixture.X, fixture.y, entry.weighted ? { sampleWeight: fixture.sample_weight } : {});
      const mine = tree.toJSON().trees[0];
      const theirs = entry.model.trees[0];
      expect(mine.children_left).toEqual(theirs.children_left);
      expect(mine.children_right).toEqual(theirs.children_right);
      expect(mine.feature).toEqual(theirs.feature);
      expect(mine.threshold).toEqual(theirs.threshold);
      theirs.value.forEach((v: number, i: number) => expect(mine.value[i]).toBeCloseTo(v, 9));
      theirs.impurity.forEach((v: number, i: number) => expect(mine.impurity![i]).toBeCloseTo(v, 12));
      entry.importances.forEach((v: number, f: number) => expect(tree.featureImportances[f]).toBeCloseTo(v, 12));
    });
  }
});

describe('RandomForestClassifier', () => {
  const { X, y } = randomData(3, 600, 9);

  it('one seed gives one forest; another seed another', () => {
    const a = new RandomForestClassifier({ nEstimators: 5, seed: 7 }).fit(X, y).toJSON();
    const b = new RandomForestClassifier({ nEstimators: 5, seed: 7 }).fit(X, y).toJSON();
    const c = new RandomForestClassifier({ nEstimators: 5, seed: 8 }).fit(X, y).toJSON();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('engine predictions equal a plain tree walk, and JSON round-trips exactly', () => {
    const forest = new RandomForestClassifier({ nEstimators: 12, maxDepth: 8, seed: 1, classWeight: 'balanced' }).fit(X, y);
    const proba = forest.predictProba(X);
    const plain = plainProba(forest.trees, X, 2);
    let worst = 0;
    plain.forEach((row, r) => row.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - proba[r * 2 + c])))));
    expect(worst).toBeLessThan(1e-15);
    const reloaded = loadSklearnTrees(JSON.stringify(forest.toJSON()));
    expect(Array.from(reloaded.predictProba(X))).toEqual(Array.from(proba));
    expect(Array.from(reloaded.featureImportances!)).toEqual(Array.from(forest.featureImportances));
  });

  it('respects maxDepth, minSamplesLeaf and reports progress', () => {
    const seen: number[] = [];
    const forest = new RandomForestClassifier({ nEstimators: 4, maxDepth: 3, minSamplesLeaf: 7, seed: 2, onProgress: (done, total) => seen.push(done / total) }).fit(X, y);
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
    for (const t of forest.trees) {
      const depth = new Int32Array(t.nodeCount);
      for (let i = 0; i < t.nodeCount; i++) {
        if (t.left[i] === -1) {
          expect(t.nodeSamples[i]).toBeGreaterThanOrEqual(7);
          expect(depth[i]).toBeLessThanOrEqual(3);
        } else {
          depth[t.left[i]] = depth[t.right[i]] = depth[i] + 1;
        }
      }
    }
    const imp = forest.featureImportances;
    expect(imp.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('constant features and pure labels give single leaves with the class prior', () => {
    const constant = Array.from({ length: 20 }, () => [1, 2, 3]);
    const labels = Array.from({ length: 20 }, (_, i) => (i < 5 ? 'yes' : 'no'));
    const forest = new RandomForestClassifier({ nEstimators: 3, bootstrap: false }).fit(constant, labels);
    expect(forest.classes).toEqual(['no', 'yes']);
    expect(forest.trees.every((t) => t.nodeCount === 1)).toBe(true);
    expect(Array.from(forest.predictProba([[1, 2, 3]]))).toEqual([0.75, 0.25]);
    expect(Array.from(forest.featureImportances)).toEqual([0, 0, 0]);
  });

  it('balanced_subsample trains and matches balanced without bootstrap', () => {
    const a = new RandomForestClassifier({ nEstimators: 3, bootstrap: false, classWeight: 'balanced', seed: 4 }).fit(X, y);
    const b = new RandomForestClassifier({ nEstimators: 3, bootstrap: false, classWeight: 'balanced_subsample', seed: 4 }).fit(X, y);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    expect(() => new RandomForestClassifier({ nEstimators: 3, classWeight: 'balanced_subsample' }).fit(X, y)).not.toThrow();
  });

  it('bad input gets typed errors', () => {
    expect(() => new RandomForestClassifier().predictProba(X)).toThrow(FitError);
    expect(() => new RandomForestClassifier({ nEstimators: 1 }).fit([[NaN]], [1])).toThrow(InputError);
    expect(() => new RandomForestClassifier({ nEstimators: 1 }).fit([[1], [2]], [1])).toThrow(InputError);
    expect(() => new RandomForestClassifier({ nEstimators: 1 }).fit([[1], [2, 3]], [1, 0])).toThrow(InputError);
    expect(() => new RandomForestClassifier({ nEstimators: 0 })).toThrow(InputError);
    expect(() => new RandomForestClassifier({ nEstimators: 1, maxFeatures: 0 }).fit(X, y)).toThrow(InputError);
    expect(() => new RandomForestClassifier({ nEstimators: 1, minSamplesLeaf: 0 }).fit(X, y)).toThrow(InputError);
    const forest = new RandomForestClassifier({ nEstimators: 2 }).fit(X, y);
    expect(() => forest.predictProba([[1, 2]])).toThrow(InputError);
    expect(() => forest.predictProba([X[0].map(() => Infinity)])).toThrow(InputError);
  });
});
