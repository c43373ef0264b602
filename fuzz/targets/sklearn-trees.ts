import { loadSklearnTrees, type TreeEnsembleClassifier } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { checkClassifier, repoFiles } from '../support/checks.js';

/**
 * scikit-learn tree-ensemble exports (models/forest/export_sklearn.py). An accepted model
 * must give probabilities in [0, 1] for probe rows (gradient boosting's sigmoid/softmax too).
 */
export const target: FuzzTarget = {
  name: 'sklearn-trees',
  seeds: () => repoFiles(...['rf_iris', 'et_iris', 'gb_iris', 'dt_cancer'].map((n) => `models/forest/fixtures/${n}.json`), 'models/hardening/sklearn_edges.json').map((b, i, all) =>
    // sklearn_edges.json wraps a valid export; unwrap it so mutations start from the export.
    i === all.length - 1 ? new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(b).replace(/\bNaN\b|-?Infinity/g, 'null')).valid)) : b,
  ),
  parse: (bytes) => loadSklearnTrees(new TextDecoder().decode(bytes)),
  check: (result) => checkClassifier(result as TreeEnsembleClassifier),
};
