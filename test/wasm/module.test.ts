// The WebAssembly encoder the compiled predictors assemble their kernels with: LEB128
// against a decoder written from the spec, and small modules that V8 must accept and run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodeBuilder, encodeModule, F64, I32, Op, sleb, uleb, type WasmFunction } from '../../src/wasm/encode.js';
import { createMemory, instantiate, wasmAvailable } from '../../src/wasm/runtime.js';

/** LEB128 decoding as the WebAssembly spec defines it (7 bits per byte, low first, high bit = more). */
function decode(bytes: number[], signed: boolean): number {
  let result = 0;
  let shift = 0;
  let byte = 0;
  let i = 0;
  do {
    byte = bytes[i++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  expect(i).toBe(bytes.length);
  if (signed && byte & 0x40) result -= 2 ** shift;
  return result;
}

describe('LEB128', () => {
  it('encodes the spec examples', () => {
    const u: number[] = [];
    uleb(624485, u);
    expect(u).toEqual([0xe5, 0x8e, 0x26]);
    const s: number[] = [];
    sleb(-123456, s);
    expect(s).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('round-trips every unsigned and signed 32-bit integer it is given, in at most 5 bytes', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (u, s) => {
        const a: number[] = [];
        uleb(u, a);
        expect(decode(a, false)).toBe(u);
        expect(a.length).toBeLessThanOrEqual(5);
        const b: number[] = [];
        sleb(s, b);
        expect(decode(b, true)).toBe(s);
        expect(b.length).toBeLessThanOrEqual(5);
      }),
      { numRuns: 5000 },
    );
  });
});

describe.skipIf(!wasmAvailable())('encodeModule', () => {
  it('assembles functions that run: arithmetic, memory loads and stores, calls between functions', () => {
    const memory = createMemory(1);
    const words = new Int32Array(memory.buffer);
    const doubles = new Float64Array(memory.buffer);
    words[10] = 41;
    // double(x) = 2x, internal; store() writes f64(words[10] + 1) * 2 at byte 64 by calling it.
    const twice: WasmFunction = { params: [F64], results: [F64], locals: [], body: new CodeBuilder().localGet(0).localGet(0).op(Op.f64Add).bytes };
    const store = new CodeBuilder().i32Const(0).i32Const(0).i32Load(40).i32Const(1).op(Op.i32Add).op(0xb7 /* f64.convert_i32_s */).call(0).f64Store(64);
    const exports = instantiate(
      encodeModule([twice, { params: [], results: [], locals: [I32], body: store.bytes, exportAs: 'store' }], 1),
      memory,
    );
    expect(exports.twice).toBeUndefined();
    (exports.store as () => void)();
    expect(doubles[8]).toBe(84);
  });

  it('keeps large offsets and negative constants exact', () => {
    const memory = createMemory(2);
    const words = new Int32Array(memory.buffer);
    words[70000 / 4] = -5;
    const body = new CodeBuilder().i32Const(0).i32Load(70000).i32Const(-123456789).op(Op.i32Add).bytes;
    const { get } = instantiate(encodeModule([{ params: [], results: [I32], locals: [], body, exportAs: 'get' }], 2), memory) as { get: () => number };
    expect(get()).toBe(-123456794);
  });

  it('gives bytes that fail to compile, not a broken module, when a body is wrong', () => {
    const memory = createMemory(1);
    // i32.add with nothing on the stack.
    const bytes = encodeModule([{ params: [], results: [], locals: [], body: [Op.i32Add], exportAs: 'bad' }], 1);
    expect(() => instantiate(bytes, memory)).toThrow();
  });
});
