// The compiled predictor against the reference interpreter, bit for bit, on random models
// (numeric and categorical splits, both default directions, vector leaves, DART weights,
// float32 and float64 accumulation) and random rows (NaN, ±Infinity, negative and
// fractional categories, values exactly on thresholds).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { loadXGBoost } from '../../src/formats/xgboost/index.js';
import { compileWasmRowScorer } from '../../src/trees/compile-wasm.js';
import { completeLayout, float32Key, splitMissing } from '../../src/trees/complete-layout.js';
import { buildEnsemble, compileEnsemble, findLeaf, interpretedPredictor, planChunks, predictMargins, type TreeEnsemble, type TreeSpec } from '../../src/trees/index.js';

const SPECIAL = [0, -0, 0.5, -1.5, 1e-30, 1e-40, -1e-40, 3, Infinity, -Infinity, NaN];

interface RandomModel {
  ensemble: TreeEnsemble;
  rows: Float32Array;
  numRows: number;
}

/** A random tree over `numFeatures` features, grown from a stream of random numbers. */
function randomTree(next: () => number, numFeatures: number, leafWidth: number, numOutputs: number, maxDepth: number, categoricalShare: number): TreeSpec {
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const defaultLeft: number[] = [];
  const leafValues: number[] = [];
  const categorical: { node: number; categories: number[] }[] = [];
  const grow = (depth: number): number => {
    const id = left.length;
    left.push(-1);
    right.push(-1);
    feature.push(0);
    threshold.push(0);
    defaultLeft.push(next() < 0.5 ? 1 : 0);
    for (let k = 0; k < leafWidth; k++) leafValues.push((next() - 0.5) * 10 ** Math.floor(next() * 6 - 3));
    if (depth < maxDepth && next() < 0.8) {
      feature[id] = Math.floor(next() * numFeatures);
      const kind = next();
      if (kind < categoricalShare) {
        const size = Math.floor(next() * 5);
        const limit = next() < 0.5 ? 32 : 80;
        categorical.push({ node: id, categories: Array.from({ length: size }, () => Math.floor(next() * limit)) .filter((c, i, a) => a.indexOf(c) === i) });
      } else if (kind < categoricalShare + 0.1) threshold[id] = SPECIAL[Math.floor(next() * SPECIAL.length)];
      else threshold[id] = (next() - 0.5) * 100;
      left[id] = grow(depth + 1);
      right[id] = grow(depth + 1);
    }
    return id;
  };
  grow(0);
  return { left, right, feature, threshold, defaultLeft, leafValues, categorical, output: Math.floor(next() * numOutputs), weight: next() < 0.2 ? next() * 2 : undefined };
}

const modelArbitrary = randomModels(fc.boolean(), fc.constantFrom(0, 0.2));
/** Numeric splits and scalar leaves only: the models the complete layout (and WebAssembly) takes whole. */
const numericModelArbitrary = randomModels(fc.constant(false), fc.constant(0));

function randomModels(vectorLeaves: fc.Arbitrary<boolean>, categoricalShare: fc.Arbitrary<number>): fc.Arbitrary<RandomModel> {
  return fc
    .record({
      seed: fc.integer(),
      numFeatures: fc.integer({ min: 1, max: 12 }),
      numOutputs: fc.integer({ min: 1, max: 4 }),
      vectorLeaves,
      numTrees: fc.integer({ min: 0, max: 40 }),
      // Numeric-only models exercise the branch-free complete layout (8 trees at a time).
      categoricalShare,
      maxDepth: fc.integer({ min: 0, max: 7 }),
      f64: fc.boolean(),
      le: fc.boolean(),
      numRows: fc.integer({ min: 0, max: 70 }),
      float32Leaves: fc.boolean(),
    })
    .map(({ seed, numFeatures, numOutputs, vectorLeaves, numTrees, categoricalShare, maxDepth, f64, le, numRows, float32Leaves }): RandomModel => {
      let state = seed >>> 0 || 1;
      const next = () => {
        // xorshift32: a deterministic stream, so a failing case replays from its seed.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 4294967296;
      };
      const leafWidth = vectorLeaves ? numOutputs : 1;
      const trees = Array.from({ length: numTrees }, () => randomTree(next, numFeatures, leafWidth, numOutputs, maxDepth, categoricalShare));
      // XGBoost's leaves are float32; half the models get such leaves, which are stored as float32.
      if (float32Leaves) for (const tree of trees) tree.leafValues = Array.from(tree.leafValues, Math.fround);
      const ensemble = buildEnsemble({
        numFeatures, numOutputs, leafWidth, trees,
        splitRule: le ? 'le' : 'lt',
        accumulate: f64 ? 'float64' : 'float32',
        baseMargin: Array.from({ length: numOutputs }, () => next() - 0.5),
      });
      // Rows mix ordinary values, specials, thresholds hit exactly, and category codes (some fractional or out of range).
      const thresholds = Array.from(ensemble.threshold);
      const rows = new Float32Array(numRows * numFeatures);
      for (let i = 0; i < rows.length; i++) {
        const u = next();
        if (u < 0.15) rows[i] = NaN;
        else if (u < 0.3) rows[i] = SPECIAL[Math.floor(next() * SPECIAL.length)];
        else if (u < 0.5 && thresholds.length > 0) rows[i] = thresholds[Math.floor(next() * thresholds.length)];
        else if (u < 0.75) rows[i] = Math.floor(next() * 90) - 5 + (next() < 0.2 ? 0.5 : 0);
        else rows[i] = (next() - 0.5) * 100;
      }
      return { ensemble, rows, numRows };
    });
}

/**
 * The plainest possible reference: each row walks each tree node by node (`findLeaf`),
 * and leaves are added in tree order, rounded as the ensemble says.
 */
function walkMargins(ensemble: TreeEnsemble, rows: Float32Array, numRows: number, begin = 0, end = ensemble.numTrees): Float64Array {
  const { numOutputs, numFeatures, leafWidth, leafValues } = ensemble;
  const round = ensemble.accumulate === 'float32' ? Math.fround : (v: number) => v;
  const out = new Float64Array(numRows * numOutputs);
  for (let r = 0; r < numRows; r++) {
    for (let k = 0; k < numOutputs; k++) out[r * numOutputs + k] = ensemble.baseMargin[k];
    for (let t = begin; t < end; t++) {
      const leaf = findLeaf(ensemble, rows, r * numFeatures, ensemble.treeStart[t]);
      if (leafWidth === 1) {
        const o = r * numOutputs + ensemble.treeOutput[t];
        out[o] = round(out[o] + leafValues[leaf]);
      } else for (let k = 0; k < leafWidth; k++) out[r * numOutputs + k] = round(out[r * numOutputs + k] + leafValues[leaf * leafWidth + k]);
    }
  }
  return out;
}

function initialMarginsOf(ensemble: TreeEnsemble, numRows: number): Float64Array {
  const out = new Float64Array(numRows * ensemble.numOutputs);
  for (let r = 0; r < numRows; r++) out.set(ensemble.baseMargin, r * ensemble.numOutputs);
  return out;
}

function expectSameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect.fail(`index ${i}: interpreter ${a[i]}, compiled ${b[i]}`);
  }
}

describe('compiled predictor', () => {
  it('gives a node-by-node walk\'s margins bit for bit on random models and rows, interpreted and compiled', () => {
    fc.assert(
      fc.property(modelArbitrary, fc.integer({ min: 1, max: 300 }), ({ ensemble, rows, numRows }, budget) => {
        const reference = walkMargins(ensemble, rows, numRows);
        expectSameBits(reference, predictMargins(ensemble, rows, numRows));
        // Tiny node budgets force many chunks and interpreted fallbacks for large trees.
        // Batches run WebAssembly by default; the generated JavaScript is checked on its own too.
        expectSameBits(reference, compileEnsemble(ensemble, { maxNodesPerFunction: budget, batchEngine: 'javascript' }).predictMargins(rows, numRows));
        expectSameBits(reference, compileEnsemble(ensemble, { batchEngine: 'javascript' }).predictMargins(rows, numRows));
        const compiled = compileEnsemble(ensemble);
        expect(compiled.batchEngine).toBe(ensemble.numTrees > 0 && ensemble.leafWidth === 1 ? 'webassembly' : 'javascript');
        expectSameBits(reference, compiled.predictMargins(rows, numRows));
        expectSameBits(reference, interpretedPredictor(ensemble, { webassembly: true }).predictMargins(rows, numRows));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on every tree range, including ranges that cut through a chunk', () => {
    fc.assert(
      fc.property(modelArbitrary, fc.nat(), fc.nat(), ({ ensemble, rows, numRows }, a, b) => {
        const n = ensemble.numTrees;
        const begin = n === 0 ? 0 : a % (n + 1);
        const end = begin + (n === 0 ? 0 : b % (n - begin + 1));
        const compiled = compileEnsemble(ensemble, { maxNodesPerFunction: 20, rowRange: { treeBegin: begin, treeEnd: end } });
        const reference = walkMargins(ensemble, rows, numRows, begin, end);
        expectSameBits(reference, predictMargins(ensemble, rows, numRows, { treeBegin: begin, treeEnd: end }));
        expectSameBits(reference, compiled.predictMargins(rows, numRows, { treeBegin: begin, treeEnd: end }));
      }),
      { numRuns: 200 },
    );
  });

  it('scores one row into a caller-owned buffer with the same bits', () => {
    fc.assert(
      fc.property(modelArbitrary, ({ ensemble, rows, numRows }) => {
        const reference = walkMargins(ensemble, rows, numRows);
        const compiled = compileEnsemble(ensemble);
        const interpreted = interpretedPredictor(ensemble);
        const out = new Float64Array(ensemble.numOutputs);
        const width = ensemble.numFeatures;
        for (let r = 0; r < numRows; r++) {
          const row = rows.subarray(r * width, (r + 1) * width);
          for (const predictor of [compiled, interpreted]) {
            predictor.predictRowInto(row, out);
            expectSameBits(reference.subarray(r * ensemble.numOutputs, (r + 1) * ensemble.numOutputs), out);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('splits large models into chunks under the node budget and prefers round boundaries', () => {
    // Its trees split on categories, so they compile to nested ifs, whose size the budget bounds.
    const model = loadXGBoost(readFileSync('models/xgboost/fixtures/cat_multi_softprob_partition.json'));
    const ensemble = model.ensemble!;
    const chunks = planChunks(ensemble, { maxNodesPerFunction: 400 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[0].begin).toBe(0);
    expect(chunks.at(-1)!.end).toBe(ensemble.numTrees);
    for (let c = 1; c < chunks.length; c++) expect(chunks[c].begin).toBe(chunks[c - 1].end);
    for (const chunk of chunks) {
      let nodes = 0;
      for (let t = chunk.begin; t < chunk.end; t++) nodes += ensemble.treeStart[t + 1] - ensemble.treeStart[t];
      // The budget bounds nested-if code; complete-layout chunks grow with depth × trees, not nodes.
      if (chunk.end - chunk.begin > 1 && !chunk.perRow) expect(nodes).toBeLessThanOrEqual(400);
      // 4 trees per round, and every chunk ends on a round.
      expect(Array.from(ensemble.iterationIndptr)).toContain(chunk.end);
    }
  });

  it('walks numeric trees of similar depth branch-free, eight at a time, and keeps the rest node by node', () => {
    const numeric = loadXGBoost(readFileSync('models/bench/binary_150x5_30f.json')).ensemble!;
    const layout = completeLayout(numeric);
    // 150 depth-5 trees: 18 groups of eight; the last 6 trees have no group and descend one at a time.
    expect(Array.from(layout.groupOf8).filter((g) => g === 8)).toHaveLength(18);
    const chunks = planChunks(numeric);
    expect(chunks.every((c) => c.perRow)).toBe(true);
    expect(chunks.at(-1)!.end).toBe(150);
    const categorical = loadXGBoost(readFileSync('models/xgboost/fixtures/cat_multi_softprob_partition.json')).ensemble!;
    const catLayout = completeLayout(categorical);
    for (let t = 0; t < categorical.numTrees; t++) {
      let hasCategory = false;
      for (let n = categorical.treeStart[t]; n < categorical.treeStart[t + 1]; n++) if (categorical.categorySlot[n] >= 0) hasCategory = true;
      if (hasCategory) expect(catLayout.depth[t]).toBe(-1);
    }
  });

  it('splits rows into a missing-goes-left half and a missing-goes-right half, as keys', () => {
    const split = splitMissing(Float32Array.from([1, NaN, -Infinity, 7, 8, 9]), 3, 0, 2, null);
    const key = (values: number[]) => values.map(float32Key);
    expect(Array.from(split.keys)).toEqual(key([1, -Infinity, -Infinity, 1, Infinity, -Infinity, 7, 8, 9, 7, 8, 9]));
    // A large enough buffer is reused; a smaller one is replaced.
    expect(splitMissing(Float32Array.from([2, 3, 4]), 3, 0, 1, split)).toBe(split);
    expect(Array.from(split.keys.subarray(0, 6))).toEqual(key([2, 3, 4, 2, 3, 4]));
    expect(splitMissing(Float32Array.from([2, 3, 4, 5, 6, 7, 8, 9, 1]), 3, 0, 3, split)).not.toBe(split);
  });

  it('float32Key orders every pair of float32 values as >= does (±0, subnormals and ±Infinity included)', () => {
    expect(float32Key(-0)).toBe(float32Key(0));
    expect(float32Key(Infinity)).toBe(0x7f800000);
    expect(float32Key(-Infinity)).toBe(-0x7f800000);
    const special = fc.constantFrom(0, -0, 1e-45, -1e-45, 1.1754942e-38, -1.1754942e-38, Infinity, -Infinity, 3.4028235e38).map(Math.fround);
    const float32 = fc.oneof(fc.float({ noNaN: true }), special);
    fc.assert(
      fc.property(float32, float32, (a, b) => {
        expect(float32Key(a) >= float32Key(b)).toBe(a >= b);
      }),
      { numRuns: 20_000 },
    );
  });

  it('a model never calls new Function, so forbidding it changes nothing', () => {
    const text = readFileSync('models/xgboost/fixtures/cat_multi_softprob_partition.json', 'utf8');
    const expected = JSON.parse(readFileSync('models/xgboost/fixtures/cat_multi_softprob_partition.expected.json', 'utf8'));
    const original = globalThis.Function;
    const blocked = vi.fn(() => {
      throw new EvalError('Refused to evaluate a string as JavaScript because unsafe-eval is not allowed');
    });
    globalThis.Function = blocked as unknown as FunctionConstructor;
    let model;
    try {
      model = loadXGBoost(text, { compile: true });
      model.predict(expected.rows);
      expect(blocked).not.toHaveBeenCalled();
    } finally {
      globalThis.Function = original;
    }
    expect(model.compiled).toBe(true);
    const margins = model.predict(expected.rows, { output: 'margin' });
    expect(Array.from(margins)).toEqual(expected.margin.flat());
  });

  it('honours compile: false and scores identically either way', () => {
    const text = readFileSync('models/xgboost/fixtures/nan_heavy_binary_logistic.json', 'utf8');
    const expected = JSON.parse(readFileSync('models/xgboost/fixtures/nan_heavy_binary_logistic.expected.json', 'utf8'));
    const compiled = loadXGBoost(text);
    const interpreted = loadXGBoost(text, { compile: false });
    expect(compiled.compiled).toBe(true);
    expect(interpreted.compiled).toBe(false);
    for (const model of [compiled, interpreted]) {
      expect(Array.from(model.predict(expected.rows, { output: 'margin' }))).toEqual(expected.margin.flat());
      expect(Array.from(model.predict(expected.rows))).toEqual(expected.value.flat());
    }
  });
});

describe('WebAssembly row scorer', () => {
  it.each(['cat_multi_softprob_partition', 'cat_binary_partition', 'cat_reg_partition', 'deep_reg_depth12', 'nan_heavy_binary_logistic'])(
    '%s: category splits, deep trees and NaNs run WebAssembly for batches and one row, with XGBoost\'s margins',
    (name) => {
      const model = loadXGBoost(readFileSync(`models/xgboost/fixtures/${name}.json`));
      const expected = JSON.parse(readFileSync(`models/xgboost/fixtures/${name}.expected.json`, 'utf8'));
      expect(model.rowEngine).toBe('webassembly');
      expect(model.batchEngine).toBe('webassembly');
      const compact = compileWasmRowScorer(model.ensemble!)!.trees.compact;
      if (name !== 'nan_heavy_binary_logistic') expect(compact).toBeGreaterThan(0);
      expect(Array.from(model.predict(expected.rows, { output: 'margin' }))).toEqual(expected.margin.flat());
      const out = new Float32Array(model.numOutputs);
      expected.rows.forEach((row: (number | string | null)[], r: number) => {
        model.predictRow(row as never, out, 'margin');
        expect(Array.from(out)).toEqual([expected.margin[r]].flat());
      });
    },
  );

  it('scores each row as a node-by-node walk does, bit for bit, on every tree shape (one row and blocks)', () => {
    let scored = 0;
    let compactTrees = 0;
    let completeTrees = 0;
    const check = ({ ensemble, rows, numRows }: RandomModel, fixedSteps: number): void => {
      // Few fixed steps make deep trees finish in the loop that stops at the leaf.
      // An odd count also puts each tree in a function of its own (chunkBytes 0).
      const scorer = compileWasmRowScorer(ensemble, {}, { fixedSteps, chunkBytes: fixedSteps % 2 === 1 ? 0 : undefined });
      // Only vector leaves (and an empty model) keep a model off WebAssembly now.
      expect(scorer !== null).toBe(ensemble.numTrees > 0 && ensemble.leafWidth === 1);
      if (scorer === null) return;
      scored++;
      compactTrees += scorer.trees.compact;
      completeTrees += scorer.trees.complete;
      const reference = walkMargins(ensemble, rows, numRows);
      const out = new Float64Array(ensemble.numOutputs);
      const width = ensemble.numFeatures;
      for (let r = 0; r < numRows; r++) {
        for (let k = 0; k < out.length; k++) out[k] = ensemble.baseMargin[k];
        scorer.addRow(rows.subarray(r * width, (r + 1) * width), out);
        expectSameBits(reference.subarray(r * out.length, (r + 1) * out.length), out);
      }
      const block = initialMarginsOf(ensemble, numRows);
      scorer.addRows(rows, numRows, block);
      expectSameBits(reference, block);
    };
    const fixed = fc.integer({ min: 0, max: 10 });
    fc.assert(fc.property(numericModelArbitrary, fixed, check), { numRuns: 200 });
    fc.assert(fc.property(modelArbitrary, fixed, check), { numRuns: 300 });
    expect(scored).toBeGreaterThan(200);
    // Both layouts must be exercised, the compact one with category splits and odd thresholds.
    expect(compactTrees).toBeGreaterThan(500);
    expect(completeTrees).toBeGreaterThan(500);
  });

  it('scores more rows than one block, and any tree range, as the walk does', () => {
    fc.assert(
      fc.property(modelArbitrary, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), ({ ensemble, rows, numRows }, x, y) => {
        const begin = Math.min(x, y) % (ensemble.numTrees + 1);
        const end = Math.min(ensemble.numTrees, Math.max(x, y));
        const scorer = compileWasmRowScorer(ensemble, { treeBegin: begin, treeEnd: end });
        if (scorer === null) return;
        // Repeat the rows so the batch spans several blocks.
        const copies = 5;
        const many = new Float32Array(rows.length * copies);
        for (let c = 0; c < copies; c++) many.set(rows, c * rows.length);
        const reference = walkMargins(ensemble, many, numRows * copies, begin, end);
        const out = initialMarginsOf(ensemble, numRows * copies);
        scorer.addRows(many, numRows * copies, out);
        expectSameBits(reference, out);
      }),
      { numRuns: 150 },
    );
  });

  it('scores the benchmark models (float32 leaves and sums, depths 5 to 8) as the batch path does', () => {
    for (const [file, numFeatures] of [['binary_150x5_30f.json', 30], ['softprob_10x60_d6_64f.ubj', 64], ['softprob_12x50_d8_20f.ubj', 20]] as const) {
      const model = loadXGBoost(readFileSync(`models/bench/${file}`));
      const ensemble = model.ensemble!;
      const scorer = compileWasmRowScorer(ensemble);
      expect(scorer).not.toBeNull();
      const rows = new Float32Array(readFileSync(`models/bench/${file.split('.')[0]}.rows.f32`).buffer.slice(0, 300 * numFeatures * 4));
      for (let i = 0; i < rows.length; i += 13) rows[i] = NaN;
      const reference = predictMargins(ensemble, rows, 300);
      const out = new Float64Array(ensemble.numOutputs);
      const viaModel = new Float32Array(ensemble.numOutputs);
      for (let r = 0; r < 300; r++) {
        const row = rows.subarray(r * numFeatures, (r + 1) * numFeatures);
        const expected = reference.subarray(r * out.length, (r + 1) * out.length);
        for (let k = 0; k < out.length; k++) out[k] = ensemble.baseMargin[k];
        scorer!.addRow(row, out);
        expectSameBits(expected, out);
        // The model's own single-row path (which uses the scorer) gives the same float32 margins.
        model.predictRow(row, viaModel, 'margin');
        expectSameBits(expected, Float64Array.from(viaModel));
      }
    }
  });

  it('is skipped, and scoring still exact, where WebAssembly is missing or compiling it is forbidden', () => {
    const ensemble = loadXGBoost(readFileSync('models/bench/binary_150x5_30f.json')).ensemble!;
    const rows = new Float32Array(readFileSync('models/bench/binary_150x5_30f.rows.f32').buffer.slice(0, 50 * 30 * 4));
    const reference = predictMargins(ensemble, rows, 50);
    const global = globalThis as { WebAssembly?: object };
    const original = global.WebAssembly;
    const forbidden = {
      ...original,
      Module: function () {
        throw new Error("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not allowed");
      },
    };
    for (const replacement of [undefined, forbidden]) {
      global.WebAssembly = replacement;
      try {
        expect(compileWasmRowScorer(ensemble)).toBeNull();
        const compiled = compileEnsemble(ensemble);
        const out = new Float64Array(1);
        for (let r = 0; r < 50; r++) {
          compiled.predictRowInto(rows.subarray(r * 30, (r + 1) * 30), out);
          expect(out[0]).toBe(reference[r]);
        }
      } finally {
        global.WebAssembly = original;
      }
    }
  });
});

describe('other iteration ranges', () => {
  it('a range asked for twice in a row gets its own WebAssembly module, same bits; ranges that change every call stay interpreted', () => {
    const model = loadXGBoost(readFileSync('models/bench/softprob_12x50_d8_20f.ubj'));
    const rows = new Float32Array(readFileSync('models/bench/softprob_12x50_d8_20f.rows.f32').buffer.slice(0, 300 * 20 * 4));
    for (let i = 0; i < rows.length; i += 7) rows[i] = NaN;
    const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
    const original = wasm.Module;
    const compiles = vi.fn();
    wasm.Module = class extends original {
      constructor(bytes: Uint8Array) {
        compiles();
        super(bytes);
      }
    };
    try {
      const staged = [[0, 2], [0, 3], [0, 4], [1, 5]] as const;
      for (const range of staged) {
        const { treeBegin, treeEnd } = model.treesFor(range);
        expectSameBits(model.predict(rows, { output: 'margin', iterationRange: range }), Float32Array.from(predictMargins(model.ensemble!, rows, 300, { treeBegin, treeEnd })));
      }
      expect(compiles).not.toHaveBeenCalled();
      const range = [2, 9] as const;
      const { treeBegin, treeEnd } = model.treesFor(range);
      const reference = Float32Array.from(predictMargins(model.ensemble!, rows, 300, { treeBegin, treeEnd }));
      for (let call = 0; call < 4; call++) expectSameBits(model.predict(rows, { output: 'margin', iterationRange: range }), reference);
      expect(compiles).toHaveBeenCalledTimes(1);
      const out = new Float32Array(model.numOutputs);
      for (let r = 0; r < 300; r++) expectSameBits(model.predictRow(rows.subarray(r * 20, (r + 1) * 20), out, 'margin', range), reference.subarray(r * 12, (r + 1) * 12));
      expect(compiles).toHaveBeenCalledTimes(1);
    } finally {
      wasm.Module = original;
    }
  });
});

describe('predictRow', () => {
  const names = ['obj_multi_softprob', 'obj_multi_softmax', 'obj_binary_logistic', 'obj_count_poisson', 'obj_binary_hinge', 'gblinear_multi_softprob', 'multi_target_reg'];
  it.each(names)('%s: equals predict() for every fixture row, values and margins', (name) => {
    const model = loadXGBoost(readFileSync(`models/xgboost/fixtures/${name}.json`));
    const expected = JSON.parse(readFileSync(`models/xgboost/fixtures/${name}.expected.json`, 'utf8'));
    const out = new Float32Array(model.numOutputs);
    const width = expected.value[0].length ?? 1;
    expected.rows.forEach((row: (number | null)[], r: number) => {
      expect(model.predictRow(row, out)).toBe(out);
      expect(Array.from(out.subarray(0, width))).toEqual([expected.value[r]].flat());
      model.predictRow(row, out, 'margin');
      expect(Array.from(out)).toEqual([expected.margin[r]].flat());
    });
  });

  it.each(names)('%s: a one-row predict() gives predictRow()\'s bits, values and margins, compiled or interpreted', (name) => {
    const text = readFileSync(`models/xgboost/fixtures/${name}.json`, 'utf8');
    const expected = JSON.parse(readFileSync(`models/xgboost/fixtures/${name}.expected.json`, 'utf8'));
    for (const compile of [true, false]) {
      const model = loadXGBoost(text, { compile });
      const width = model.objective === 'multi:softmax' ? 1 : model.numOutputs;
      const out = new Float32Array(model.numOutputs);
      expected.rows.forEach((row: (number | null)[]) => {
        const x = Float32Array.from(row, (v) => (v === null ? NaN : v));
        const value = model.predict([row]);
        expect(value.length).toBe(width);
        expectSameBits(model.predictRow(row, out).subarray(0, width), value);
        expectSameBits(model.predict(x), value);
        expectSameBits(model.predictRow(x, out, 'margin'), model.predict(x, { output: 'margin' }));
      });
    }
  });

  it('a one-row predict() gives predictRow()\'s and the batch\'s bits on the benchmark models, also for an explicit range', () => {
    for (const [file, numFeatures] of [['binary_150x5_30f.json', 30], ['softprob_12x50_d8_20f.ubj', 20]] as const) {
      const model = loadXGBoost(readFileSync(`models/bench/${file}`));
      const rows = new Float32Array(readFileSync(`models/bench/${file.split('.')[0]}.rows.f32`).buffer.slice(0, 200 * numFeatures * 4));
      for (let i = 0; i < rows.length; i += 11) rows[i] = NaN;
      const k = model.numOutputs;
      for (const iterationRange of [undefined, [1, 4]] as const) {
        const batch = model.predict(rows, { iterationRange });
        const margins = model.predict(rows, { output: 'margin', iterationRange });
        const out = new Float32Array(k);
        for (let r = 0; r < 200; r++) {
          const row = rows.subarray(r * numFeatures, (r + 1) * numFeatures);
          expectSameBits(model.predict(row, { iterationRange }), batch.subarray(r * k, (r + 1) * k));
          expectSameBits(model.predict(row, { output: 'margin', iterationRange }), margins.subarray(r * k, (r + 1) * k));
          expectSameBits(model.predictRow(row, out, 'value', iterationRange), batch.subarray(r * k, (r + 1) * k));
        }
      }
    }
  });

  it('rejects a row of the wrong width and a short output buffer', () => {
    const model = loadXGBoost(readFileSync('models/xgboost/fixtures/obj_multi_softprob.json'));
    expect(() => model.predictRow([1, 2])).toThrow(/expected 8/);
    expect(() => model.predictRow(new Array(8).fill(0), new Float32Array(1))).toThrow(/expected 4/);
  });
});
