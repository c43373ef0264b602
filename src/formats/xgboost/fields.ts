import { describeValue as describe, ModelFormatError } from '../../errors.js';

// Small typed accessors over a parsed JSON / UBJSON document. Each takes the path of
// the value so an error names exactly where a model file is wrong.

export type Doc = Record<string, unknown>;

export function isDoc(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

export function doc(value: unknown, where: string): Doc {
  if (!isDoc(value)) throw new ModelFormatError(where, `expected an object, got ${describe(value)}`);
  return value;
}

export function field(parent: Doc, key: string): unknown {
  return Object.hasOwn(parent, key) ? parent[key] : undefined;
}

export function requiredField(parent: Doc, key: string, where: string): unknown {
  const value = field(parent, key);
  if (value === undefined) throw new ModelFormatError(`${where}.${key}`, 'missing');
  return value;
}

export { describe };

/** A number written as a number or as a numeric string (XGBoost stores most parameters as strings). */
export function numberLike(value: unknown, where: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (!Number.isNaN(n)) return n;
  }
  throw new ModelFormatError(where, `expected a number, got ${describe(value)}`);
}

export function integerLike(value: unknown, where: string, min = 0): number {
  const n = numberLike(value, where);
  if (!Number.isInteger(n) || n < min) throw new ModelFormatError(where, `expected an integer ≥ ${min}, got ${n}`);
  return n;
}

export function stringField(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ModelFormatError(where, `expected a string, got ${describe(value)}`);
  return value;
}

/** A float array from JSON (numbers, null = NaN) or a UBJSON typed array. */
export function floatArray(value: unknown, where: string, length?: number): ArrayLike<number> {
  let out: ArrayLike<number>;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) out = value as unknown as ArrayLike<number>;
  else if (Array.isArray(value)) {
    const a = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'number') a[i] = v;
      else if (v === null) a[i] = NaN;
      else throw new ModelFormatError(`${where}[${i}]`, `expected a number, got ${describe(v)}`);
    }
    out = a;
  } else throw new ModelFormatError(where, `expected an array, got ${describe(value)}`);
  if (length !== undefined && out.length !== length) throw new ModelFormatError(where, `length ${out.length}, expected ${length}`);
  return out;
}

/** An integer array; booleans count as 0/1 (XGBoost ≤ 1.5 wrote default_left as booleans). */
export function intArray(value: unknown, where: string, length?: number): Int32Array {
  let out: Int32Array;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const src = value as unknown as ArrayLike<number>;
    out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new ModelFormatError(`${where}[${i}]`, `expected a 32-bit integer, got ${v}`);
      out[i] = v;
    }
  } else if (Array.isArray(value)) {
    out = new Int32Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'boolean') out[i] = v ? 1 : 0;
      else if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) out[i] = v;
      else throw new ModelFormatError(`${where}[${i}]`, `expected an integer, got ${describe(v)}`);
    }
  } else throw new ModelFormatError(where, `expected an array, got ${describe(value)}`);
  if (length !== undefined && out.length !== length) throw new ModelFormatError(where, `length ${out.length}, expected ${length}`);
  return out;
}

export function stringArray(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) throw new ModelFormatError(where, `expected an array, got ${describe(value)}`);
  return value.map((v, i) => stringField(v, `${where}[${i}]`));
}
