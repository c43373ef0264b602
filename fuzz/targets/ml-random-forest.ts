import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { loadMlRandomForest, seededRandom, type TreeEnsembleClassifier } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { checkClassifier } from '../support/checks.js';

/** ml-random-forest `toJSON()` models, trained here on a small fixed data set. */
export const target: FuzzTarget = {
  name: 'ml-random-forest',
  seeds: () => {
    const rng = seededRandom(9);
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 80; i++) {
      const row = [rng.nextInt(10), rng.nextInt(5), rng.nextInt(20) / 4, rng.nextInt(3)];
      X.push(row);
      y.push(row[0] + row[1] > 7 ? 2 : row[2] > 2 ? 1 : 0);
    }
    return [2, 4].map((n) => {
      const rf = new MlRandomForest({ nEstimators: n, maxFeatures: 3, seed: 5, noOOB: true, treeOptions: { maxDepth: 4 } });
      rf.train(X, y);
      return new TextEncoder().encode(JSON.stringify(rf.toJSON()));
    });
  },
  parse: (bytes) => loadMlRandomForest(new TextDecoder().decode(bytes)),
  check: (result) => checkClassifier(result as TreeEnsembleClassifier),
};
