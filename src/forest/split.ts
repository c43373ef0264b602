import { InputError } from '../errors.js';
import type { ClassLabel } from './matrix.js';
import { seededRandom } from './random.js';

/**
 * A seeded stratified train/test split: each class is shuffled and `testFraction` of it
 * (rounded) goes to the test set, so both sets keep the class balance. Indices come back sorted.
 *
 * @example
 * const { train, test } = stratifiedSplit(labels, 0.2, 42);
 * train.length + test.length === labels.length; // true
 */
export function stratifiedSplit(labels: ArrayLike<ClassLabel>, testFraction: number, seed = 0): { train: Int32Array; test: Int32Array } {
  if (!(testFraction > 0 && testFraction < 1)) throw new InputError(`testFraction must be in (0, 1), got ${testFraction}`);
  const byClass = new Map<ClassLabel, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const rng = seededRandom(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const indices of byClass.values()) {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    const nTest = Math.round(indices.length * testFraction);
    test.push(...indices.slice(0, nTest));
    train.push(...indices.slice(nTest));
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}
