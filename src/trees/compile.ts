import { completeLayout, splitMissing, type CompleteLayout, type SplitRows } from './complete-layout.js';
import { codeGenerationPolicy, noteCodeGenerationRefused } from './code-generation.js';
import { compileWasmRowScorer } from './compile-wasm.js';
import { accumulateTrees, checkRows, initialMargins, resolveRange, type TreeRange } from './predict.js';
import type { TreeEnsemble } from './types.js';

/** Options for {@link compileEnsemble}. */
export interface CompileOptions {
  /**
   * Node budget per generated function. V8 stops optimising functions whose bytecode
   * passes about 60 KB; one node costs roughly 15 bytes, so the default stays well under.
   */
  maxNodesPerFunction?: number;
  /**
   * The trees that `predictRowInto` scores with WebAssembly when it is asked for exactly
   * these (default: all); any other range runs the JavaScript chunks, with the same bits.
   */
  rowRange?: TreeRange;
  /**
   * What scores batches over the `rowRange` trees: `'auto'` (default) chooses WebAssembly
   * where it can be used (see {@link chooseBatchEngine}), `'javascript'` always runs the
   * generated JavaScript. Both give the same bits.
   */
  batchEngine?: 'auto' | 'javascript';
}

/**
 * One group of consecutive trees: compiled into `source` (the body of a function of
 * `bits, w, th, lf` returning a {@link ChunkFunction} or, when `perRow`, a
 * {@link RowChunkFunction}), or interpreted when `source` is null (a tree too large or
 * too deep to compile well).
 */
export interface TreeChunk {
  readonly begin: number;
  readonly end: number;
  readonly source: string | null;
  /** True when the code walks complete-layout trees, one split row per call. */
  readonly perRow: boolean;
}

/** A chunk's compiled code over `n` rows of `x`: adds its trees into `out` (`n × numOutputs`). */
export type ChunkFunction = (x: Float32Array, n: number, out: Float64Array) => void;

/**
 * A complete-layout chunk's compiled code for one row: `keys` holds the row as
 * `splitMissing` lays it out, and the chunk's trees add into `out[o + k]`.
 */
export type RowChunkFunction = (keys: Int32Array, out: Float64Array, o: number) => void;

/**
 * An ensemble with its trees compiled to JavaScript. Gives bit-identical results to
 * the interpreter (`predictMargins`), typically several times faster.
 */
export interface CompiledPredictor {
  readonly ensemble: TreeEnsemble;
  /** Same contract as `predictMargins`. */
  predictMargins(rows: Float32Array, numRows: number, range?: TreeRange): Float64Array;
  /** Adds trees [begin, end) into `out` (`numRows × numOutputs`) without allocating. */
  accumulate(rows: Float32Array, numRows: number, out: Float64Array, begin: number, end: number): void;
  /** What scores one row over the `rowRange` trees: WebAssembly, the generated JavaScript, or the interpreter. */
  readonly rowEngine: 'webassembly' | 'javascript' | 'interpreter';
  /** What scores a batch over the `rowRange` trees (other ranges run the JavaScript or the interpreter). */
  readonly batchEngine: 'webassembly' | 'javascript' | 'interpreter';
  /** One row's margins over the trees `range` selects (default all) into `out` (length numOutputs); allocates nothing. */
  predictRowInto(row: Float32Array, out: Float64Array, range?: TreeRange): void;
}

const DEFAULT_MAX_NODES = 800;
/** Complete-layout trees per generated function: 8 groups of 8 stay far under V8's limit even at depth 10. */
const COMPLETE_TREES_PER_FUNCTION = 64;
const BLOCK_BYTES = 512 * 1024;
/** Split rows per block: 256 measured faster than 64 or 128 on the 600-tree models, and each row needs a view. */
const SPLIT_BLOCK_ROWS = 256;

/**
 * @internal Rows per batch block for compiled chunks: about 512 KB of input, which stays in
 * L2 while every chunk runs over it, and 256 rows when per-row chunks need split rows
 * (each block row gets its own view, made once). The worker pool uses the same blocks.
 *
 * @example
 * batchBlockRows(20, true) // => 256
 */
export function batchBlockRows(numFeatures: number, perRow: boolean): number {
  return perRow ? SPLIT_BLOCK_ROWS : Math.max(64, Math.min(8192, Math.floor(BLOCK_BYTES / (4 * Math.max(1, numFeatures)))));
}
/** Deeper trees would nest `if`s too far for the parser and gain little from compiling. */
const MAX_COMPILED_DEPTH = 48;

/** Shortest JavaScript literal for a double, keeping the sign of zero. */
function literal(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (v === Infinity) return '(1/0)';
  if (v === -Infinity) return '(-1/0)';
  if (v !== v) return '(0/0)';
  return String(v);
}

/** Depth of the tree rooted at `root` (a lone leaf has depth 0), stopping early past `limit`. */
function treeDepth(ensemble: TreeEnsemble, root: number, limit: number): number {
  const { left, right, feature } = ensemble;
  let max = 0;
  const stack = [root, 0];
  while (stack.length > 0) {
    const d = stack.pop()!;
    const node = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (feature[node] >= 0) stack.push(left[node], d + 1, right[node], d + 1);
  }
  return max;
}

/** Nodes reachable from the root (unreachable, deleted nodes don't count). */
function reachableNodes(ensemble: TreeEnsemble, root: number): number {
  const { left, right, feature } = ensemble;
  let count = 0;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    if (feature[node] >= 0) stack.push(left[node], right[node]);
  }
  return count;
}

/**
 * Splits the trees into chunks of at most `maxNodes` nodes and generates each chunk's
 * source. Chunks prefer to end on boosting-round boundaries, so an `iterationRange`
 * usually runs on compiled code only.
 *
 * @example
 * const chunks = planChunks(ensemble);
 * chunks[0].source; // 'const fr=Math.fround;return function(x,n,out){...}'
 */
export function planChunks(ensemble: TreeEnsemble, options: CompileOptions = {}): TreeChunk[] {
  const maxNodes = options.maxNodesPerFunction ?? DEFAULT_MAX_NODES;
  const roundEnds = new Set<number>(ensemble.iterationIndptr);
  const chunks: TreeChunk[] = [];
  const sizes: number[] = [];
  const compilable: boolean[] = [];
  for (let t = 0; t < ensemble.numTrees; t++) {
    const root = ensemble.treeStart[t];
    const size = reachableNodes(ensemble, root);
    sizes.push(size);
    compilable.push(size <= maxNodes && treeDepth(ensemble, root, MAX_COMPILED_DEPTH) <= MAX_COMPILED_DEPTH);
  }
  const layout = completeLayout(ensemble);
  let t = 0;
  while (t < ensemble.numTrees) {
    if (layout.depth[t] >= 0) {
      // Groups of eight, and lone trees in the layout (such as the last few), in one function.
      let end = t;
      while (end < ensemble.numTrees && end - t < COMPLETE_TREES_PER_FUNCTION && layout.depth[end] >= 0) end += layout.groupOf8[end] === 8 ? 8 : 1;
      chunks.push({ begin: t, end, source: generateCompleteChunk(ensemble, layout, t, end), perRow: true });
      t = end;
      continue;
    }
    if (!compilable[t]) {
      chunks.push({ begin: t, end: t + 1, source: null, perRow: false });
      t++;
      continue;
    }
    let end = t;
    let nodes = 0;
    let lastRoundEnd = -1;
    while (end < ensemble.numTrees && compilable[end] && layout.depth[end] < 0 && nodes + sizes[end] <= maxNodes) {
      nodes += sizes[end];
      end++;
      if (roundEnds.has(end)) lastRoundEnd = end;
    }
    // Cut at the last round boundary inside the chunk when that keeps it at least half full.
    if (end < ensemble.numTrees && lastRoundEnd > t) {
      let kept = 0;
      for (let k = t; k < lastRoundEnd; k++) kept += sizes[k];
      if (kept * 2 >= nodes) end = lastRoundEnd;
    }
    chunks.push({ begin: t, end, source: generateChunk(ensemble, t, end), perRow: false });
    t = end;
  }
  return chunks;
}

/**
 * The source of one chunk: a loop over rows, and for each row every tree of the chunk
 * as nested `if`s on constant float32 thresholds, adding leaves to per-output locals.
 */
function generateChunk(ensemble: TreeEnsemble, begin: number, end: number): string {
  const { numFeatures, numOutputs, leafWidth, treeOutput, feature, treeStart } = ensemble;
  const f32 = ensemble.accumulate === 'float32';
  const outputs = new Set<number>();
  const features = new Set<number>();
  for (let t = begin; t < end; t++) {
    if (leafWidth > 1) for (let k = 0; k < leafWidth; k++) outputs.add(k);
    else outputs.add(treeOutput[t]);
    for (let node = treeStart[t]; node < treeStart[t + 1]; node++) if (feature[node] >= 0) features.add(feature[node]);
  }
  const outs = [...outputs].sort((a, b) => a - b);
  const parts: string[] = [];
  parts.push('const fr=Math.fround;return function(x,n,out){');
  parts.push(`for(let r=0,b=0,o=0;r<n;r++,b+=${numFeatures},o+=${numOutputs}){let v=0;`);
  // Every feature the chunk reads is loaded once per row, so the branches hold only comparisons.
  if (features.size > 0) parts.push(`const ${[...features].sort((a, b) => a - b).map((f) => `x${f}=x[b+${f}]`).join(',')};`);
  parts.push(`let ${outs.map((k) => `s${k}=out[o+${k}]`).join(',')};`);
  for (let t = begin; t < end; t++) {
    if (leafWidth === 1) {
      // Leaves only set v, so each one compiles to a constant; one addition per tree follows.
      emitTree(ensemble, treeStart[t], (node) => `v=${literal(ensemble.leafValues[node])};`, parts);
      const k = treeOutput[t];
      parts.push(f32 ? `s${k}=fr(s${k}+v);` : `s${k}+=v;`);
    } else {
      emitTree(ensemble, treeStart[t], (node) => vectorLeaf(ensemble, node, f32), parts);
    }
  }
  parts.push(outs.map((k) => `out[o+${k}]=s${k};`).join(''));
  parts.push('}};');
  return parts.join('');
}

/**
 * The source of a chunk of complete-layout trees for one row, eight trees at a time (lone
 * trees of the layout one at a time): each
 * tree's descent is straight-line arithmetic (`i = 2i + 1 + (key >= threshold)`), unrolled
 * to its depth, with the root's feature and threshold as constants. No branch depends on
 * the data. One row per call, because the row's keys at a constant offset (0) make each
 * step about 40% cheaper than a loop over rows with a moving offset, in batches too.
 */
function generateCompleteChunk(ensemble: TreeEnsemble, layout: CompleteLayout, begin: number, end: number): string {
  const f32 = ensemble.accumulate === 'float32';
  const outs = [...new Set(ensemble.treeOutput.subarray(begin, end))].sort((a, b) => a - b);
  const parts: string[] = [];
  parts.push('const fr=Math.fround;return function(s,out,o){');
  parts.push(`let ${outs.map((k) => `s${k}=out[o+${k}]`).join(',')},i0,i1,i2,i3,i4,i5,i6,i7;`);
  for (let g = begin; g < end; ) {
    const size = layout.groupOf8[g] === 8 ? 8 : 1;
    const depth = layout.depth[g];
    for (let j = 0; j < size; j++) {
      const record = layout.nodeBase[g + j];
      parts.push(depth === 0 ? `i${j}=0;` : `i${j}=1+ +(s[${layout.words[record]}]>=${layout.thresholds[record]});`);
    }
    for (let level = 1; level < depth; level++) {
      for (let j = 0; j < size; j++) {
        const a = layout.nodeBase[g + j];
        parts.push(`i${j}=2*i${j}+1+ +(s[w[${a}+i${j}]]>=th[${a}+i${j}]);`);
      }
    }
    for (let j = 0; j < size; j++) {
      const k = ensemble.treeOutput[g + j];
      const leaf = `lf[${layout.leafBase[g + j] - (2 ** depth - 1)}+i${j}]`;
      parts.push(f32 ? `s${k}=fr(s${k}+${leaf});` : `s${k}+=${leaf};`);
    }
    g += size;
  }
  parts.push(outs.map((k) => `out[o+${k}]=s${k};`).join(''));
  parts.push('};');
  return parts.join('');
}

function vectorLeaf(ensemble: TreeEnsemble, node: number, f32: boolean): string {
  const { leafWidth, leafValues } = ensemble;
  let code = '';
  for (let k = 0; k < leafWidth; k++) {
    const v = literal(leafValues[node * leafWidth + k]);
    code += f32 ? `s${k}=fr(s${k}+${v});` : `s${k}+=${v};`;
  }
  return code;
}

/** The condition under which a row goes LEFT at `node`, NaN and categories included. */
function leftCondition(ensemble: TreeEnsemble, node: number): string {
  const x = `x${ensemble.feature[node]}`;
  const defaultLeft = ensemble.defaultLeft[node] === 1;
  const slot = ensemble.categorySlot[node];
  if (slot < 0) {
    const t = ensemble.threshold[node];
    // NaN fails every comparison: `!(x >= t)` sends it left, `x < t` sends it right.
    if (t !== t) return defaultLeft ? `${x}!==${x}` : 'false';
    return defaultLeft ? `!(${x}>=${literal(t)})` : `${x}<${literal(t)}`;
  }
  // A category in the set goes right. Negative, too large, infinite and NaN values all
  // fail `x>=0&&x<limit`; `>>>` truncates toward zero, as XGBoost's cast to int does.
  const start = ensemble.categoryStart[slot];
  const words = ensemble.categoryStart[slot + 1] - start;
  let inSet: string;
  if (words === 0) inSet = 'false';
  else if (words === 1) inSet = `${x}>=0&&${x}<32&&((${ensemble.categoryBits[start]}>>>${x})&1)===1`;
  else inSet = `${x}>=0&&${x}<${words * 32}&&((bits[${start}+(${x}>>>5)]>>>${x})&1)===1`;
  return defaultLeft ? `!(${inSet})` : `${x}===${x}&&!(${inSet})`;
}

function emitTree(ensemble: TreeEnsemble, root: number, leaf: (node: number) => string, parts: string[]): void {
  // Iterative, so a deep tree cannot overflow the generator's stack.
  const stack: (number | string)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    if (ensemble.feature[item] < 0) {
      parts.push(leaf(item));
      continue;
    }
    parts.push(`if(${leftCondition(ensemble, item)}){`);
    stack.push('}', ensemble.right[item], '}else{', ensemble.left[item]);
  }
}

/**
 * Turns a chunk's source into its function: a {@link RowChunkFunction} when the chunk is
 * `perRow`, else a {@link ChunkFunction}. Throws (EvalError) where a
 * Content-Security-Policy forbids `new Function`.
 *
 * @example
 * const run = instantiateChunk(chunk.source!, ensemble) as ChunkFunction;
 * run(rows, numRows, margins);
 */
export function instantiateChunk(source: string, ensemble: TreeEnsemble): ChunkFunction | RowChunkFunction {
  const layout = completeLayout(ensemble);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('bits', 'w', 'th', 'lf', source)(ensemble.categoryBits, layout.words, layout.thresholds, layout.leaves) as ChunkFunction | RowChunkFunction;
}

/**
 * @internal Split rows for `numRows` rows, and a view of each row's keys: per-row chunks
 * need each row at offset 0, and views made once keep the batch loop allocation-free.
 *
 * @example
 * const { split, rows } = splitRowViews(64, 20); // rows[3] = keys of block row 3
 */
export function splitRowViews(numRows: number, numFeatures: number): { split: SplitRows; rows: Int32Array[] } {
  const width = 2 * numFeatures;
  const buffer = new ArrayBuffer(numRows * width * 4);
  const split = { keys: new Int32Array(buffer), floats: new Float32Array(buffer) };
  return { split, rows: Array.from({ length: numRows }, (_, r) => split.keys.subarray(r * width, (r + 1) * width)) };
}

/**
 * Compiles an ensemble's trees to JavaScript functions, a chunk of trees per function.
 * Results are bit-identical to `predictMargins`. Throws where `new Function` is
 * forbidden (a Content-Security-Policy without 'unsafe-eval'); {@link tryCompileEnsemble}
 * returns null instead.
 *
 * @example
 * const compiled = compileEnsemble(ensemble);
 * compiled.predictMargins(rows, numRows); // same Float64Array as predictMargins(ensemble, rows, numRows)
 */
export function compileEnsemble(ensemble: TreeEnsemble, options: CompileOptions = {}): CompiledPredictor {
  const chunks = planChunks(ensemble, options);
  const numChunks = chunks.length;
  const fns = chunks.map((c) => (c.source === null || c.perRow ? null : (instantiateChunk(c.source, ensemble) as ChunkFunction)));
  const rowFns = chunks.map((c) => (c.source !== null && c.perRow ? (instantiateChunk(c.source, ensemble) as RowChunkFunction) : null));
  const { numFeatures, numOutputs } = ensemble;
  const perRow = chunks.some((c) => c.perRow);
  const blockRows = batchBlockRows(numFeatures, perRow);
  const { split, rows: keyRows } = splitRowViews(perRow ? blockRows : 0, numFeatures);
  const begins = Int32Array.from(chunks, (c) => c.begin);
  const ends = Int32Array.from(chunks, (c) => c.end);

  const runChunks = (rows: Float32Array, numRows: number, out: Float64Array, begin: number, end: number): void => {
    if (perRow) splitMissing(rows, numFeatures, 0, numRows, split);
    for (let c = 0; c < numChunks; c++) {
      const cb = begins[c];
      const ce = ends[c];
      if (ce <= begin || cb >= end) continue;
      // Chunks run in tree order, so mixing compiled and interpreted ones keeps the summation order.
      const whole = cb >= begin && ce <= end;
      const rowFn = rowFns[c];
      const fn = fns[c];
      if (whole && rowFn !== null) for (let r = 0, o = 0; r < numRows; r++, o += numOutputs) rowFn(keyRows[r], out, o);
      else if (whole && fn !== null) fn(rows, numRows, out);
      else accumulateTrees(ensemble, rows, numRows, out, Math.max(cb, begin), Math.min(ce, end));
    }
  };
  // Each chunk's code stays hot over a block of rows, and the block's rows stay in cache over all chunks.
  const accumulate = (rows: Float32Array, numRows: number, out: Float64Array, begin: number, end: number): void => {
    for (let r = 0; r < numRows; r += blockRows) {
      const m = Math.min(blockRows, numRows - r);
      if (m === numRows) runChunks(rows, m, out, begin, end);
      else runChunks(rows.subarray(r * numFeatures, (r + m) * numFeatures), m, out.subarray(r * numOutputs, (r + m) * numOutputs), begin, end);
    }
  };
  // The chunks' source text is not kept: V8 holds its own copy, and the pool plans its own.
  // One row goes to WebAssembly wherever it runs (same bits, no bounds checks); batches too, unless told not to.
  const fast = wasmRows(ensemble, options.rowRange);
  return predictorFrom(ensemble, accumulate, fast, options.batchEngine === 'javascript' ? null : chooseBatchEngine(fast), 'javascript');
}

/** The WebAssembly scorer for the trees `range` selects, with that range; null where it cannot be used. */
function wasmRows(ensemble: TreeEnsemble, range: TreeRange | undefined): FastRows | null {
  const [begin, end] = resolveRange(ensemble, range);
  const wasm = compileWasmRowScorer(ensemble, { treeBegin: begin, treeEnd: end });
  return wasm ? { begin, end, addRow: wasm.addRow, addRows: wasm.addRows, trees: wasm.trees } : null;
}

/**
 * The batch engine for a model's shape, chosen when it loads: the WebAssembly scorer
 * whenever it exists. Measured A/B in one process against the generated JavaScript on the
 * seven benchmark shapes (dense and sparse, depth 4 to 16, categorical, 150 to 2,000
 * trees), it was faster on every one (see the README's speed section), and it needs no
 * warm-up of V8's optimising compiler.
 *
 * @example
 * chooseBatchEngine(wasmScorer) // => wasmScorer, or null to keep the JavaScript
 */
export function chooseBatchEngine<T extends { readonly trees: { readonly complete: number; readonly compact: number } }>(fast: T | null): T | null {
  return fast;
}

/**
 * {@link compileEnsemble}, or null where code generation is forbidden (CSP) or fails. A
 * policy readable without trying (a `<meta>` tag, an extension's manifest) or a refusal
 * met before in this realm is honoured without calling `new Function`.
 *
 * @example
 * const compiled = tryCompileEnsemble(ensemble); // null under a strict Content-Security-Policy
 */
export function tryCompileEnsemble(ensemble: TreeEnsemble, options: CompileOptions = {}): CompiledPredictor | null {
  // Where a readable policy or an earlier refusal forbids new Function, trying would only file another violation report.
  if (codeGenerationPolicy().javascript === false) return null;
  try {
    return compileEnsemble(ensemble, options);
  } catch (error) {
    if (error instanceof EvalError) noteCodeGenerationRefused('javascript');
    return null;
  }
}

/** Options for {@link interpretedPredictor}. */
export interface InterpretedOptions {
  /**
   * Score one row of the `rowRange` trees with WebAssembly where it is allowed (default
   * false): a Content-Security-Policy may allow 'wasm-unsafe-eval' but not 'unsafe-eval'.
   */
  webassembly?: boolean;
  rowRange?: TreeRange;
}

/**
 * The interpreter behind the same interface as a {@link CompiledPredictor}: what runs
 * when compiling JavaScript is not allowed or not wanted. One row can still run on
 * WebAssembly (`webassembly: true`), which needs no `new Function`.
 *
 * @example
 * const predictor = interpretedPredictor(ensemble);
 * predictor.predictRowInto(row, margins);
 */
export function interpretedPredictor(ensemble: TreeEnsemble, options: InterpretedOptions = {}): CompiledPredictor {
  // Another range asked for twice in a row (a model served with a fixed iterationRange) gets
  // its own module from then on; ranges that change every call (staged scoring) stay interpreted.
  let repeated: { begin: number; end: number; scorer?: FastRows | null } | null = null;
  const accumulate: CompiledPredictor['accumulate'] = (rows, numRows, out, begin, end) => {
    if (options.webassembly) {
      if (repeated !== null && repeated.begin === begin && repeated.end === end) {
        if (repeated.scorer === undefined) repeated.scorer = wasmRows(ensemble, { treeBegin: begin, treeEnd: end });
        if (repeated.scorer !== null) return repeated.scorer.addRows(rows, numRows, out);
      } else repeated = { begin, end };
    }
    accumulateTrees(ensemble, rows, numRows, out, begin, end);
  };
  const fast = options.webassembly ? wasmRows(ensemble, options.rowRange) : null;
  return predictorFrom(ensemble, accumulate, fast, chooseBatchEngine(fast), 'interpreter');
}

/** A faster way to score one row and batches, valid for trees [begin, end) only. */
interface FastRows {
  readonly begin: number;
  readonly end: number;
  addRow(row: Float32Array, out: Float64Array): void;
  addRows(rows: Float32Array, numRows: number, out: Float64Array): void;
  readonly trees: { readonly complete: number; readonly compact: number };
}

/** The predictor interface over one way of adding trees into margins (and, optionally, a faster one for one row and its trees). */
function predictorFrom(
  ensemble: TreeEnsemble,
  slowAccumulate: CompiledPredictor['accumulate'],
  fast: FastRows | null,
  fastBatches: FastRows | null,
  slowEngine: 'javascript' | 'interpreter',
): CompiledPredictor {
  const base = ensemble.baseMargin;
  const accumulate: CompiledPredictor['accumulate'] =
    fastBatches === null
      ? slowAccumulate
      : (rows, numRows, out, begin, end) => {
          if (begin === fastBatches.begin && end === fastBatches.end) fastBatches.addRows(rows, numRows, out);
          else slowAccumulate(rows, numRows, out, begin, end);
        };
  return {
    ensemble,
    rowEngine: fast ? 'webassembly' : slowEngine,
    batchEngine: fastBatches ? 'webassembly' : slowEngine,
    accumulate,
    predictMargins(rows, numRows, range) {
      checkRows(ensemble, rows, numRows);
      const [begin, end] = resolveRange(ensemble, range);
      const out = initialMargins(ensemble, numRows);
      accumulate(rows, numRows, out, begin, end);
      return out;
    },
    predictRowInto(row, out, range) {
      for (let k = 0; k < base.length; k++) out[k] = base[k];
      const begin = range?.treeBegin ?? 0;
      const end = range?.treeEnd ?? ensemble.numTrees;
      if (fast !== null && begin === fast.begin && end === fast.end) fast.addRow(row, out);
      else {
        // Validated only off the fast path, which is valid by construction.
        resolveRange(ensemble, range);
        slowAccumulate(row, 1, out, begin, end);
      }
    },
  };
}
