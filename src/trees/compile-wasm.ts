import { compactLayout, type CompactLayout } from './compact-layout.js';
import { completeLayout, type CompleteLayout } from './complete-layout.js';
import { codeGenerationPolicy, noteCodeGenerationRefused } from './code-generation.js';
import type { TreeRange } from './predict.js';
import type { TreeEnsemble } from './types.js';
import { CodeBuilder, encodeModule, F32, F64, I32, Op, type ValueType, type WasmFunction } from '../wasm/encode.js';
import { compileModule, createMemory, instantiateModule, wasmAvailable, type WasmMemory, type WasmModule } from '../wasm/runtime.js';

/**
 * Scores rows with WebAssembly; see {@link compileWasmRowScorer}.
 *
 * @example
 * const margins = initialMargins(ensemble, numRows);
 * compileWasmRowScorer(ensemble)?.addRows(rows, numRows, margins); // = predictMargins(ensemble, rows, numRows)
 */
export interface WasmRowScorer {
  /** Adds every tree into `out` (length numOutputs, holding the base margins on entry). Allocates nothing. */
  addRow(row: Float32Array, out: Float64Array): void;
  /**
   * Adds every tree into `out` (`numRows × numOutputs`, row-major, holding the margins so
   * far) for `numRows` rows of `rows`, a block of rows at a time. Allocates nothing.
   */
  addRows(rows: Float32Array, numRows: number, out: Float64Array): void;
  /** How many trees walk the complete (padded, heap-order) layout and how many the compact one. */
  readonly trees: { readonly complete: number; readonly compact: number };
}

/** Trees per generated function: a size TurboFan compiles quickly, and a failed tier-up costs little. */
const TREES_PER_FUNCTION = 64;
/**
 * Node and leaf bytes per generated function, so they stay in L2 while a block of rows runs
 * through them. On the lossguide model (100 trees of 509 nodes, 8 KB each) 128 KB chunks ran
 * 20.6 ns per row·tree against 43.7 with 64 trees per chunk (A/B in one process, load
 * average 5); the other shapes were within the noise of that machine.
 */
const CHUNK_BYTES = 128 * 1024;
/** Trees walked side by side in the generated code. */
const SIDE_BY_SIDE = 12;
const PAGE = 65536;
/**
 * Rows per batch call: each chunk's code and nodes stay hot over the block, whose rows stay in L1/L2.
 *
 * @example
 * Math.ceil(1000 / WASM_BLOCK_ROWS) // => 8 calls into the module for 1,000 rows
 */
export const WASM_BLOCK_ROWS = 128;
/**
 * Steps every compact tree takes without a test; deeper trees finish in a loop that stops at
 * the leaf. Idle steps below shallow leaves cost less than the loop's mispredicted exit: on
 * the lossguide benchmark model (depth 16, leaves reached at depth 9.3 on average) all 16
 * steps fixed ran 32 ns per row·tree, a loop after 12, 10, 8 or 6 steps 39.5, 39.5, 38 and
 * 60 ns (A/B in one process, load average 9).
 */
const FIXED_STEPS = 32;

/**
 * @internal Tuning knobs of {@link compileWasmRowScorer}, for tests and benchmarks.
 *
 * @example
 * compileWasmRowScorer(ensemble, {}, { fixedSteps: 4, chunkBytes: 0 }); // loops below level 4, one tree per function
 */
export interface WasmScorerTuning {
  /** Steps a compact tree walks before it finishes in a loop (default 32). */
  fixedSteps?: number;
  /** Node and leaf bytes per generated function at most (default {@link CHUNK_BYTES}), besides the 64-tree limit. */
  chunkBytes?: number;
}

/**
 * Every tree as WebAssembly, generated when the model loads: the same float32 decisions and
 * float32 sums as the JavaScript chunks, bit for bit, with the row at a constant address (one
 * row) or a moving one (batches) and no bounds checks, which V8 cannot drop from JavaScript.
 * Trees the complete layout takes (see `completeLayout`) descend its padded heap order; all
 * others (sparse, lopsided, deep, with category splits or odd thresholds) walk the compact
 * layout (see `compactLayout`), also branch-free, with category bit sets and missing values
 * inside the walk. Within a function, a dozen trees descend side by side, as independent
 * chains that hide each other's load latency.
 *
 * The module is assembled from TypeScript at run time (no `.wasm` file ships). Returns null
 * for vector leaves, when WebAssembly is unavailable or forbidden (a Content-Security-Policy
 * without 'wasm-unsafe-eval'), or for an empty range. `range` limits it to trees
 * [treeBegin, treeEnd) (default all), e.g. an early-stopped model's best rounds.
 *
 * @example
 * const scorer = compileWasmRowScorer(ensemble);
 * const margins = Float64Array.from(ensemble.baseMargin);
 * scorer?.addRow(row, margins); // margins now equal predictMargins(ensemble, row, 1)
 */
export function compileWasmRowScorer(ensemble: TreeEnsemble, range: TreeRange = {}, tuning: WasmScorerTuning = {}): WasmRowScorer | null {
  return whereAllowed(ensemble, range, (begin, end) => build(ensemble, begin, end, tuning));
}

/**
 * `make(begin, end)` for the trees `range` selects, or null where WebAssembly cannot be used:
 * missing, an empty or invalid range, vector leaves, or compiling forbidden. A policy that
 * can be read is asked first (trying would only file a violation report), and a refusal met
 * while compiling is remembered.
 */
function whereAllowed<T>(ensemble: TreeEnsemble, range: TreeRange, make: (begin: number, end: number) => T | null): T | null {
  const begin = range.treeBegin ?? 0;
  const end = range.treeEnd ?? ensemble.numTrees;
  if (!wasmAvailable() || !(begin >= 0 && begin < end && end <= ensemble.numTrees) || ensemble.leafWidth !== 1) return null;
  if (codeGenerationPolicy().webassembly === false) return null;
  try {
    return make(begin, end);
  } catch (error) {
    if (/unsafe-eval|content.security.policy|disallowed/i.test(error instanceof Error ? error.message : '')) noteCodeGenerationRefused('webassembly');
    return null;
  }
}

/** Byte addresses of the memory's regions, baked into the code as load offsets. */
interface Regions {
  /** Bytes per row: its 2 × numFeatures split keys, then (when some node needs them) its numFeatures raw float32 values. */
  stride: number;
  outAt: number;
  bitsAt: number;
  nodesAt: number;
  leavesAt: number;
  recordsAt: number;
  compactLeavesAt: number;
}

/**
 * Where a block of rows goes in the scorer's memory and what is written for each row:
 * everything {@link fillBlock} and {@link addBlocks} need, plain data a worker can receive.
 */
export interface WasmBlockLayout {
  readonly numFeatures: number;
  readonly numOutputs: number;
  /** 32-bit words per row in the block. */
  readonly words: number;
  /** Byte address of the block's margins. */
  readonly outAt: number;
  /** Whether each row also carries its raw float32 values (some tree tests them directly). */
  readonly rawValues: boolean;
  /** Features that get 64-bit category masks. */
  readonly maskFeatures: readonly number[];
  readonly blockRows: number;
}

/**
 * A scorer as parts that can be sent to a worker thread: the compiled module, a copy of
 * the memory it was built with (nodes, leaves, category bits), and the block layout. A
 * worker instantiates the module over a fresh memory holding those bytes and runs
 * {@link addBlocks}; the sums are the same bits as on the thread that built it.
 */
export interface PortableWasmScorer {
  readonly module: WasmModule;
  readonly memory: ArrayBuffer;
  readonly pages: number;
  readonly layout: WasmBlockLayout;
  /** The trees it scores: [begin, end). */
  readonly begin: number;
  readonly end: number;
}

/**
 * {@link compileWasmRowScorer}'s module and memory for a worker pool, or null where it
 * cannot be built (as for {@link compileWasmRowScorer}).
 *
 * @example
 * const portable = portableWasmScorer(ensemble); // post it in workerData
 */
export function portableWasmScorer(ensemble: TreeEnsemble, range: TreeRange = {}): PortableWasmScorer | null {
  return whereAllowed(ensemble, range, (begin, end) => {
    const parts = assemble(ensemble, begin, end, {});
    return parts && { module: parts.module, memory: parts.memory.buffer.slice(0), pages: parts.pages, layout: parts.layout, begin, end };
  });
}

function build(ensemble: TreeEnsemble, begin: number, end: number, tuning: WasmScorerTuning): WasmRowScorer | null {
  const parts = assemble(ensemble, begin, end, tuning);
  if (parts === null) return null;
  const { layout, memory } = parts;
  const exports = instantiateModule(parts.module, memory);
  const runRow = exports.row as () => void;
  const runBlock = exports.block as (n: number) => void;
  const keys = new Int32Array(memory.buffer, 0, layout.blockRows * layout.words);
  const floats = new Float32Array(memory.buffer, 0, layout.blockRows * layout.words);
  const margins = new Float64Array(memory.buffer, layout.outAt, layout.blockRows * layout.numOutputs);
  const numOutputs = layout.numOutputs;
  return {
    trees: parts.trees,
    addRow(row, out) {
      fillBlock(layout, row, 0, 1, keys, floats);
      for (let k = 0; k < numOutputs; k++) margins[k] = out[k];
      runRow();
      for (let k = 0; k < numOutputs; k++) out[k] = margins[k];
    },
    addRows(rows, numRows, out) {
      addBlocks(layout, rows, numRows, out, { keys, floats, margins, run: runBlock, fill: fillBlock });
    },
  };
}

/**
 * Rows [first, first + count) of `rows` into the block (`keys` and `floats` view the same
 * bytes): each row's split keys as `splitMissing` lays them out, then its raw values, then
 * its category masks. Reads nothing but its arguments, so a worker can run its source text.
 *
 * @example
 * fillBlock(layout, rows, 0, 128, keys, floats); // then call the module's block(128)
 */
export function fillBlock(layout: WasmBlockLayout, rows: Float32Array, first: number, count: number, keys: Int32Array, floats: Float32Array): void {
  const INFINITY_KEY = 0x7f800000;
  const numFeatures = layout.numFeatures;
  const words = layout.words;
  const maskFeatures = layout.maskFeatures;
  for (let r = 0; r < count; r++) {
    const src = (first + r) * numFeatures;
    const low = r * words;
    const high = low + numFeatures;
    for (let j = 0; j < numFeatures; j++) {
      const x = rows[src + j];
      if (x === x) {
        floats[low + j] = x;
        const bits = keys[low + j];
        const key = bits < 0 ? -(bits & 0x7fffffff) | 0 : bits;
        keys[low + j] = key;
        keys[high + j] = key;
      } else {
        keys[low + j] = -INFINITY_KEY;
        keys[high + j] = INFINITY_KEY;
      }
    }
    if (layout.rawValues) for (let j = 0, d = high + numFeatures; j < numFeatures; j++) floats[d + j] = rows[src + j];
    // 64-bit category masks (low word, high word): 1 << c for c in [0, 64), else 0; NaN as 0, then as all ones.
    for (let i = 0; i < maskFeatures.length; i++) {
      const f = maskFeatures[i];
      const x = rows[src + f];
      const lo = x >= 0 && x < 32 ? 1 << x : 0;
      const hi = x >= 32 && x < 64 ? 1 << (x - 32) : 0;
      const m = low + 3 * numFeatures + 2 * f;
      const nan = x !== x;
      keys[m] = lo;
      keys[m + 1] = hi;
      keys[m + 2 * numFeatures] = nan ? -1 : lo;
      keys[m + 2 * numFeatures + 1] = nan ? -1 : hi;
    }
  }
}

/** An instantiated scorer's block: views of its memory, its `block(count)` export, and {@link fillBlock}. */
export interface WasmBlock {
  readonly keys: Int32Array;
  readonly floats: Float32Array;
  readonly margins: Float64Array;
  readonly run: (count: number) => void;
  readonly fill: typeof fillBlock;
}

/**
 * Adds the scorer's trees into `out` (`numRows × numOutputs`, holding the margins so far)
 * a block at a time: fill, margins in, `block(count)`, margins out. Reads nothing but its
 * arguments, so a worker can run its source text.
 *
 * @example
 * addBlocks(layout, rows, numRows, out, { keys, floats, margins, run: exports.block, fill: fillBlock });
 */
export function addBlocks(layout: WasmBlockLayout, rows: Float32Array, numRows: number, out: Float64Array, block: WasmBlock): void {
  const numOutputs = layout.numOutputs;
  const margins = block.margins;
  for (let first = 0; first < numRows; first += layout.blockRows) {
    const count = Math.min(layout.blockRows, numRows - first);
    block.fill(layout, rows, first, count, block.keys, block.floats);
    const o = first * numOutputs;
    const m = count * numOutputs;
    for (let k = 0; k < m; k++) margins[k] = out[o + k];
    block.run(count);
    for (let k = 0; k < m; k++) out[o + k] = margins[k];
  }
}

/** The module, its memory and block layout for trees [begin, end); null when some tree fits no layout. */
function assemble(
  ensemble: TreeEnsemble,
  begin: number,
  end: number,
  tuning: WasmScorerTuning,
): { module: WasmModule; memory: WasmMemory; pages: number; layout: WasmBlockLayout; trees: { complete: number; compact: number } } | null {
  const fixedSteps = tuning.fixedSteps ?? FIXED_STEPS;
  const { numFeatures, numOutputs, numTrees } = ensemble;
  const layout = completeLayout(ensemble);
  // Row: split keys, then raw float32 values (slow trees), then category masks (mask trees).
  const compact = compactLayout(ensemble, begin, end, (t) => layout.depth[t] < 0, (f) => 8 * numFeatures + 4 * f, (f) => 12 * numFeatures + 8 * f);
  let raw = false;
  let masks = false;
  for (let t = begin; t < end; t++) {
    if (compact.mode[t] === 1) raw = true;
    if (compact.mode[t] === 2) masks = true;
  }
  const stride = align8(4 * (masks ? 7 : raw ? 3 : 2) * numFeatures);
  const maskFeatures = masks ? [...new Set(Array.from(ensemble.feature).filter((f, node) => f >= 0 && ensemble.categorySlot[node] >= 0))] : [];
  const outAt = WASM_BLOCK_ROWS * stride;
  const bitsAt = outAt + 8 * WASM_BLOCK_ROWS * numOutputs;
  const nodesAt = align8(bitsAt + 4 * ensemble.categoryBits.length + 4);
  let completeTrees = 0;
  for (let t = begin; t < end; t++) {
    if (layout.depth[t] >= 0) completeTrees++;
    else if (compact.depth[t] < 0) return null;
  }
  const numNodes = layout.nodeBase[numTrees];
  const leafF32 = layout.leaves instanceof Float32Array;
  const leafBytes = leafF32 ? 4 : 8;
  // A depth-d tree owns 2^d − 1 node records (8 bytes each) before the leaves, so the
  // constant offset `leaves + leafBytes·(leafBase − (2^d − 1))` is never negative.
  const leavesAt = nodesAt + 8 * numNodes;
  // (8-aligned: nodesAt is, and node records are 8 bytes.)
  const recordsAt = align8(leavesAt + leafBytes * layout.leaves.length);
  const compactLeavesAt = recordsAt + 4 * compact.records.length;
  const pages = Math.ceil((compactLeavesAt + leafBytes * compact.leaves.length) / PAGE);
  const memory = createMemory(pages);
  new Uint32Array(memory.buffer, bitsAt, ensemble.categoryBits.length).set(ensemble.categoryBits);
  const nodes = new Int32Array(memory.buffer, nodesAt, 2 * numNodes);
  for (let s = 0; s < numNodes; s++) {
    nodes[2 * s] = 4 * layout.words[s];
    nodes[2 * s + 1] = layout.thresholds[s];
  }
  if (leafF32) new Float32Array(memory.buffer, leavesAt, layout.leaves.length).set(layout.leaves);
  else new Float64Array(memory.buffer, leavesAt, layout.leaves.length).set(layout.leaves);
  new Int32Array(memory.buffer, recordsAt, compact.records.length).set(compact.records);
  if (leafF32) new Float32Array(memory.buffer, compactLeavesAt, compact.leaves.length).set(compact.leaves);
  else new Float64Array(memory.buffer, compactLeavesAt, compact.leaves.length).set(compact.leaves);

  const at: Regions = { stride, outAt, bitsAt, nodesAt, leavesAt, recordsAt, compactLeavesAt };
  const functions: WasmFunction[] = [];
  const rowRun = new CodeBuilder();
  const blockRun = new CodeBuilder();
  const chunkBytes = tuning.chunkBytes ?? CHUNK_BYTES;
  for (let t = begin, chunkEnd = t; t < end; t = chunkEnd) {
    // Up to 64 trees, fewer when their nodes would not stay in cache while a block of rows runs through them.
    let bytes = 0;
    chunkEnd = t;
    while (chunkEnd < end && chunkEnd - t < TREES_PER_FUNCTION) {
      const d = layout.depth[chunkEnd];
      const size = d >= 0 ? (8 + leafBytes) * 2 ** d : (16 + leafBytes) * (compact.recordBase[chunkEnd + 1] - compact.recordBase[chunkEnd]);
      if (chunkEnd > t && bytes + size > chunkBytes) break;
      bytes += size;
      chunkEnd++;
    }
    rowRun.call(functions.length);
    functions.push(chunkFunction(ensemble, layout, compact, t, chunkEnd, at, false, fixedSteps));
    blockRun.localGet(0).call(functions.length);
    functions.push(chunkFunction(ensemble, layout, compact, t, chunkEnd, at, true, fixedSteps));
  }
  functions.push({ params: [], results: [], locals: [], body: rowRun.bytes, exportAs: 'row' });
  functions.push({ params: [I32], results: [], locals: [], body: blockRun.bytes, exportAs: 'block' });
  const block: WasmBlockLayout = { numFeatures, numOutputs, words: stride >> 2, outAt, rawValues: raw || masks, maskFeatures, blockRows: WASM_BLOCK_ROWS };
  return { module: compileModule(encodeModule(functions, pages)), memory, pages, layout: block, trees: { complete: completeTrees, compact: end - begin - completeTrees } };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Trees [begin, end) as one function, for one row at address 0 (`block` false) or for a
 * block of rows (`block`: the row count is parameter 0, rows and margins advance by their
 * strides). Each output's sum lives in a local. Complete-layout trees keep their position
 * as the byte offset `a = 8i` of their node record (saves V8 a register and a shift per
 * step: about 10% on depth 8); compact trees as the byte offset of their 16-byte record.
 */
function chunkFunction(
  ensemble: TreeEnsemble,
  layout: CompleteLayout,
  compact: CompactLayout,
  begin: number,
  end: number,
  at: Regions,
  block: boolean,
  fixedSteps: number,
): WasmFunction {
  const f32 = ensemble.accumulate === 'float32';
  const leafF32 = layout.leaves instanceof Float32Array;
  const outputs = [...new Set(ensemble.treeOutput.subarray(begin, end))].sort((a, b) => a - b);
  const sumOf = new Map(outputs.map((k, j) => [k, j]));
  // Locals: [n (block only)] sums, positions, then row, out, x, kind, inRange, category.
  const first = block ? 1 : 0;
  const firstSum = first;
  const firstPosition = firstSum + outputs.length;
  const row = firstPosition + SIDE_BY_SIDE;
  const outp = row + 1;
  const xLocal = row + 2;
  const kindLocal = row + 3;
  const inRange = row + 4;
  const category = row + 5;
  const previous = row + 6;
  const locals: ValueType[] = [
    ...outputs.map((): ValueType => F64),
    ...Array.from({ length: SIDE_BY_SIDE }, (): ValueType => I32),
    I32, I32, F32, I32, I32, I32, I32,
  ];
  const code = new CodeBuilder();
  /** Pushes the address the row's word at offset `word` (on the stack) sits at: + row in blocks. */
  const rowAddress = (): void => {
    if (block) code.localGet(row).op(Op.i32Add);
  };
  const outAddress = (): CodeBuilder => (block ? code.localGet(outp) : code.i32Const(0));
  const sumSlot = (k: number): number => (block ? 8 * k : at.outAt + 8 * k);
  if (block) code.i32Const(0).localSet(row).i32Const(at.outAt).localSet(outp).loop();
  for (const k of outputs) outAddress().f64Load(sumSlot(k)).localSet(firstSum + sumOf.get(k)!);

  /** Adds the leaf of tree t whose record sits at byte offset `a` (records of 2^recordShift bytes). */
  const addLeaf = (t: number, a: number, leafOffset: number, recordShift: number): void => {
    const s = firstSum + sumOf.get(ensemble.treeOutput[t])!;
    code.localGet(s).localGet(a);
    const shift = recordShift - (leafF32 ? 2 : 3);
    if (shift > 0) code.i32Const(shift).op(Op.i32ShrU);
    if (leafF32) code.f32Load(leafOffset).op(Op.f64PromoteF32);
    else code.f64Load(leafOffset);
    // Exactly the JavaScript `s = fround(s + leaf)`: a double sum rounded to float32.
    code.op(Op.f64Add);
    if (f32) code.op(Op.f32DemoteF64).op(Op.f64PromoteF32);
    code.localSet(s);
  };

  for (let g = begin; g < end; ) {
    const complete = layout.depth[g] >= 0;
    const depth = complete ? layout.depth[g] : compact.depth[g];
    let size = 1;
    while (size < SIDE_BY_SIDE && g + size < end && (complete ? layout.depth[g + size] === depth : layout.depth[g + size] < 0)) size++;
    if (complete) {
      for (let j = 0; j < size; j++) {
        const a = firstPosition + j;
        const root = layout.nodeBase[g + j];
        // a = 8 + 8·(row[key] >= threshold), with the root's key offset and threshold as constants.
        if (depth === 0) code.i32Const(0).localSet(a);
        else {
          if (block) code.localGet(row);
          else code.i32Const(0);
          code.i32Load(4 * layout.words[root]).i32Const(layout.thresholds[root]).op(Op.i32GeS).i32Const(3).op(Op.i32Shl).i32Const(8).op(Op.i32Add).localSet(a);
        }
      }
      for (let level = 1; level < depth; level++) {
        for (let j = 0; j < size; j++) {
          const a = firstPosition + j;
          const record = at.nodesAt + 8 * layout.nodeBase[g + j];
          // a = 2a + 8 + 8·(row[key offset] >= threshold), the record (key offset, threshold) at record + a.
          code.localGet(a).i32Load(record);
          rowAddress();
          code.i32Load(0).localGet(a).i32Load(record + 4).op(Op.i32GeS).i32Const(3).op(Op.i32Shl);
          code.localGet(a).localGet(a).op(Op.i32Add).op(Op.i32Add).i32Const(8).op(Op.i32Add).localSet(a);
        }
      }
      for (let j = 0; j < size; j++) {
        const leafBytes = leafF32 ? 4 : 8;
        // The leaf of slot i = a / 8 sits at offset + i·leafBytes.
        addLeaf(g + j, firstPosition + j, at.leavesAt + leafBytes * (layout.leafBase[g + j] - (2 ** depth - 1)), 3);
      }
    } else {
      const records = compact.records;
      let deepest = 0;
      for (let j = 0; j < size; j++) deepest = Math.max(deepest, compact.depth[g + j]);
      for (let j = 0; j < size; j++) {
        const a = firstPosition + j;
        const r = 4 * compact.recordBase[g + j];
        if (compact.depth[g + j] === 0 || records[r + 2] !== 0 || (records[r] & 1) !== 0) code.i32Const(0).localSet(a);
        else {
          // The root's step with its word, threshold and children as constants.
          if (block) code.localGet(row);
          else code.i32Const(0);
          code.i32Load(records[r]).i32Const(records[r + 1]).op(Op.i32GeS).i32Const(4).op(Op.i32Shl).i32Const(records[r + 3]).op(Op.i32Add).localSet(a);
        }
      }
      // Level by level, each tree walks its own depth (the root's step done above unless it is
      // special), side by side; trees deeper than `fixedSteps` finish in a loop that stops at the leaf.
      const temps = { rowAddress, xLocal, kindLocal, inRange, category, bitsAt: at.bitsAt };
      for (let level = 0; level < Math.min(deepest, fixedSteps); level++) {
        for (let j = 0; j < size; j++) {
          const t = g + j;
          const r = 4 * compact.recordBase[t];
          const rootDone = records[r + 2] === 0 && (records[r] & 1) === 0 ? 1 : 0;
          if (level < rootDone || level >= compact.depth[t]) continue;
          const special = (compact.specialLevels[t] >>> Math.min(31, level)) & 1;
          compactStep(code, firstPosition + j, at.recordsAt + 16 * compact.recordBase[t], special ? compact.mode[t] : 0, temps);
        }
      }
      for (let j = 0; j < size; j++) {
        const t = g + j;
        if (compact.depth[t] <= fixedSteps) continue;
        // A leaf leads to itself: step until the position stops changing.
        const a = firstPosition + j;
        code.loop().localGet(a).localSet(previous);
        compactStep(code, a, at.recordsAt + 16 * compact.recordBase[t], compact.mode[t], temps);
        code.localGet(a).localGet(previous).op(Op.i32Ne).brIf(0).end();
      }
      for (let j = 0; j < size; j++) {
        const leafBytes = leafF32 ? 4 : 8;
        // The leaf of record i = a / 16 sits at offset + i·leafBytes.
        addLeaf(g + j, firstPosition + j, at.compactLeavesAt + leafBytes * compact.recordBase[g + j], 4);
      }
    }
    g += size;
  }
  for (const k of outputs) outAddress().localGet(firstSum + sumOf.get(k)!).f64Store(sumSlot(k));
  if (block) {
    code.localGet(row).i32Const(at.stride).op(Op.i32Add).localSet(row);
    code.localGet(outp).i32Const(8 * ensemble.numOutputs).op(Op.i32Add).localSet(outp);
    code.localGet(0).i32Const(1).op(Op.i32Sub).localTee(0).brIf(0).end();
  }
  return { params: block ? [I32] : [], results: [], locals, body: code.bytes };
}

/**
 * One step of a compact-layout walk: `a = child(a) + 16·goRight`, where record `a` sits at
 * `base + a`. Mask trees (`mode` 2) compute the key compare and the category-mask test and
 * select by the word's low bit. Slow trees (`mode` 1) branch on the kind to the raw-value
 * tests: a float compare or a category bit, NaN taking the default child.
 */
function compactStep(
  code: CodeBuilder,
  a: number,
  base: number,
  mode: number,
  l: { rowAddress: () => void; xLocal: number; kindLocal: number; inRange: number; category: number; bitsAt: number },
): void {
  const keyCompare = (): void => {
    code.localGet(a).i32Load(base);
    l.rowAddress();
    code.i32Load(0).localGet(a).i32Load(base + 4).op(Op.i32GeS);
  };
  if (mode === 0) keyCompare();
  else if (mode === 2) {
    // select((mask & set) !== 0, key >= threshold, word & 1): both tests, no branch.
    code.localGet(a).i32Load(base).localTee(l.kindLocal);
    l.rowAddress();
    code.localTee(l.category).i64Load(1).localGet(a).i64Load(base + 4).op(Op.i64And).op(Op.i64Eqz).op(Op.i32Eqz);
    code.localGet(l.category).i32Load(0).localGet(a).i32Load(base + 4).op(Op.i32GeS);
    code.localGet(l.kindLocal).i32Const(1).op(Op.i32And).op(Op.select);
  } else {
    code.localGet(a).i32Load(base + 8).localTee(l.kindLocal).ifI32();
    // x: the raw float32 value.
    code.localGet(a).i32Load(base);
    l.rowAddress();
    code.f32Load(0).localSet(l.xLocal);
    // select(defaultRight, goRight, isNaN)
    code.localGet(l.kindLocal).i32Const(1).op(Op.i32ShrU).i32Const(1).op(Op.i32And);
    code.localGet(l.kindLocal).i32Const(4).op(Op.i32And).ifI32();
    // Float compare: right unless x < threshold.
    code.localGet(l.xLocal).localGet(a).f32Load(base + 4).op(Op.f32Lt).op(Op.i32Eqz);
    code.else();
    // Category test: right when 0 <= x < bits and bit trunc(x) is set (XGBoost's rule, as `inCategorySet`).
    code.localGet(l.xLocal).f32Const(0).op(Op.f32Ge);
    code.localGet(l.xLocal).localGet(l.kindLocal).i32Const(3).op(Op.i32ShrU).op(Op.f32ConvertI32U).op(Op.f32Lt);
    code.op(Op.i32And).localSet(l.inRange);
    code.localGet(l.xLocal).i32TruncSatF32U().i32Const(0).localGet(l.inRange).op(Op.select).localSet(l.category);
    code.localGet(a).i32Load(base + 4).localGet(l.category).i32Const(5).op(Op.i32ShrU).i32Const(2).op(Op.i32Shl).op(Op.i32Add).i32Load(l.bitsAt);
    code.localGet(l.category).op(Op.i32ShrU).localGet(l.inRange).op(Op.i32And);
    code.end();
    code.localGet(l.xLocal).localGet(l.xLocal).op(Op.f32Ne).op(Op.select);
    code.else();
    keyCompare();
    code.end();
  }
  code.i32Const(4).op(Op.i32Shl).localGet(a).i32Load(base + 12).op(Op.i32Add).localSet(a);
}
