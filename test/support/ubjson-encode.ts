// A small UBJSON writer for tests: big-endian, float64 numbers, int32/int64 lengths,
// typed float32 arrays as XGBoost writes them.
export function encodeUbjson(value: unknown): Uint8Array {
  const out: number[] = [];
  const push = (bytes: ArrayLike<number>) => {
    for (let i = 0; i < bytes.length; i++) out.push(bytes[i]);
  };
  const be = (size: number, write: (v: DataView) => void) => {
    const b = new Uint8Array(size);
    write(new DataView(b.buffer));
    push(b);
  };
  const length = (n: number) => {
    out.push(0x4c);
    be(8, (v) => v.setBigInt64(0, BigInt(n)));
  };
  const string = (s: string) => {
    const bytes = new TextEncoder().encode(s);
    length(bytes.length);
    push(bytes);
  };
  const write = (v: unknown): void => {
    if (v === null) out.push(0x5a);
    else if (v === true) out.push(0x54);
    else if (v === false) out.push(0x46);
    else if (typeof v === 'number') {
      if (Number.isInteger(v) && Math.abs(v) < 2 ** 31) {
        out.push(0x6c);
        be(4, (d) => d.setInt32(0, v));
      } else {
        out.push(0x44);
        be(8, (d) => d.setFloat64(0, v));
      }
    } else if (typeof v === 'string') {
      out.push(0x53);
      string(v);
    } else if (v instanceof Float32Array) {
      push([0x5b, 0x24, 0x64, 0x23]);
      length(v.length);
      for (const x of v) be(4, (d) => d.setFloat32(0, x));
    } else if (Array.isArray(v)) {
      out.push(0x5b);
      v.forEach(write);
      out.push(0x5d);
    } else if (typeof v === 'object') {
      out.push(0x7b);
      for (const [k, x] of Object.entries(v as object)) {
        string(k);
        write(x);
      }
      out.push(0x7d);
    } else throw new Error(`cannot encode ${typeof v}`);
  };
  write(value);
  return Uint8Array.from(out);
}
