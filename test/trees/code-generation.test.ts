// A model never generates JavaScript: where a Content-Security-Policy has 'wasm-unsafe-eval'
// and not 'unsafe-eval', rows and batches run on WebAssembly and `new Function` is never
// called (calling it would file a violation report). Where WebAssembly is forbidden too,
// compiling is not tried when the policy is readable (a <meta> tag, an extension page's
// manifest, or an earlier refusal), and the interpreter gives the same margins.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadXGBoost } from '../../src/formats/xgboost/index.js';
import { codeGenerationPolicy } from '../../src/trees/code-generation.js';
import { tryCompileEnsemble } from '../../src/trees/compile.js';
import { expectBitExact } from '../support/float32.js';
import { generatedFixtures, repoRoot } from '../support/paths.js';

const run = promisify(execFile);
const name = 'early_stopping_binary';
const text = readFileSync(join(generatedFixtures, `${name}.json`), 'utf8');
const expected = JSON.parse(readFileSync(join(generatedFixtures, `${name}.expected.json`), 'utf8'));
const rows: (number | null)[][] = expected.rows;

/** predictRow's margins for every fixture row. */
function rowMargins(model: ReturnType<typeof loadXGBoost>): Float32Array {
  const out = new Float32Array(rows.length);
  rows.forEach((r, i) => (out[i] = model.predictRow(r, new Float32Array(1), 'margin')[0]));
  return out;
}

const realm = globalThis as Record<string, unknown>;
const originalFunction = globalThis.Function;
// The core compiles without DOM types, so WebAssembly is typed here as much as is used.
type ModuleConstructor = new (bytes: Uint8Array) => object;
const wasm = (globalThis as unknown as { WebAssembly: { Module: ModuleConstructor } }).WebAssembly;
const originalModule = wasm.Module;
afterEach(() => {
  delete realm.document;
  delete realm.location;
  delete realm.chrome;
  globalThis.Function = originalFunction;
  wasm.Module = originalModule;
});
/** Refuses `new Function` as a browser under CSP does, counting the attempts (each would file a report). */
function forbidFunction() {
  const attempts = vi.fn(function () {
    throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source");
  });
  globalThis.Function = attempts as unknown as FunctionConstructor;
  return attempts;
}
function countWasmCompiles() {
  const compiles = vi.fn();
  wasm.Module = class extends originalModule {
    constructor(bytes: Uint8Array) {
      compiles();
      super(bytes);
    }
  };
  return compiles;
}
function metaPolicy(content: string) {
  realm.document = {
    querySelectorAll: (selector: string) => (selector === 'meta[http-equiv]' ? [{ getAttribute: (a: string) => (a === 'http-equiv' ? 'Content-Security-Policy' : content) }] : []),
  };
}

describe('code generation under a Content-Security-Policy', () => {
  it("node --disallow-code-generation-from-strings (no new Function, WebAssembly allowed): rows and batches on WebAssembly, every path exact, the pool too", async () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { loadXGBoost } from ${JSON.stringify(resolve(repoRoot, 'src/formats/xgboost/index.ts'))};
      import { createPredictionPool } from ${JSON.stringify(resolve(repoRoot, 'src/node/parallel-predict.ts'))};
      const model = loadXGBoost(readFileSync(${JSON.stringify(join(generatedFixtures, `${name}.json`))}));
      const rows = ${JSON.stringify(rows)};
      const one = rows.map((r) => model.predictRow(r, new Float32Array(1), 'margin')[0]);
      const pool = await createPredictionPool(model, { threads: 2, minRowsPerThread: 5 });
      const pooled = Array.from(await pool.predict(rows, { output: 'margin' }));
      await pool.close();
      console.log(JSON.stringify({ compiled: model.compiled, rowEngine: model.rowEngine, batchEngine: model.batchEngine, one, batch: Array.from(model.predict(rows, { output: 'margin' })), pooled }));
    `;
    const { stdout } = await run(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.compiled).toBe(true);
    expect(out.rowEngine).toBe('webassembly');
    expect(out.batchEngine).toBe('webassembly');
    for (const key of ['one', 'batch', 'pooled']) expectBitExact(Float32Array.from(out[key]), expected.margin.flat(), key);
  });

  it("a <meta> policy with 'wasm-unsafe-eval' only: new Function is never called, rows and batches run on WebAssembly", () => {
    metaPolicy("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'");
    expect(codeGenerationPolicy()).toEqual({ javascript: false, webassembly: 'unknown' });
    const attempts = forbidFunction();
    for (const compile of ['auto', true] as const) {
      const model = loadXGBoost(text, { compile });
      expect(model.compiled).toBe(true);
      expect(model.rowEngine).toBe('webassembly');
      expect(model.batchEngine).toBe('webassembly');
      expectBitExact(rowMargins(model), expected.margin.flat(), 'predictRow');
      expectBitExact(model.predict(rows, { output: 'margin' }), expected.margin.flat(), 'predict');
    }
    expect(attempts).not.toHaveBeenCalled();
  });

  it("a <meta> policy without either: no attempt at all, the interpreter, same margins", () => {
    metaPolicy("script-src 'self'");
    expect(codeGenerationPolicy()).toEqual({ javascript: false, webassembly: false });
    const attempts = forbidFunction();
    const compiles = countWasmCompiles();
    const model = loadXGBoost(text);
    expect(tryCompileEnsemble(model.ensemble!)).toBeNull();
    expect(attempts).not.toHaveBeenCalled();
    expect(compiles).not.toHaveBeenCalled();
    expect(model.rowEngine).toBe('interpreter');
    expectBitExact(rowMargins(model), expected.margin.flat(), 'predictRow');
  });

  it("a policy with 'unsafe-eval', or none: unknown (a header may still forbid), so 'auto' compiles", () => {
    metaPolicy("script-src 'self' 'unsafe-eval'");
    expect(codeGenerationPolicy()).toEqual({ javascript: 'unknown', webassembly: 'unknown' });
    delete realm.document;
    const compiles = countWasmCompiles();
    const model = loadXGBoost(text);
    expect(model.compiled).toBe(true);
    expect(model.rowEngine).toBe('webassembly');
    expect(compiles).toHaveBeenCalled();
  });

  it("a Manifest V3 extension page: its default policy forbids new Function and allows WebAssembly", () => {
    realm.location = { protocol: 'chrome-extension:' };
    realm.chrome = { runtime: { getManifest: () => ({ manifest_version: 3 }) } };
    expect(codeGenerationPolicy()).toEqual({ javascript: false, webassembly: 'unknown' });
    realm.chrome = { runtime: { getManifest: () => ({ manifest_version: 3, content_security_policy: { extension_pages: "script-src 'self'" } }) } };
    expect(codeGenerationPolicy()).toEqual({ javascript: false, webassembly: false });
  });

  // Last: the refusal is remembered for the rest of this module's life.
  it("an unreadable policy (an HTTP header) that forbids WebAssembly: the first load tries once, later loads remember the refusal", () => {
    const attempts = forbidFunction();
    const compiles = vi.fn();
    wasm.Module = class extends originalModule {
      constructor(bytes: Uint8Array) {
        compiles();
        throw new Error("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script");
        super(bytes);
      }
    };
    const first = loadXGBoost(text);
    expect(compiles).toHaveBeenCalledTimes(1);
    const second = loadXGBoost(text);
    expect(compiles).toHaveBeenCalledTimes(1);
    expect(codeGenerationPolicy().webassembly).toBe(false);
    for (const model of [first, second]) {
      expect(model.compiled).toBe(false);
      expect(model.rowEngine).toBe('interpreter');
      expectBitExact(rowMargins(model), expected.margin.flat(), 'predictRow');
      expectBitExact(model.predict(rows, { output: 'margin' }), expected.margin.flat(), 'predict');
    }
    expect(attempts).not.toHaveBeenCalled();
    // tryCompileEnsemble (the forests' compiler) tries new Function once, then remembers the refusal too.
    expect(tryCompileEnsemble(first.ensemble!)).toBeNull();
    expect(attempts).toHaveBeenCalledTimes(1);
    expect(tryCompileEnsemble(first.ensemble!)).toBeNull();
    expect(attempts).toHaveBeenCalledTimes(1);
    expect(codeGenerationPolicy().javascript).toBe(false);
  });
});
