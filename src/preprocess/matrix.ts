import { ModelFormatError } from '../errors.js';

// The matrix type and its helpers moved to src/matrix.ts (one matrix for every estimator);
// re-exported here so modules that read them from preprocess keep working.
export { isDenseMatrix, matrixRows, requireFinite, toDenseMatrix } from '../matrix.js';
export type { DenseMatrix, MatrixInput } from '../matrix.js';

/** Validates that `json` is an object with `type` equal to `expected`. */
export function checkJsonType(json: unknown, expected: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelFormatError(expected, 'expected a JSON object');
  }
  const obj = json as Record<string, unknown>;
  if (obj.type !== expected) throw new ModelFormatError(`${expected}.type`, `is ${JSON.stringify(obj.type)}, expected "${expected}"`);
  return obj;
}

/** A finite-number array field of a JSON object, with the given length when known. */
export function numberArrayField(obj: Record<string, unknown>, key: string, owner: string, length?: number, allowNaN = false): Float64Array {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  if (!Array.isArray(v)) throw new ModelFormatError(`${owner}.${key}`, 'must be an array of numbers');
  if (length !== undefined && v.length !== length) throw new ModelFormatError(`${owner}.${key}`, `has ${v.length} values, expected ${length}`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (allowNaN && x === null) {
      out[i] = NaN;
      continue;
    }
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelFormatError(`${owner}.${key}[${i}]`, 'is not a finite number');
    out[i] = x;
  }
  return out;
}

/**
 * A field of a JSON object that holds strings or null (e.g. `featureNamesIn`); absent counts as null.
 *
 * @example
 * stringsOrNullField({ names: ['a'] }, 'names', 'KMeans') // => ['a']
 */
export function stringsOrNullField(obj: Record<string, unknown>, key: string, owner: string): string[] | null {
  const v = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null;
  if (v === null || v === undefined) return null;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new ModelFormatError(`${owner}.${key}`, 'must be strings or null');
  return v as string[];
}
