/**
 * The few WebAssembly calls this library makes, typed locally: the core compiles against
 * ES2022 only (no DOM types), and must run where `WebAssembly` is missing.
 */

/** A WebAssembly memory: its bytes, which never grow here (views stay valid). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

function api(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/**
 * Whether this runtime has WebAssembly at all (compiling may still be forbidden by a
 * Content-Security-Policy; {@link instantiate} then throws).
 *
 * @example
 * if (wasmAvailable()) memory = createMemory(1);
 */
export function wasmAvailable(): boolean {
  return typeof api() === 'object';
}

/**
 * A fixed-size memory of `pages` 64 KiB pages.
 *
 * @example
 * new Int32Array(createMemory(1).buffer).length // => 16384
 */
export function createMemory(pages: number): WasmMemory {
  const wasm = api();
  if (wasm === undefined) throw new Error('WebAssembly is not available');
  return new wasm.Memory({ initial: pages, maximum: pages });
}

/** A compiled WebAssembly module, ready to instantiate over a memory. */
export type WasmModule = object;

/**
 * Compiles module `bytes`. Throws where compiling is forbidden (a Content-Security-Policy
 * without 'wasm-unsafe-eval') or WebAssembly is missing.
 *
 * @example
 * const module = compileModule(encodeModule(functions, 1)); // instantiate it over any memory
 */
export function compileModule(bytes: Uint8Array): WasmModule {
  const wasm = api();
  if (wasm === undefined) throw new Error('WebAssembly is not available');
  return new wasm.Module(bytes);
}

/**
 * An instance of `module` with `memory` as its `env.memory`: its exports.
 *
 * @example
 * const { run } = instantiateModule(module, createMemory(1)) as { run: () => void };
 */
export function instantiateModule(module: WasmModule, memory: WasmMemory): Record<string, unknown> {
  const wasm = api();
  if (wasm === undefined) throw new Error('WebAssembly is not available');
  return new wasm.Instance(module, { env: { memory } }).exports;
}

/**
 * Compiles and instantiates module `bytes` with `memory` as its `env.memory`, returning
 * its exports. Throws where compiling is forbidden.
 *
 * @example
 * const { run } = instantiate(encodeModule(functions, 1), createMemory(1)) as { run: () => void };
 */
export function instantiate(bytes: Uint8Array, memory: WasmMemory): Record<string, unknown> {
  return instantiateModule(compileModule(bytes), memory);
}
