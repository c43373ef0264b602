import { toDenseMatrix, type MatrixInput } from '../preprocess/matrix.js';
import { fitKMeans } from './kmeans.js';
import { silhouetteScore } from './quality.js';

/** Quality of one k in {@link evaluateK}. */
export interface KEvaluation {
  k: number;
  inertia: number;
  silhouette: number;
}

/**
 * Fits k-means for each k and reports inertia (for an elbow plot) and mean silhouette.
 * Silhouette uses a seeded sample of `silhouetteSampleSize` rows when the data is larger.
 *
 * @example
 * evaluateK(rows, { kMin: 2, kMax: 8, seed: 0 }) // => [{ k: 2, inertia, silhouette }, ...]
 */
export function evaluateK(
  input: MatrixInput,
  options: { kMin?: number; kMax?: number; seed?: number; nInit?: number; silhouetteSampleSize?: number } = {},
): KEvaluation[] {
  const m = toDenseMatrix(input, undefined, 'evaluateK');
  const kMin = options.kMin ?? 2;
  const kMax = options.kMax ?? 8;
  const seed = options.seed ?? 0;
  const sample = options.silhouetteSampleSize ?? 10_000;
  const out: KEvaluation[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const r = fitKMeans(m, { k, seed, nInit: options.nInit ?? 10 });
    const silhouette = silhouetteScore(m, r.labels, m.rows > sample ? { sampleSize: sample, seed } : {});
    out.push({ k, inertia: r.inertia, silhouette });
  }
  return out;
}
