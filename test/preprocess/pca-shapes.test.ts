import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PCA } from '../../src/preprocess/pca.js';
import { rightSingularVectors } from '../../src/preprocess/svd.js';

// Expectations: scikit-learn 1.2.1 PCA(svd_solver='full'), from models/preprocess/pca_shapes.py.
interface Case {
  x: number[][];
  k: number;
  mean: number[];
  components: number[][];
  singular_values: number[];
  explained_variance: number[];
  explained_variance_ratio: number[];
  transform: number[][];
}
const { cases } = JSON.parse(readFileSync(new URL('../../models/preprocess/expected_pca_shapes.json', import.meta.url), 'utf8')) as {
  cases: Record<string, Case>;
};

function maxRelative(actual: ArrayLike<number>, expected: readonly number[], scale: number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

describe('PCA on awkward shapes matches scikit-learn', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const pca = new PCA({ nComponents: c.k }).fit(c.x);
      const top = c.singular_values[0];
      expect(maxRelative(pca.singularValues, c.singular_values, top)).toBeLessThan(1e-12);
      expect(maxRelative(pca.explainedVarianceRatio, c.explained_variance_ratio, 1)).toBeLessThan(1e-12);
      // Components are unit vectors: compare entries absolutely.
      expect(maxRelative(pca.components.data, c.components.flat(), 1)).toBeLessThan(1e-10);
      const t = pca.transform(c.x.slice(0, 10));
      const tScale = Math.max(...c.transform.flat().map(Math.abs));
      expect(maxRelative(t.data, c.transform.flat(), tScale)).toBeLessThan(1e-10);
    });
  }
});

describe('rightSingularVectors', () => {
  it('returns orthonormal vectors with A·v = σ·u for random tall, wide and zero input', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    for (const [rows, cols] of [[50, 4], [3, 9], [9, 9], [1, 3], [4, 1]]) {
      const a = Float64Array.from({ length: rows * cols }, random);
      const { values, vectors } = rightSingularVectors(a, rows, cols);
      for (let p = 0; p < cols; p++) {
        for (let q = 0; q < cols; q++) {
          let dot = 0;
          for (let j = 0; j < cols; j++) dot += vectors[j * cols + p] * vectors[j * cols + q];
          expect(Math.abs(dot - (p === q ? 1 : 0))).toBeLessThan(1e-13);
        }
        // ‖A v_p‖ = σ_p
        let sq = 0;
        for (let i = 0; i < rows; i++) {
          let acc = 0;
          for (let j = 0; j < cols; j++) acc += a[i * cols + j] * vectors[j * cols + p];
          sq += acc * acc;
        }
        expect(Math.abs(Math.sqrt(sq) - values[p])).toBeLessThan(1e-13);
      }
    }
    expect(Array.from(rightSingularVectors(new Float64Array(6), 3, 2).values)).toEqual([0, 0]);
  });
});
