import { createMemory, wasmAvailable } from '../wasm/runtime.js';
import { simdKernels, type SimdKernels } from './simd-kernels.js';

let simdAllowed = true;

/**
 * @internal Turns the WebAssembly kernels off (or back on) for the fits that follow, so
 * tests can run the JavaScript fallback where WebAssembly exists; returns the previous
 * setting.
 *
 * @example
 * const before = useSimdKernels(false); try { fitKMeans(x, { k: 3 }); } finally { useSimdKernels(before); }
 */
export function useSimdKernels(on: boolean): boolean {
  const before = simdAllowed;
  simdAllowed = on;
  return before;
}

const PAGE = 65536;
const byBuffer = new WeakMap<ArrayBuffer, FitMemory>();

/**
 * The arrays of one fit, carved out of one WebAssembly memory so that the SIMD kernels
 * ({@link SimdKernels}) can read and write them; where WebAssembly is unavailable, plain
 * typed arrays and no kernels. A bump allocator: `mark` and `release` reuse the space of
 * arrays no longer needed (each array starts zeroed, like a fresh typed array).
 *
 * @example
 * const memory = FitMemory.create(1 << 20, 21);
 * const x = memory.f64(1000 * 21); // memory.kernels?.candidates(x.byteOffset, ...)
 */
export class FitMemory {
  /** Plain typed arrays, no kernels. */
  static readonly plain = new FitMemory(null, null);
  private top = 0;
  private highWater = 0;
  /** How many arrays did not fit and were made plain (so the kernels skipped them). */
  spilled = 0;

  private constructor(
    /** The memory's bytes, or null for plain typed arrays. */
    readonly buffer: ArrayBuffer | null,
    readonly kernels: SimdKernels | null,
  ) {}

  /**
   * A memory of `bytes` bytes with kernels for `cols` columns, when WebAssembly allows it.
   *
   * @example
   * FitMemory.create(8 * rows * (cols + 8), cols).kernels !== null // true in Node 20
   */
  static create(bytes: number, cols: number): FitMemory {
    if (simdAllowed && wasmAvailable() && bytes <= 2 ** 31) {
      try {
        const memory = createMemory(Math.ceil(bytes / PAGE) + 1);
        const kernels = simdKernels(cols, memory);
        if (kernels !== null) {
          const fit = new FitMemory(memory.buffer, kernels);
          byBuffer.set(memory.buffer, fit);
          return fit;
        }
      } catch {
        // Out of address space for another memory: plain arrays will do.
      }
    }
    return FitMemory.plain;
  }

  /**
   * The memory `a` was allocated from, if any.
   *
   * @example
   * FitMemory.of(memory.f64(8)) === memory // => true when memory has a buffer
   */
  static of(a: Float64Array | Int32Array): FitMemory | undefined {
    return byBuffer.get(a.buffer as ArrayBuffer);
  }

  /** Whether `a` lives in this memory (so the kernels can address it by its byteOffset). */
  holds(a: Float64Array | Int32Array): boolean {
    return this.buffer !== null && a.buffer === this.buffer;
  }

  f64(n: number): Float64Array {
    const at = this.claim(8 * n);
    return at < 0 ? new Float64Array(n) : new Float64Array(this.buffer!, at, n);
  }

  i32(n: number): Int32Array {
    const at = this.claim(4 * n);
    return at < 0 ? new Int32Array(n) : new Int32Array(this.buffer!, at, n);
  }

  /** The allocation point, for {@link FitMemory.release}. */
  mark(): number {
    return this.top;
  }

  /** Frees every array allocated since `mark` was taken. */
  release(mark: number): void {
    this.top = mark;
  }

  /** Byte offset of `bytes` fresh zeroed bytes, or -1 for a plain array. */
  private claim(bytes: number): number {
    if (this.buffer === null) return -1;
    const at = this.top;
    const end = at + Math.ceil(bytes / 16) * 16;
    if (end > this.buffer.byteLength) {
      this.spilled++;
      return -1;
    }
    this.top = end;
    // Space below the high-water mark held earlier arrays; above it the memory is still zero.
    if (at < this.highWater) new Uint8Array(this.buffer, at, Math.min(end, this.highWater) - at).fill(0);
    this.highWater = Math.max(this.highWater, end);
    return at;
  }
}
