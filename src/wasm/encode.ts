/**
 * A minimal WebAssembly binary encoder: enough to assemble the small, generated kernels
 * this library compiles at run time (one imported memory, functions of numeric
 * parameters and locals). Written here rather than shipped as `.wasm` files, so the
 * package stays TypeScript source that runs wherever WebAssembly does, browsers included.
 */

/** Value types, by their binary codes. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

/** One function of a module: its signature, extra locals, body and export name. */
export interface WasmFunction {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  /** Locals after the parameters, in order. */
  readonly locals: readonly ValueType[];
  /** The instructions, without the final `end`. */
  readonly body: readonly number[];
  /** Export name, or undefined to keep the function internal (callable by index). */
  readonly exportAs?: string;
}

/**
 * Unsigned LEB128, appended to `out`.
 *
 * @example
 * const out: number[] = []; uleb(624485, out); // out => [0xe5, 0x8e, 0x26]
 */
export function uleb(value: number, out: number[]): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
}

/**
 * Signed LEB128 of a 32-bit integer, appended to `out`.
 *
 * @example
 * const out: number[] = []; sleb(-123456, out); // out => [0xc0, 0xbb, 0x78]
 */
export function sleb(value: number, out: number[]): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

const encoder = new TextEncoder();

function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  uleb(content.length, out);
  for (let i = 0; i < content.length; i++) out.push(content[i]);
}

function vector(items: readonly number[][], out: number[]): void {
  uleb(items.length, out);
  for (const item of items) for (let i = 0; i < item.length; i++) out.push(item[i]);
}

function name(text: string): number[] {
  const bytes = encoder.encode(text);
  const out: number[] = [];
  uleb(bytes.length, out);
  for (const b of bytes) out.push(b);
  return out;
}

/**
 * A module's bytes: `functions` over one memory imported as `env.memory` (at least
 * `minPages` 64 KiB pages).
 *
 * @example
 * const bytes = encodeModule([{ params: [I32], results: [I32], locals: [], body: [0x20, 0], exportAs: 'id' }], 1);
 * const memory = new WebAssembly.Memory({ initial: 1 });
 * new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.id(7); // => 7
 */
export function encodeModule(functions: readonly WasmFunction[], minPages: number): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  // One type per function keeps the encoder simple; duplicate types are legal.
  section(
    1,
    withCount(functions.map((f) => [0x60, ...counted(f.params), ...counted(f.results)])),
    out,
  );
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00];
  uleb(minPages, memoryImport);
  section(2, withCount([memoryImport]), out);
  section(3, withCount(functions.map((_, i) => leb(i))), out);
  const exports = functions.flatMap((f, i) => (f.exportAs === undefined ? [] : [[...name(f.exportAs), 0x00, ...leb(i)]]));
  section(7, withCount(exports), out);
  // The code section holds nearly all the bytes: written straight into the result, without
  // intermediate arrays (copying them dominated building a 2,000-tree scorer).
  const decls = functions.map((f) => {
    const runs: number[][] = [];
    for (let i = 0; i < f.locals.length; ) {
      let j = i;
      while (j < f.locals.length && f.locals[j] === f.locals[i]) j++;
      runs.push([...leb(j - i), f.locals[i]]);
      i = j;
    }
    return withCount(runs);
  });
  const sizes = functions.map((f, i) => decls[i].length + f.body.length + 1);
  let content = leb(functions.length).length;
  for (const size of sizes) content += leb(size).length + size;
  const head = [...out, 10, ...leb(content), ...leb(functions.length)];
  const bytes = new Uint8Array(head.length + content - leb(functions.length).length);
  bytes.set(head, 0);
  let at = head.length;
  functions.forEach((f, i) => {
    const size = leb(sizes[i]);
    bytes.set(size, at);
    at += size.length;
    bytes.set(decls[i], at);
    at += decls[i].length;
    bytes.set(f.body, at);
    at += f.body.length;
    bytes[at++] = 0x0b;
  });
  return bytes;
}

function leb(value: number): number[] {
  const out: number[] = [];
  uleb(value, out);
  return out;
}

function counted(types: readonly number[]): number[] {
  return [...leb(types.length), ...types];
}

function withCount(items: readonly number[][]): number[] {
  const out: number[] = [];
  vector(items, out);
  return out;
}

/** Opcodes of the instructions that take no immediate operand. */
export const Op = {
  select: 0x1b,
  i32Eqz: 0x45,
  i64Eqz: 0x50,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GeS: 0x4e,
  i32GeU: 0x4f,
  f32Ne: 0x5c,
  f32Lt: 0x5d,
  f32Ge: 0x60,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i64And: 0x83,
  i32ShrU: 0x76,
  f64Abs: 0x99,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Max: 0xa5,
  f32ConvertI32U: 0xb3,
  f32DemoteF64: 0xb6,
  f64ConvertI32S: 0xb7,
  f64PromoteF32: 0xbb,
  end: 0x0b,
} as const;

const f32Bytes = new Float32Array(1);
const f32View = new Uint8Array(f32Bytes.buffer);
const f64Bytes = new Float64Array(1);
const f64View = new Uint8Array(f64Bytes.buffer);

/**
 * A function body under construction: each method appends one instruction. Memory
 * offsets are byte offsets, added to the address operand at no run-time cost.
 *
 * @example
 * const code = new CodeBuilder().localGet(0).i32Load(8).localSet(1);
 * code.bytes; // => [0x20, 0, 0x28, 2, 8, 0x21, 1]
 */
export class CodeBuilder {
  readonly bytes: number[] = [];

  op(opcode: number): this {
    this.bytes.push(opcode);
    return this;
  }
  localGet(index: number): this {
    this.bytes.push(0x20);
    uleb(index, this.bytes);
    return this;
  }
  localSet(index: number): this {
    this.bytes.push(0x21);
    uleb(index, this.bytes);
    return this;
  }
  localTee(index: number): this {
    this.bytes.push(0x22);
    uleb(index, this.bytes);
    return this;
  }
  i32Const(value: number): this {
    this.bytes.push(0x41);
    sleb(value, this.bytes);
    return this;
  }
  f32Const(value: number): this {
    this.bytes.push(0x43);
    f32Bytes[0] = value;
    for (let i = 0; i < 4; i++) this.bytes.push(f32View[i]);
    return this;
  }
  /** i32.trunc_sat_f32_u: a float32 truncated toward zero, clamped to [0, 2^32 − 1] (NaN gives 0); never traps. */
  i32TruncSatF32U(): this {
    this.bytes.push(0xfc, 0x01);
    return this;
  }
  f64Const(value: number): this {
    this.bytes.push(0x44);
    f64Bytes[0] = value;
    for (let i = 0; i < 8; i++) this.bytes.push(f64View[i]);
    return this;
  }
  /** Loads an i32 from `address + offset` (the address is on the stack). */
  i32Load(offset: number): this {
    return this.memory(0x28, 2, offset);
  }
  /** Loads an i64 from `address + offset` (any alignment: the hint says 8 bytes). */
  i64Load(offset: number): this {
    return this.memory(0x29, 3, offset);
  }
  f32Load(offset: number): this {
    return this.memory(0x2a, 2, offset);
  }
  f64Load(offset: number): this {
    return this.memory(0x2b, 3, offset);
  }
  f64Store(offset: number): this {
    return this.memory(0x39, 3, offset);
  }
  /** Calls function `index` of the module. */
  call(index: number): this {
    this.bytes.push(0x10);
    uleb(index, this.bytes);
    return this;
  }
  private memory(opcode: number, alignLog2: number, offset: number): this {
    this.bytes.push(opcode, alignLog2);
    uleb(offset, this.bytes);
    return this;
  }
  /** Stores the i32 on the stack at `address + offset`. */
  i32Store(offset: number): this {
    return this.memory(0x36, 2, offset);
  }
  /** Starts a block without a result: `br` to it jumps past its `end`. */
  block(): this {
    this.bytes.push(0x02, 0x40);
    return this;
  }
  /** Starts a loop without a result: `br` to it jumps back to its start. */
  loop(): this {
    this.bytes.push(0x03, 0x40);
    return this;
  }
  /** Starts an `if` whose two arms each leave one i32: it pops the condition. */
  ifI32(): this {
    this.bytes.push(0x04, 0x7f);
    return this;
  }
  /** Starts the `else` arm of the innermost `if`. */
  else(): this {
    this.bytes.push(0x05);
    return this;
  }
  /** Ends the innermost block or loop. */
  end(): this {
    this.bytes.push(0x0b);
    return this;
  }
  /** Branches to the enclosing block or loop `depth` levels out (0: the innermost). */
  br(depth: number): this {
    this.bytes.push(0x0c);
    uleb(depth, this.bytes);
    return this;
  }
  /** {@link CodeBuilder.br} when the i32 on the stack is non-zero. */
  brIf(depth: number): this {
    this.bytes.push(0x0d);
    uleb(depth, this.bytes);
    return this;
  }
  /** A SIMD instruction without immediates: the 0xfd prefix, then its opcode (see {@link Simd}). */
  simd(opcode: number): this {
    this.bytes.push(0xfd);
    uleb(opcode, this.bytes);
    return this;
  }
  /** Loads 16 bytes from `address + offset` as a v128. */
  v128Load(offset: number): this {
    return this.simdMemory(0x00, 3, offset);
  }
  /** Stores the v128 on the stack at `address + offset`. */
  v128Store(offset: number): this {
    return this.simdMemory(0x0b, 3, offset);
  }
  /** Loads the f64 at `address + offset` into both lanes (as f64.load then f64x2.splat). */
  v128Load64Splat(offset: number): this {
    return this.simdMemory(0x0a, 3, offset);
  }
  /** Lane `lane` (0 or 1) of the f64x2 on the stack, as an f64. */
  f64x2ExtractLane(lane: number): this {
    this.bytes.push(0xfd, 0x21, lane);
    return this;
  }
  // The alignment hints above say 8 bytes: the kernels address f64 arrays.
  private simdMemory(opcode: number, alignLog2: number, offset: number): this {
    this.bytes.push(0xfd);
    uleb(opcode, this.bytes);
    this.bytes.push(alignLog2);
    uleb(offset, this.bytes);
    return this;
  }
}

/** Opcodes of the SIMD instructions that take no immediate operand, for {@link CodeBuilder.simd}. */
export const Simd = {
  f64x2Splat: 0x14,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Min: 0xf4,
  /** pmax(a, b) = a < b ? b : a, lane by lane. */
  f64x2Pmax: 0xf7,
} as const;
