import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import {
  calinskiHarabaszScore,
  clusterInertia,
  daviesBouldinScore,
  silhouetteSamples,
  silhouetteScore,
} from '../../src/cluster/index.js';
import { deriveCustomerAttributes, SegmentationModel } from '../../src/segmentation/index.js';
import { readCsv } from '../../src/features/index.js';
import { InputError } from '../../src/errors.js';
import { MARKETING_CSV, expectClose, expected, labelsOf } from './helpers.js';

const M = expected('expected_metrics.json');
const K = expected('expected_kmeans.json');

function dataFor(name: string): number[][] | null {
  if (name.startsWith('blobs-far')) return K.blobs.map((r: number[]) => r.map((v) => v + 1e4));
  if (name.startsWith('blobs')) return K.blobs;
  if (name === 'uniform5') return K.uniform5;
  return null;
}

function checkCase(c: (typeof M.cases)[number], X: number[][] | { data: Float64Array; rows: number; cols: number }) {
  const y = labelsOf(c.labels);
  expectClose(silhouetteScore(X, y), c.silhouette, 1e-9);
  const head = silhouetteSamples(X, y).subarray(0, 10);
  c.silhouetteHead.forEach((v: number, i: number) => expectClose(head[i], v, 1e-9, 1e-12));
  expectClose(silhouetteScore(X, y, { sampleSize: Math.min(300, y.length - 1), seed: 0 }), c.silhouetteSampled, 1e-9);
  expectClose(daviesBouldinScore(X, y), c.daviesBouldin, 1e-9);
  expectClose(calinskiHarabaszScore(X, y), c.calinskiHarabasz, 1e-9);
  expectClose(clusterInertia(X, y), c.inertia, 1e-9);
}

describe('cluster quality equals scikit-learn to 1e-9 relative', () => {
  for (const c of M.cases.filter((c: { name: string }) => dataFor(c.name))) {
    it(c.name, () => checkCase(c, dataFor(c.name)!));
  }

  describe.skipIf(!existsSync(MARKETING_CSV))('on the real marketing data', () => {
    it('real-pca2 (the pipeline embedding and its k-means labels)', () => {
      const table = readCsv(readFileSync(MARKETING_CSV, 'utf8'), { delimiter: '\t' });
      const { embedding } = SegmentationModel.fitWithResult(deriveCustomerAttributes(table), { k: 3, seed: 0 });
      // Our embedding equals sklearn's to ~1e-8 (PowerTransformer λ), so compare with that tolerance.
      const c = M.cases.find((x: { name: string }) => x.name === 'real-pca2');
      const y = labelsOf(c.labels);
      expectClose(silhouetteScore(embedding, y), c.silhouette, 1e-6);
      expectClose(daviesBouldinScore(embedding, y), c.daviesBouldin, 1e-6);
      expectClose(calinskiHarabaszScore(embedding, y), c.calinskiHarabasz, 1e-6);
    });
  });

  it('silhouette is the mean, not the max, and 0 for singletons', () => {
    const s = silhouetteSamples([[0], [1], [10], [11], [50]], [0, 0, 1, 1, 2]);
    expect(s[4]).toBe(0);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expectClose(silhouetteScore([[0], [1], [10], [11], [50]], [0, 0, 1, 1, 2]), mean, 1e-15);
    expect(Math.max(...s)).toBeGreaterThan(mean);
  });

  it('accepts string labels and rejects 1 or n labels with InputError', () => {
    expectClose(silhouetteScore([[0], [1], [10], [11]], ['b', 'b', 'a', 'a']), silhouetteScore([[0], [1], [10], [11]], [1, 1, 0, 0]), 1e-15);
    expect(() => silhouetteScore([[0], [1]], [0, 0])).toThrow(InputError);
    expect(() => daviesBouldinScore([[0], [1], [2]], [0, 1, 2])).toThrow(InputError);
    expect(() => calinskiHarabaszScore([[0], [1], [2]], [0, 1])).toThrow(InputError);
    expect(() => silhouetteScore([[0], [NaN], [2]], [0, 1, 1])).toThrow(InputError);
  });
});
