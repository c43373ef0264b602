import { ModelFormatError } from '../../errors.js';
import type { NdArray, NdArrayData, PyValue } from './py-value.js';

/** A NumPy dtype as the reader needs it: kind, item size, byte order, and fields for structured dtypes. */
export interface DType {
  /** `f` float, `i` signed, `u` unsigned, `b` bool, `U` unicode, `S` bytes, `O` object, `V` structured. */
  readonly kind: string;
  /** Bytes per item (for `U`, 4 per character). */
  readonly itemsize: number;
  readonly littleEndian: boolean;
  /** For structured dtypes: each field's dtype and byte offset inside a record. */
  readonly fields: readonly { name: string; dtype: DType; offset: number }[] | null;
}

const KINDS = new Set(['f', 'i', 'u', 'b', 'U', 'S', 'O', 'V']);

/**
 * Builds a dtype from what a pickle holds: `numpy.dtype(spec, align, copy)` and the
 * state tuple `(version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])`
 * given to `BUILD` (numpy's `arraydescr_setstate`, versions 3 and 4).
 *
 * @example
 * makeDType('f8', [3, '<', null, null, null, -1, -1, 0], () => { throw new Error(); }) // => { kind: 'f', itemsize: 8, littleEndian: true, fields: null }
 */
export function makeDType(spec: string, state: readonly PyValue[] | null, fieldType: (value: PyValue, where: string) => DType): DType {
  const where = `numpy dtype '${spec}'`;
  const m = /^([a-zA-Z?])(\d*)$/.exec(spec);
  if (!m) throw new ModelFormatError(where, 'unknown type code');
  let kind = m[1];
  if (kind === '?') kind = 'b';
  if (!KINDS.has(kind)) throw new ModelFormatError(where, `unsupported kind '${kind}' (numbers, booleans, strings, objects and structured records are)`);
  let itemsize = m[2] === '' ? (kind === 'b' ? 1 : kind === 'O' ? 8 : 0) : Number(m[2]);
  let littleEndian = true;
  let fields: { name: string; dtype: DType; offset: number }[] | null = null;
  if (state !== null) {
    if (state.length !== 8 && state.length !== 9) throw new ModelFormatError(where, `state has ${state.length} entries, expected 8 or 9`);
    const [version, order, subarray, names, fieldMap, elsize] = state;
    if (version !== 3 && version !== 4) throw new ModelFormatError(where, `state version ${String(version)}, expected 3 or 4`);
    if (order === '>') littleEndian = false;
    else if (order !== '<' && order !== '|' && order !== '=') throw new ModelFormatError(where, 'byte order must be <, >, | or =');
    if (subarray !== null) throw new ModelFormatError(where, 'sub-array dtypes are not supported');
    if (typeof elsize === 'number' && elsize >= 0) itemsize = elsize;
    if (names !== null) {
      if (!Array.isArray(names) || !(fieldMap instanceof Map)) throw new ModelFormatError(where, 'structured dtype needs names and fields');
      fields = (names as readonly PyValue[]).map((name) => {
        if (typeof name !== 'string') throw new ModelFormatError(where, 'field names must be strings');
        const entry = fieldMap.get(name);
        if (!Array.isArray(entry) || entry.length < 2 || typeof entry[1] !== 'number') throw new ModelFormatError(`${where}.${name}`, 'expected (dtype, offset)');
        const dtype = fieldType(entry[0] as PyValue, `${where}.${name}`);
        const offset = entry[1] as number;
        if (!Number.isInteger(offset) || offset < 0 || offset + dtype.itemsize > itemsize) throw new ModelFormatError(`${where}.${name}`, `offset ${offset} outside the ${itemsize}-byte record`);
        if (dtype.kind === 'O' || dtype.kind === 'V') throw new ModelFormatError(`${where}.${name}`, 'nested object or record fields are not supported');
        return { name, dtype, offset };
      });
    }
  }
  if (kind === 'V' && fields === null) throw new ModelFormatError(where, 'raw void dtypes are not supported');
  const sizes: Record<string, number[]> = { f: [4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1], O: [8] };
  if (Object.hasOwn(sizes, kind) && !sizes[kind].includes(itemsize)) throw new ModelFormatError(where, `unsupported item size ${itemsize} for kind '${kind}'`);
  if (!Number.isInteger(itemsize) || itemsize < 0 || itemsize > 1 << 20) throw new ModelFormatError(where, `item size ${itemsize} out of range`);
  if (kind === 'U' && itemsize % 4 !== 0) throw new ModelFormatError(where, `unicode item size ${itemsize} is not a multiple of 4`);
  return { kind, itemsize, littleEndian: littleEndian || itemsize === 1 || kind === 'O', fields };
}

/**
 * NumPy's `dtype.str` for a plain dtype (`'<f8'`, `'|u1'`, `'<U5'`, `'|O'`), `'struct'` for records.
 *
 * @example
 * dtypeString({ kind: 'U', itemsize: 20, littleEndian: true, fields: null }) // => '<U5'
 */
export function dtypeString(dt: DType): string {
  if (dt.fields) return 'struct';
  if (dt.kind === 'O') return '|O';
  const order = dt.itemsize === 1 || dt.kind === 'S' ? '|' : dt.littleEndian ? '<' : '>';
  return `${order}${dt.kind}${dt.kind === 'U' ? dt.itemsize / 4 : dt.itemsize}`;
}

/**
 * The dimensions of a shape tuple, refusing negative, fractional or over-limit sizes
 * before anything of that size is allocated.
 *
 * @example
 * shapeSize([2, 3], 1000, 'shape') // => [2, 3]
 */
export function shapeSize(shape: readonly PyValue[], maxElements: number, where: string): number[] {
  let total = 1;
  const dims = shape.map((d) => {
    const n = typeof d === 'bigint' ? Number(d) : d;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ModelFormatError(where, `bad dimension ${String(d)}`);
    total *= n;
    return n;
  });
  if (total > maxElements) throw new ModelFormatError(where, `${total} elements exceed the limit of ${maxElements}`);
  return dims;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// Typed-array classes by NumPy kind and item size (booleans as bytes).
const TYPED: Record<string, new (source: ArrayBuffer | number) => NdArrayData> = {
  f4: Float32Array, f8: Float64Array,
  i1: Int8Array, i2: Int16Array, i4: Int32Array, i8: BigInt64Array,
  u1: Uint8Array, u2: Uint16Array, u4: Uint32Array, u8: BigUint64Array,
  b1: Uint8Array,
};

/**
 * Decodes `count` items of a plain dtype from raw bytes, item `i` at `offset + i * stride`.
 * Values come out as NumPy keeps them: typed arrays for numbers, strings for `U`, bytes for `S`.
 *
 * @example
 * decodeItems({ kind: 'f', itemsize: 8, littleEndian: true, fields: null }, new Uint8Array(8), 1, 8, 0) // => Float64Array [0]
 */
export function decodeItems(dt: DType, bytes: Uint8Array, count: number, stride: number, offset: number): NdArrayData {
  const size = dt.itemsize;
  const Typed = Object.hasOwn(TYPED, `${dt.kind}${size}`) ? TYPED[`${dt.kind}${size}`] : null;
  // Uint8Array.prototype.slice copies even for a Node Buffer (whose own slice shares memory).
  if (Typed && dt.littleEndian && stride === size) return new Typed(Uint8Array.prototype.slice.call(bytes, offset, offset + count * size).buffer);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dt.littleEndian;
  const at = (i: number) => offset + i * stride;
  switch (dt.kind) {
    case 'U': {
      const out: string[] = new Array(count);
      for (let i = 0; i < count; i++) {
        let s = '';
        for (let c = 0; c < size; c += 4) {
          const cp = view.getUint32(at(i) + c, le);
          if (cp === 0) break;
          if (cp > 0x10ffff) throw new ModelFormatError('numpy unicode array', `code point ${cp} out of range`);
          s += String.fromCodePoint(cp);
        }
        out[i] = s;
      }
      return out;
    }
    case 'S': {
      const out: Uint8Array[] = new Array(count);
      for (let i = 0; i < count; i++) {
        let end = size;
        while (end > 0 && bytes[at(i) + end - 1] === 0) end--;
        out[i] = bytes.slice(at(i), at(i) + end);
      }
      return out;
    }
  }
  if (!Typed) throw new ModelFormatError('numpy array', `cannot decode kind '${dt.kind}' size ${size}`);
  const out = new Typed(count) as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < count; i++) {
    const p = at(i);
    switch (`${dt.kind}${size}`) {
      case 'f4': out[i] = view.getFloat32(p, le); break;
      case 'f8': out[i] = view.getFloat64(p, le); break;
      case 'i1': out[i] = view.getInt8(p); break;
      case 'i2': out[i] = view.getInt16(p, le); break;
      case 'i4': out[i] = view.getInt32(p, le); break;
      case 'i8': out[i] = view.getBigInt64(p, le); break;
      case 'u1': case 'b1': out[i] = view.getUint8(p); break;
      case 'u2': out[i] = view.getUint16(p, le); break;
      case 'u4': out[i] = view.getUint32(p, le); break;
      case 'u8': out[i] = view.getBigUint64(p, le); break;
    }
  }
  return out as unknown as NdArrayData;
}

/**
 * Builds an {@link NdArray} from raw bytes (C or Fortran order) or, for object arrays, a
 * list of values; Fortran-ordered data is reordered to C order.
 *
 * @example
 * arrayFromBytes({ kind: 'i', itemsize: 1, littleEndian: true, fields: null }, [2], new Uint8Array([1, 2]), false, 'x').data // => Int8Array [1, 2]
 */
export function arrayFromBytes(dt: DType, shape: readonly number[], raw: Uint8Array | readonly PyValue[], fortran: boolean, where: string): NdArray {
  const count = product(shape);
  let data: NdArrayData | Map<string, NdArrayData>;
  if (dt.kind === 'O') {
    if (!Array.isArray(raw)) throw new ModelFormatError(where, 'an object array needs a list of values');
    if (raw.length !== count) throw new ModelFormatError(where, `has ${raw.length} values, shape needs ${count}`);
    data = raw as readonly PyValue[];
  } else {
    if (!(raw instanceof Uint8Array)) throw new ModelFormatError(where, 'a numeric array needs raw bytes');
    if (raw.length !== count * dt.itemsize) throw new ModelFormatError(where, `has ${raw.length} bytes, shape ${JSON.stringify(shape)} of ${dt.itemsize}-byte items needs ${count * dt.itemsize}`);
    if (dt.fields) {
      const columns = new Map<string, NdArrayData>();
      for (const f of dt.fields) columns.set(f.name, decodeItems(f.dtype, raw, count, dt.itemsize, f.offset));
      data = columns;
    } else data = decodeItems(dt, raw, count, dt.itemsize, 0);
  }
  if (fortran && shape.length > 1 && count > 0) {
    data = data instanceof Map ? new Map([...data].map(([k, v]) => [k, toCOrder(v, shape)])) : toCOrder(data, shape);
  }
  return { kind: 'ndarray', dtype: dtypeString(dt), shape: [...shape], data };
}

/** Reorders Fortran-ordered items to C order. */
function toCOrder(data: NdArrayData, shape: readonly number[]): NdArrayData {
  const n = shape.length;
  const fStride = new Array<number>(n);
  fStride[0] = 1;
  for (let k = 1; k < n; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
  const src = data as unknown as { length: number; [i: number]: unknown };
  const out = (Array.isArray(data) ? new Array(src.length) : new (data.constructor as new (n: number) => unknown)(src.length)) as { [i: number]: unknown };
  const index = new Array<number>(n).fill(0);
  for (let i = 0; i < src.length; i++) {
    let f = 0;
    for (let k = 0; k < n; k++) f += index[k] * fStride[k];
    out[i] = src[f];
    for (let k = n - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
    }
  }
  return out as unknown as NdArrayData;
}

/**
 * One NumPy scalar (`numpy.core.multiarray.scalar(dtype, bytes)`) as a JavaScript value:
 * a number, a bigint for 64-bit integers beyond 2^53, a boolean or a string.
 *
 * @example
 * scalarFromBytes({ kind: 'b', itemsize: 1, littleEndian: true, fields: null }, new Uint8Array([1])) // => true
 */
export function scalarFromBytes(dt: DType, raw: Uint8Array): PyValue {
  if (dt.fields) throw new ModelFormatError('numpy scalar', 'structured scalars are not supported');
  if (raw.length !== dt.itemsize) throw new ModelFormatError('numpy scalar', `has ${raw.length} bytes, dtype needs ${dt.itemsize}`);
  const items = decodeItems(dt, raw, 1, dt.itemsize, 0) as unknown as ArrayLike<PyValue>;
  const v = items[0];
  if (dt.kind === 'b') return v !== 0;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return v;
}
