import type { NdArrayData, PyValue } from '../../src/formats/pickle/py-value.js';

/**
 * Rebuilds the PyValue the safe unpickler would build from the tagged JSON that
 * models/sklearn/export_state.py writes (see its docstring for the tags). int64 arrays
 * become BigInt64Arrays, as NumPy's 8-byte integers arrive from a pickle.
 */
export function pyValueFromJson(v: unknown): PyValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(pyValueFromJson);
  const o = v as Record<string, unknown>;
  if ('__float__' in o) return o.__float__ === 'nan' ? NaN : o.__float__ === 'inf' ? Infinity : -Infinity;
  if ('__tuple__' in o) return Object.freeze((o.__tuple__ as unknown[]).map(pyValueFromJson));
  if ('__dict__' in o) return new Map((o.__dict__ as [unknown, unknown][]).map(([k, x]) => [pyValueFromJson(k), pyValueFromJson(x)]));
  if ('__global__' in o) return { kind: 'object', className: o.__global__ as string, args: [], state: null };
  if ('__object__' in o) {
    const obj = o.__object__ as { className: string; args: unknown[]; state: unknown };
    return { kind: 'object', className: obj.className, args: obj.args.map(pyValueFromJson), state: pyValueFromJson(obj.state) };
  }
  if ('__ndarray__' in o) {
    const a = o.__ndarray__ as { dtype: string; shape: number[]; data: unknown };
    if (a.dtype === 'struct') {
      const fields = (a.data as { __fields__: [string, string, unknown[]][] }).__fields__;
      return { kind: 'ndarray', dtype: 'struct', shape: a.shape, data: new Map(fields.map(([name, dtype, values]) => [name, plainData(dtype, values)])) };
    }
    return { kind: 'ndarray', dtype: a.dtype, shape: a.shape, data: plainData(a.dtype, a.data as unknown[]) };
  }
  throw new Error(`untagged object in fixture: ${JSON.stringify(v).slice(0, 80)}`);
}

function plainData(dtype: string, values: unknown[]): NdArrayData {
  const numbers = () => values.map((x) => pyValueFromJson(x) as number);
  switch (dtype) {
    case '<f8':
      return Float64Array.from(numbers());
    case '<f4':
      return Float32Array.from(numbers());
    case '<i8':
      return BigInt64Array.from(values as number[], (x) => BigInt(x));
    case '<u8':
      return BigUint64Array.from(values as number[], (x) => BigInt(x));
    case '<i4':
      return Int32Array.from(values as number[]);
    case '<u4':
      return Uint32Array.from(values as number[]);
    case '|u1':
    case '|b1':
      return Uint8Array.from(values as number[], Number);
    default:
      if (dtype === '|O' || dtype.startsWith('<U')) return values.map(pyValueFromJson);
      throw new Error(`dtype ${dtype} not handled by the fixture reader`);
  }
}
