import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, for reading seed files. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Seed files from the repository, as bytes.
 *
 * @example
 * repoFiles('models/xgboost/fixtures/obj_binary_logistic.json')
 */
export function repoFiles(...paths: string[]): Uint8Array[] {
  return paths.map((p) => new Uint8Array(readFileSync(join(repoRoot, p))));
}

/** An accepted result is inconsistent: thrown by `check`, reported as a failed check. */
export function inconsistent(detail: string): never {
  throw new Error(`inconsistent acceptance: ${detail}`);
}

/**
 * Probe rows for a model of `numFeatures` inputs: all missing, zeros, ones, and large
 * values; a model wider than `maxWidth` is probed with no rows.
 *
 * @example
 * probeRows(2, { missing: false }) // => [[0, 0], [1, 1], [1e6, -1e6], [-3.5, -2.5]]
 */
export function probeRows(numFeatures: number, options: { maxWidth?: number; missing?: boolean } = {}): number[][] {
  if (numFeatures > (options.maxWidth ?? 4096)) return [];
  const row = (f: (i: number) => number) => Array.from({ length: numFeatures }, (_, i) => f(i));
  const rows = [row(() => 0), row(() => 1), row((i) => (i % 2 ? -1e6 : 1e6)), row((i) => i - 3.5)];
  // Forests take finite inputs only; XGBoost models also get an all-missing row.
  return options.missing === false ? rows : [row(() => NaN), ...rows];
}

/**
 * Probabilities must lie in [0, 1]; `rows × width` of them.
 *
 * @example
 * checkProbabilities(Float64Array.of(0.2, 0.8), 1, 2)
 */
export function checkProbabilities(p: ArrayLike<number>, rows: number, width: number, what: string): void {
  if (p.length !== rows * width) inconsistent(`${what}: ${p.length} values for ${rows} rows × ${width}`);
  for (let i = 0; i < p.length; i++) if (!(p[i] >= 0 && p[i] <= 1)) inconsistent(`${what}[${i}] = ${p[i]}, outside [0, 1]`);
}

/**
 * The check for an accepted tree classifier: probabilities in [0, 1] for finite probe rows.
 *
 * @example
 * checkClassifier(loadSklearnTrees(json));
 */
export function checkClassifier(model: { numFeatures: number; classes: readonly unknown[]; predictProba(rows: number[][]): ArrayLike<number> }): void {
  const rows = probeRows(model.numFeatures, { missing: false });
  if (rows.length === 0) return;
  checkProbabilities(model.predictProba(rows), rows.length, model.classes.length, 'predictProba');
}
