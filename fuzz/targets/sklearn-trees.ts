import { loadSklearnTrees, type TreeEnsembleClassifier } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { checkClassifier, repoFiles } from '../support/checks.js';

/**
 * scikit-learn tree-ensemble exports (models/forest/export_sklearn.py). An accepted model
 * must give probabilities in [0, 1] for probe rows (gradient boosting's sigmoid/softmax too).
 */
export const target: FuzzTarget = {
  name: 'sklearn-trees',
  // The fixtures wrap each export with its expectations: { model, rows, proba, ... }.
  seeds: () =>
    repoFiles(...['rf_iris', 'et_iris', 'gb_iris', 'dt_cancer'].map((n) => `models/forest/fixtures/${n}.json`), 'models/hardening/sklearn_edges.json').map((b, i, all) => {
      const doc = JSON.parse(new TextDecoder().decode(b).replace(/\bNaN\b|-?Infinity/g, 'null'));
      return new TextEncoder().encode(JSON.stringify(i === all.length - 1 ? doc.valid : doc.model));
    }),
  parse: (bytes) => loadSklearnTrees(new TextDecoder().decode(bytes)),
  check: (result) => checkClassifier(result as TreeEnsembleClassifier),
};
