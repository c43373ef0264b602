/**
 * A UBJSON writer for structure-aware mutations: what `decodeUbjson` returns (typed
 * arrays included) goes back to bytes with the same optimised `$type#count` containers
 * XGBoost writes, so a mutated document stays a plausible model file.
 *
 * @example
 * encodeUbjson({ a: Float32Array.of(1.5) }) // bytes of {"a": [$d#1 1.5]}
 */
export function encodeUbjson(value: unknown): Uint8Array {
  const chunks: number[] = [];
  const scratch = new DataView(new ArrayBuffer(8));
  const bytes = (n: number) => {
    for (let i = 0; i < n; i++) chunks.push(scratch.getUint8(i));
  };
  const int = (n: number) => {
    if (n >= 0 && n <= 255) chunks.push(0x55, n);
    else if (n >= -(2 ** 31) && n < 2 ** 31) {
      chunks.push(0x6c);
      scratch.setInt32(0, n);
      bytes(4);
    } else {
      chunks.push(0x4c);
      scratch.setBigInt64(0, BigInt(n));
      bytes(8);
    }
  };
  const string = (s: string) => {
    const b = new TextEncoder().encode(s);
    int(b.length);
    for (const x of b) chunks.push(x);
  };
  const typed: [new (...a: never[]) => ArrayLike<number>, string, number, (v: DataView, x: number) => void][] = [
    [Float32Array, 'd', 4, (v, x) => v.setFloat32(0, x)],
    [Float64Array, 'D', 8, (v, x) => v.setFloat64(0, x)],
    [Int32Array, 'l', 4, (v, x) => v.setInt32(0, x)],
    [Int16Array, 'I', 2, (v, x) => v.setInt16(0, x)],
    [Int8Array, 'i', 1, (v, x) => v.setInt8(0, x)],
    [Uint8Array, 'U', 1, (v, x) => v.setUint8(0, x)],
  ];
  const write = (v: unknown): void => {
    if (v === null || v === undefined) chunks.push(0x5a);
    else if (v === true) chunks.push(0x54);
    else if (v === false) chunks.push(0x46);
    else if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) int(v);
      else {
        chunks.push(0x44);
        scratch.setFloat64(0, v);
        bytes(8);
      }
    } else if (typeof v === 'string') {
      chunks.push(0x53);
      string(v);
    } else if (ArrayBuffer.isView(v)) {
      const entry = typed.find(([type]) => v instanceof type) ?? typed[1];
      const arr = v as unknown as ArrayLike<number>;
      chunks.push(0x5b, 0x24, entry[1].charCodeAt(0), 0x23);
      int(arr.length);
      for (let i = 0; i < arr.length; i++) {
        entry[3](scratch, arr[i]);
        bytes(entry[2]);
      }
    } else if (Array.isArray(v)) {
      chunks.push(0x5b);
      v.forEach(write);
      chunks.push(0x5d);
    } else {
      chunks.push(0x7b);
      for (const [k, x] of Object.entries(v as object)) {
        string(k);
        write(x);
      }
      chunks.push(0x7d);
    }
  };
  write(value);
  return Uint8Array.from(chunks);
}
