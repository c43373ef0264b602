// loadSklearnTrees on hostile exports. models/hardening/sklearn_edges.py records what
// scikit-learn 1.2.1's own predict_proba gives for negative or infinite class counts
// (probabilities outside [0, 1], NaN); the loader refuses those counts instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSklearnTrees, ModelFormatError, parseTolerantJson } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

interface Edges {
  sklearn: string;
  rows: number[][];
  valid: Record<string, unknown>;
  valid_proba: number[][];
  cases: { name: string; counts: number[]; sklearn_proba_row0: (number | null)[]; sklearn_proba_outside_unit_interval: boolean; export: object }[];
}
const edges = parseTolerantJson(readFileSync(join(repoRoot, 'models/hardening/sklearn_edges.json'), 'utf8')) as Edges;

describe('loadSklearnTrees on hostile exports', () => {
  it('the valid export matches scikit-learn 1.2.1 to 1e-12', () => {
    expect(edges.sklearn).toBe('1.2.1');
    const proba = loadSklearnTrees(edges.valid).predictProba(edges.rows);
    edges.valid_proba.flat().forEach((p, i) => expect(Math.abs(proba[i] - p)).toBeLessThan(1e-12));
  });

  for (const c of edges.cases) {
    it(`${c.name} ${JSON.stringify(c.counts)}: scikit-learn gives ${JSON.stringify(c.sklearn_proba_row0)}; refused`, () => {
      // The reference shows why: scikit-learn's own answer is not a probability.
      expect(c.sklearn_proba_outside_unit_interval || c.sklearn_proba_row0.some((p) => p === null)).toBe(true);
      expect(() => loadSklearnTrees(c.export)).toThrow(ModelFormatError);
    });
  }

  it('n_features 1e9 with importances is refused before anything is sized by it', () => {
    const hostile = { ...edges.valid, n_features: 1e9 };
    const started = performance.now();
    expect(() => loadSklearnTrees(hostile)).toThrow(/exceeds the limit 1048576 \(maxFeatures\)/);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('maxFeatures is an option: a wider export loads when allowed, with importances of that width', () => {
    const wide = { ...edges.valid, n_features: 2_000_000, feature_names: undefined };
    expect(() => loadSklearnTrees(wide)).toThrow(ModelFormatError);
    const model = loadSklearnTrees(wide, { maxFeatures: 2_000_000 });
    expect(model.featureImportances?.length).toBe(2_000_000);
  });

  it('importances of the valid export are unchanged by the sparse accumulation (sum to 1)', () => {
    const imp = loadSklearnTrees(edges.valid).featureImportances!;
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
