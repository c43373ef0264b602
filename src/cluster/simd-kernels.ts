import { CodeBuilder, encodeModule, F64, I32, Op, Simd, V128, type ValueType, type WasmFunction } from '../wasm/encode.js';
import { compileModule, instantiateModule, wasmAvailable, type WasmMemory, type WasmModule } from '../wasm/runtime.js';
import { U, UP, DOWN, TINY } from './rounding.js';

// WebAssembly versions of the fit's hot loops, generated for one column count. Each performs
// exactly the IEEE operations of the JavaScript loop it replaces, in the same order, and
// WebAssembly never contracts a multiply and an add into one rounding, so every value is the
// JavaScript one, bit for bit. Where SIMD is used, an f64x2 lane carries one whole sum (one
// row against one centre or candidate, or one column), never a split of one sum, so two sums
// advance per instruction. The bookkeeping loops are scalar, with selects for branches.

/** The kernels, compiled for one column count and bound to one memory; arguments are byte addresses. */
export interface SimdKernels {
  /**
   * k-means++'s scoreFour: for the `n` rows listed (i32) at `needed`, the clipped squared
   * distance −2·x·c + ‖c‖² + ‖x‖² to the four candidates packed at `packed` (norms at
   * `norms`) into lanes `l0 .. l3` at row i, and its minimum with `closest[i]` into
   * `minima + 8·i + 1024·lane`.
   */
  candidates(x: number, xx: number, closest: number, needed: number, n: number, packed: number, norms: number, l0: number, l1: number, l2: number, l3: number, minima: number): void;
  /** scoreRows for the rows listed (i32) at `index`: ‖c‖² − 2·x·c of four packed centroids into `v + r·widthBytes`. */
  scoresIndexed(x: number, index: number, count: number, packed: number, norms: number, v: number, widthBytes: number): void;
  /** scoreRows for rows first .. first+count). */
  scoresContiguous(x: number, first: number, count: number, packed: number, norms: number, v: number, widthBytes: number): void;
  /**
   * Lloyd's addRows for each cluster c < k: sums[c·cols + f] += x[o + f] for the row offsets o
   * (in values, i32) at offsets[start[c] .. start[c+1]), in that order. Its lanes are features,
   * each summed exactly as alone.
   */
  addRows(x: number, offsets: number, start: number, k: number, sums: number): void;
  /** sums[f] += x[i·cols + f] (with `square`, its square) for rows i of first .. end), in row order. */
  columnSums(x: number, first: number, end: number, sums: number): void;
  columnSquares(x: number, first: number, end: number, sums: number): void;
  /**
   * centreBlock: rows first .. end) of x minus `mean`, in place, and each centred row's
   * squared norm in rowNormSquared's order into `xx`.
   */
  centre(x: number, first: number, end: number, mean: number, xx: number): void;
  /** distancesToRow: rows first .. end) against the row `target` (squared norm `targetNorm`) into `out`. */
  distancesToRow(x: number, xx: number, first: number, end: number, target: number, targetNorm: number, out: number): void;
  /**
   * k-means++'s adoptCentre for `rows` rows: centre `c` with distances `d` joins (branch-free
   * selections instead of adoptCentre's branches, the same values), `cumsum` the running sum.
   */
  adopt(c: number, rows: number, d: number, closest: number, second: number, owner: number, cumsum: number): void;
  /**
   * Lloyd's moveBounds for rows first .. end): `moves` holds moved, otherMove and half (k
   * each), `consts` [threshold, tau]; returns how many rows it listed in `check`.
   */
  moveBounds(labels: number, upper: number, lower: number, moves: number, k: number, first: number, end: number, check: number, consts: number): number;
  /**
   * k-means++'s list of the rows first .. first+count) the triangle inequality cannot settle
   * (`minGap`, k values, then tau at minGap[k]), into `needed`; returns how many.
   */
  listNeeded(owner: number, closest: number, minGap: number, k: number, first: number, count: number, needed: number): number;
  /** Lloyd's inertiaOfPairs: `inertia` plus the squared distances of rows first .. end) (an even count) to their centres. */
  inertia(x: number, centres: number, labels: number, first: number, end: number, inertia: number): number;
  /**
   * labelChunk and Lloyd's bound update for the `count` rows listed at `index` (k ≥ 2), scored
   * into `v` (`widthBytes` a row): each row's plain winner, kept when the rounding-error test
   * proves it, with its label, bounds and the count of changed labels (added to the i32 at
   * `changed`). `consts` holds [errScale, cnMax, tau], `cn` the centroids' norm bounds. Rows the
   * test cannot settle (near ties, or values out of range) are left alone and listed, by their
   * place in the chunk, at `hard`; returns how many.
   */
  finishRows(v: number, widthBytes: number, count: number, index: number, k: number, xx: number, labels: number, upper: number, lower: number, cn: number, consts: number, hard: number, changed: number): number;
  /**
   * Lloyd's tightenChunk for rows first .. end) (after moveBounds): each row's upper bound from
   * its dot product with its centre, its lower bound raised by 2·half[label] − upper, and the
   * rows still unproven listed in `pending`; returns how many. `consts` holds [threshold, tau].
   */
  tightenChunk(x: number, xx: number, centres: number, norms: number, labels: number, upper: number, lower: number, first: number, end: number, pending: number, consts: number, half: number): number;
  /** tightenChunk in place of moveBounds: each lower bound first moved by otherMove[label] (k f64). */
  moveTightenChunk(
    x: number, xx: number, centres: number, norms: number, labels: number, upper: number, lower: number, first: number, end: number, pending: number, consts: number, half: number, otherMove: number,
  ): number;
  /**
   * Lloyd's addChunk grouping for rows first .. end): each cluster's row count added to the
   * f64 `counts`, `start` (k + 1 i32, start[0] = 0) its first place in `offsets`, and `offsets`
   * the rows' value offsets (row × cols) grouped by cluster, in row order; `fill` is k i32 of scratch.
   */
  groupRows(labels: number, first: number, end: number, k: number, fill: number, start: number, offsets: number, counts: number): void;
  /** Lloyd's tightenBounds for the `nCheck` rows listed at `check`; returns how many it listed in `pending`. */
  tightenBounds(x: number, xx: number, centres: number, norms: number, labels: number, upper: number, lower: number, check: number, nCheck: number, pending: number, consts: number): number;
}

// Compiled modules by column count: V8 optimises a module's hot functions once, so every fit
// with these columns reuses the optimised code.
const modules = new Map<number, WasmModule>();
const MAX_MODULES = 8;

/** Widest rows the kernels are generated for (their feature loops are unrolled). */
const MAX_SIMD_COLS = 256;

/**
 * The kernels for `cols` columns over `memory`, or null where WebAssembly (or compiling it)
 * is unavailable.
 *
 * @example
 * const kernels = simdKernels(21, memory); // kernels?.candidates(...)
 */
export function simdKernels(cols: number, memory: WasmMemory): SimdKernels | null {
  if (!wasmAvailable() || !(cols >= 1 && cols <= MAX_SIMD_COLS)) return null;
  try {
    let module = modules.get(cols);
    if (module === undefined) {
      const functions = [
        candidatesKernel(cols),
        scoresKernel(cols, true),
        scoresKernel(cols, false),
        addRowsKernel(cols),
        columnKernel(cols, false),
        columnKernel(cols, true),
        centreKernel(cols),
        distancesKernel(cols),
        adoptKernel(),
        moveBoundsKernel(),
        tightenBoundsKernel(cols),
        tightenChunkKernel(cols),
        tightenChunkKernel(cols, true),
        groupRowsKernel(cols),
        listNeededKernel(),
        inertiaKernel(cols),
        finishRowsKernel(cols),
      ];
      module = compileModule(encodeModule(functions, 1));
      if (modules.size >= MAX_MODULES) modules.delete(modules.keys().next().value!);
      modules.set(cols, module);
    }
    return instantiateModule(module, memory) as unknown as SimdKernels;
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval', or no SIMD: the JavaScript kernels do.
    return null;
  }
}

/** Numbers a function's locals after its parameters. */
class Locals {
  readonly types: ValueType[] = [];
  constructor(private readonly params: number) {}
  add(type: ValueType): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
}

const LANE_BYTES = 1024; // k-means++'s minima: 128 rows per lane

/** Accumulators and scratch of the 4-row × 4-lane dot product. */
interface DotLocals {
  acc: number[][]; // acc[row][0] lanes 0-1, acc[row][1] lanes 2-3
  w01: number;
  w23: number;
  s: number;
  zero: number;
}

function dotLocals(locals: Locals): DotLocals {
  return {
    acc: [0, 1, 2, 3].map(() => [locals.add(V128), locals.add(V128)]),
    w01: locals.add(V128),
    w23: locals.add(V128),
    s: locals.add(V128),
    zero: locals.add(V128),
  };
}

/**
 * acc[r] = Σ_f x_r[f] · packed[4f .. 4f+4) for `rows` rows, each row's first value at
 * `rowAddress(r)` + its pushed offset: four lanes per row, every sum in feature order from zero.
 */
function dotProducts(code: CodeBuilder, d: DotLocals, cols: number, rows: number, packed: number, rowAddress: (r: number) => { local: number; offset: number }): void {
  for (let r = 0; r < rows; r++) code.localGet(d.zero).localSet(d.acc[r][0]).localGet(d.zero).localSet(d.acc[r][1]);
  for (let f = 0; f < cols; f++) {
    code.localGet(packed).v128Load(32 * f).localSet(d.w01);
    code.localGet(packed).v128Load(32 * f + 16).localSet(d.w23);
    for (let r = 0; r < rows; r++) {
      const { local, offset } = rowAddress(r);
      code.localGet(local).v128Load64Splat(offset + 8 * f).localSet(d.s);
      code.localGet(d.acc[r][0]).localGet(d.s).localGet(d.w01).simd(Simd.f64x2Mul).simd(Simd.f64x2Add).localSet(d.acc[r][0]);
      code.localGet(d.acc[r][1]).localGet(d.s).localGet(d.w23).simd(Simd.f64x2Mul).simd(Simd.f64x2Add).localSet(d.acc[r][1]);
    }
  }
}

/** Loops `step` list entries at a time from `cursor` while cursor < `end`: `body`, then cursor += step. */
function listLoop(code: CodeBuilder, cursor: number, end: number, step: number, body: () => void): void {
  code.block().loop();
  code.localGet(cursor).localGet(end).op(Op.i32GeU).brIf(1);
  body();
  code.localGet(cursor).i32Const(step).op(Op.i32Add).localSet(cursor).br(0);
  code.end().end();
}

function candidatesKernel(cols: number): WasmFunction {
  const [X, XX, CLOSEST, NEEDED, N, PACKED, NORMS, L0, L1, L2, L3, MINIMA] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const lanes = [L0, L1, L2, L3];
  const locals = new Locals(12);
  const q = locals.add(I32);
  const end4 = locals.add(I32);
  const endAll = locals.add(I32);
  const rowOff = [0, 1, 2, 3].map(() => locals.add(I32)); // row index × 8
  const rowPtr = [0, 1, 2, 3].map(() => locals.add(I32));
  const d = dotLocals(locals);
  const [neg2, n01, n23, xn, cl, v01, v23] = [0, 1, 2, 3, 4, 5, 6].map(() => locals.add(V128));
  const code = new CodeBuilder();
  code.f64Const(0).simd(Simd.f64x2Splat).localSet(d.zero);
  code.f64Const(-2).simd(Simd.f64x2Splat).localSet(neg2);
  code.localGet(NORMS).v128Load(0).localSet(n01).localGet(NORMS).v128Load(16).localSet(n23);
  code.localGet(NEEDED).localSet(q);
  code.localGet(NEEDED).localGet(N).i32Const(-4).op(Op.i32And).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localSet(end4);
  code.localGet(NEEDED).localGet(N).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localSet(endAll);
  const rows = (count: number): void => {
    for (let r = 0; r < count; r++) {
      code.localGet(q).i32Load(4 * r).i32Const(3).op(Op.i32Shl).localTee(rowOff[r]);
      code.i32Const(cols).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(rowPtr[r]);
    }
    dotProducts(code, d, cols, count, PACKED, (r) => ({ local: rowPtr[r], offset: 0 }));
    for (let r = 0; r < count; r++) {
      const [a01, a23] = d.acc[r];
      code.localGet(XX).localGet(rowOff[r]).op(Op.i32Add).v128Load64Splat(0).localSet(xn);
      code.localGet(CLOSEST).localGet(rowOff[r]).op(Op.i32Add).v128Load64Splat(0).localSet(cl);
      // clipped(−2·a + n + xn): pmax(0, d) = 0 < d ? d : 0, as `d > 0 ? d : 0` (NaN to 0).
      for (const [acc, norms, out] of [[a01, n01, v01], [a23, n23, v23]]) {
        code.localGet(d.zero);
        code.localGet(neg2).localGet(acc).simd(Simd.f64x2Mul).localGet(norms).simd(Simd.f64x2Add).localGet(xn).simd(Simd.f64x2Add);
        code.simd(Simd.f64x2Pmax).localSet(out);
      }
      for (let lane = 0; lane < 4; lane++) {
        const v = lane < 2 ? v01 : v23;
        code.localGet(lanes[lane]).localGet(rowOff[r]).op(Op.i32Add).localGet(v).f64x2ExtractLane(lane & 1).f64Store(0);
      }
      // Math.min(v, closest): both IEEE minima, NaN-propagating, −0 below +0.
      for (const [v, first] of [[v01, 0], [v23, 2]]) {
        code.localGet(v).localGet(cl).simd(Simd.f64x2Min).localSet(v);
        for (const lane of [0, 1]) {
          code.localGet(MINIMA).localGet(rowOff[r]).op(Op.i32Add).localGet(v).f64x2ExtractLane(lane).f64Store((first + lane) * LANE_BYTES);
        }
      }
    }
  };
  listLoop(code, q, end4, 16, () => rows(4));
  listLoop(code, q, endAll, 4, () => rows(1));
  return { params: Array(12).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: 'candidates' };
}

function scoresKernel(cols: number, indexed: boolean): WasmFunction {
  const [X, ROWS, COUNT, PACKED, NORMS, V, WIDTH] = [0, 1, 2, 3, 4, 5, 6];
  const locals = new Locals(7);
  const q = locals.add(I32);
  const end4 = locals.add(I32);
  const endAll = locals.add(I32);
  const vRow = locals.add(I32);
  const rowPtr = [0, 1, 2, 3].map(() => locals.add(I32));
  const d = dotLocals(locals);
  const [two, n01, n23] = [0, 1, 2].map(() => locals.add(V128));
  const code = new CodeBuilder();
  const rowBytes = 8 * cols;
  code.f64Const(0).simd(Simd.f64x2Splat).localSet(d.zero);
  code.f64Const(2).simd(Simd.f64x2Splat).localSet(two);
  code.localGet(NORMS).v128Load(0).localSet(n01).localGet(NORMS).v128Load(16).localSet(n23);
  code.localGet(V).localSet(vRow);
  // Indexed: q walks the i32 row list (4 bytes a row). Contiguous: q walks the rows themselves.
  const step = indexed ? 4 : rowBytes;
  if (indexed) code.localGet(ROWS).localSet(q);
  else code.localGet(ROWS).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(q);
  code.localGet(q).localGet(COUNT).i32Const(-4).op(Op.i32And).i32Const(step).op(Op.i32Mul).op(Op.i32Add).localSet(end4);
  code.localGet(q).localGet(COUNT).i32Const(step).op(Op.i32Mul).op(Op.i32Add).localSet(endAll);
  const rows = (count: number): void => {
    if (indexed) {
      for (let r = 0; r < count; r++) code.localGet(q).i32Load(4 * r).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(rowPtr[r]);
    }
    dotProducts(code, d, cols, count, PACKED, (r) => (indexed ? { local: rowPtr[r], offset: 0 } : { local: q, offset: r * rowBytes }));
    for (let r = 0; r < count; r++) {
      // n − 2·a, as the JavaScript `n0 - 2 * a0`.
      code.localGet(vRow).localGet(n01).localGet(two).localGet(d.acc[r][0]).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).v128Store(0);
      code.localGet(vRow).localGet(n23).localGet(two).localGet(d.acc[r][1]).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).v128Store(16);
      code.localGet(vRow).localGet(WIDTH).op(Op.i32Add).localSet(vRow);
    }
  };
  listLoop(code, q, end4, 4 * step, () => rows(4));
  listLoop(code, q, endAll, step, () => rows(1));
  return { params: Array(7).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: indexed ? 'scoresIndexed' : 'scoresContiguous' };
}

/** Features summed per pass over the rows: twelve v128 accumulators stay in registers. */
const SUM_GROUP = 24;

function addRowsKernel(cols: number): WasmFunction {
  const [X, OFFSETS, START, K, SUMS] = [0, 1, 2, 3, 4];
  const locals = new Locals(5);
  const t = locals.add(I32);
  const end = locals.add(I32);
  const row = locals.add(I32);
  const c = locals.add(I32); // cluster × 4 (its place in START)
  const cEnd = locals.add(I32);
  const sums = locals.add(I32);
  const pairs = Array.from({ length: SUM_GROUP / 2 }, () => locals.add(V128));
  const single = locals.add(F64);
  const code = new CodeBuilder();
  code.localGet(SUMS).localSet(sums);
  code.localGet(K).i32Const(2).op(Op.i32Shl).localSet(cEnd);
  listLoop(code, c, cEnd, 4, () => {
    const bound = (which: number, local: number): void => {
      code.localGet(START).localGet(c).op(Op.i32Add).i32Load(4 * which).i32Const(2).op(Op.i32Shl).localGet(OFFSETS).op(Op.i32Add).localSet(local);
    };
    bound(1, end);
    for (let g = 0; g < cols; g += SUM_GROUP) {
      const width = Math.min(SUM_GROUP, cols - g);
      const nPairs = width >> 1;
      const odd = (width & 1) === 1;
      for (let k = 0; k < nPairs; k++) code.localGet(sums).v128Load(8 * (g + 2 * k)).localSet(pairs[k]);
      if (odd) code.localGet(sums).f64Load(8 * (g + width - 1)).localSet(single);
      bound(0, t);
      listLoop(code, t, end, 4, () => {
        code.localGet(t).i32Load(0).i32Const(3).op(Op.i32Shl).localGet(X).op(Op.i32Add).localSet(row);
        for (let k = 0; k < nPairs; k++) code.localGet(pairs[k]).localGet(row).v128Load(8 * (g + 2 * k)).simd(Simd.f64x2Add).localSet(pairs[k]);
        if (odd) code.localGet(single).localGet(row).f64Load(8 * (g + width - 1)).op(Op.f64Add).localSet(single);
      });
      for (let k = 0; k < nPairs; k++) code.localGet(sums).localGet(pairs[k]).v128Store(8 * (g + 2 * k));
      if (odd) code.localGet(sums).localGet(single).f64Store(8 * (g + width - 1));
    }
    code.localGet(sums).i32Const(8 * cols).op(Op.i32Add).localSet(sums);
  });
  return { params: Array(5).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: 'addRows' };
}

/** Adds the rows first .. end) (their squares with `square`) into `sums`, column by column in row order. */
function columnKernel(cols: number, square: boolean): WasmFunction {
  const [X, FIRST, END, SUMS] = [0, 1, 2, 3];
  const locals = new Locals(4);
  const row = locals.add(I32);
  const end = locals.add(I32);
  const pairs = Array.from({ length: SUM_GROUP / 2 }, () => locals.add(V128));
  const single = locals.add(F64);
  const v = locals.add(V128);
  const w = locals.add(F64);
  const rowBytes = 8 * cols;
  const code = new CodeBuilder();
  code.localGet(END).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(end);
  for (let g = 0; g < cols; g += SUM_GROUP) {
    const width = Math.min(SUM_GROUP, cols - g);
    const nPairs = width >> 1;
    const odd = (width & 1) === 1;
    for (let k = 0; k < nPairs; k++) code.localGet(SUMS).v128Load(8 * (g + 2 * k)).localSet(pairs[k]);
    if (odd) code.localGet(SUMS).f64Load(8 * (g + width - 1)).localSet(single);
    code.localGet(FIRST).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(row);
    listLoop(code, row, end, rowBytes, () => {
      for (let k = 0; k < nPairs; k++) {
        code.localGet(pairs[k]).localGet(row).v128Load(8 * (g + 2 * k));
        if (square) code.localTee(v).localGet(v).simd(Simd.f64x2Mul);
        code.simd(Simd.f64x2Add).localSet(pairs[k]);
      }
      if (odd) {
        code.localGet(single).localGet(row).f64Load(8 * (g + width - 1));
        if (square) code.localTee(w).localGet(w).op(Op.f64Mul);
        code.op(Op.f64Add).localSet(single);
      }
    });
    for (let k = 0; k < nPairs; k++) code.localGet(SUMS).localGet(pairs[k]).v128Store(8 * (g + 2 * k));
    if (odd) code.localGet(SUMS).localGet(single).f64Store(8 * (g + width - 1));
  }
  return { params: Array(4).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: square ? 'columnSquares' : 'columnSums' };
}

/**
 * Centres rows in place and computes their squared norms as rowNormSquared does: lanes
 * (even, odd) features, blocks of eight multiplied in from the back, then the lanes added.
 */
function centreKernel(cols: number): WasmFunction {
  const [X, FIRST, END, MEAN, XX] = [0, 1, 2, 3, 4];
  const locals = new Locals(5);
  const row = locals.add(I32);
  const end = locals.add(I32);
  const out = locals.add(I32);
  const norm = locals.add(V128);
  const v = locals.add(V128);
  const l0 = locals.add(F64);
  const w = locals.add(F64);
  const rowBytes = 8 * cols;
  const code = new CodeBuilder();
  code.localGet(FIRST).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(row);
  code.localGet(END).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(end);
  code.localGet(FIRST).i32Const(3).op(Op.i32Shl).localGet(XX).op(Op.i32Add).localSet(out);
  const square = (f: number): void => {
    code.localGet(row).v128Load(8 * f).localTee(v).localGet(v).simd(Simd.f64x2Mul);
  };
  listLoop(code, row, end, rowBytes, () => {
    let f = 0;
    for (; f + 2 <= cols; f += 2) {
      code.localGet(row).localGet(row).v128Load(8 * f).localGet(MEAN).v128Load(8 * f).simd(Simd.f64x2Sub).v128Store(8 * f);
    }
    if (f < cols) code.localGet(row).localGet(row).f64Load(8 * f).localGet(MEAN).f64Load(8 * f).op(Op.f64Sub).f64Store(8 * f);
    code.f64Const(0).simd(Simd.f64x2Splat).localSet(norm);
    f = 0;
    for (; cols - f >= 8; f += 8) {
      // l = x_f² + (x_{f+2}² + (x_{f+4}² + (x_{f+6}² + l))), both lanes at once.
      square(f + 6);
      code.localGet(norm).simd(Simd.f64x2Add);
      for (const g of [f + 4, f + 2, f]) {
        code.localSet(norm);
        square(g);
        code.localGet(norm).simd(Simd.f64x2Add);
      }
      code.localSet(norm);
    }
    for (; f + 2 <= cols; f += 2) {
      square(f);
      code.localGet(norm).simd(Simd.f64x2Add).localSet(norm);
    }
    code.localGet(norm).f64x2ExtractLane(0).localSet(l0);
    if (f < cols) code.localGet(row).f64Load(8 * f).localTee(w).localGet(w).op(Op.f64Mul).localGet(l0).op(Op.f64Add).localSet(l0);
    code.localGet(out).localGet(l0).localGet(norm).f64x2ExtractLane(1).op(Op.f64Add).f64Store(0);
    code.localGet(out).i32Const(8).op(Op.i32Add).localSet(out);
  });
  return { params: Array(5).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: 'centre' };
}

/**
 * clipped(−2·x·c + ‖c‖² + ‖x‖²) for rows first .. end) against one row c: four rows at a time
 * while four remain (as distancesToRowQuads), each dot product in feature order.
 */
function distancesKernel(cols: number): WasmFunction {
  const [X, XX, FIRST, END, TARGET, CN, OUT] = [0, 1, 2, 3, 4, 5, 6];
  const locals = new Locals(7);
  const row = locals.add(I32);
  const end4 = locals.add(I32);
  const end = locals.add(I32);
  const out = locals.add(I32);
  const norms = locals.add(I32);
  const d = [0, 1, 2, 3].map(() => locals.add(F64));
  const c = locals.add(F64);
  const t = locals.add(F64);
  const rowBytes = 8 * cols;
  const code = new CodeBuilder();
  code.localGet(FIRST).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(row);
  code.localGet(END).localGet(END).localGet(FIRST).op(Op.i32Sub).i32Const(3).op(Op.i32And).op(Op.i32Sub).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(end4);
  code.localGet(END).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(end);
  code.localGet(FIRST).i32Const(3).op(Op.i32Shl).localGet(OUT).op(Op.i32Add).localSet(out);
  code.localGet(FIRST).i32Const(3).op(Op.i32Shl).localGet(XX).op(Op.i32Add).localSet(norms);
  const rows = (count: number): void => {
    for (let r = 0; r < count; r++) code.f64Const(0).localSet(d[r]);
    for (let f = 0; f < cols; f++) {
      code.localGet(TARGET).f64Load(8 * f).localSet(c);
      for (let r = 0; r < count; r++) code.localGet(d[r]).localGet(row).f64Load(r * rowBytes + 8 * f).localGet(c).op(Op.f64Mul).op(Op.f64Add).localSet(d[r]);
    }
    for (let r = 0; r < count; r++) {
      // clipped(−2·d + cn + xn): select(t, 0, t > 0).
      code.localGet(out);
      code.f64Const(-2).localGet(d[r]).op(Op.f64Mul).localGet(CN).op(Op.f64Add).localGet(norms).f64Load(8 * r).op(Op.f64Add).localTee(t);
      code.f64Const(0).localGet(t).f64Const(0).op(Op.f64Gt).op(Op.select).f64Store(8 * r);
    }
    code.localGet(out).i32Const(8 * count).op(Op.i32Add).localSet(out);
    code.localGet(norms).i32Const(8 * count).op(Op.i32Add).localSet(norms);
  };
  listLoop(code, row, end4, 4 * rowBytes, () => rows(4));
  listLoop(code, row, end, rowBytes, () => rows(1));
  return { params: [I32, I32, I32, I32, I32, F64, I32], results: [], locals: locals.types, body: code.bytes, exportAs: 'distancesToRow' };
}

function adoptKernel(): WasmFunction {
  const [C, ROWS, D, CLOSEST, SECOND, OWNER, CUMSUM] = [0, 1, 2, 3, 4, 5, 6];
  const locals = new Locals(7);
  const i = locals.add(I32); // row × 8
  const end = locals.add(I32);
  const closer = locals.add(I32);
  const di = locals.add(F64);
  const cl = locals.add(F64);
  const s = locals.add(F64);
  const acc = locals.add(F64);
  const code = new CodeBuilder();
  code.localGet(ROWS).i32Const(3).op(Op.i32Shl).localSet(end);
  listLoop(code, i, end, 8, () => {
    code.localGet(D).localGet(i).op(Op.i32Add).f64Load(0).localSet(di);
    code.localGet(CLOSEST).localGet(i).op(Op.i32Add).f64Load(0).localSet(cl);
    code.localGet(SECOND).localGet(i).op(Op.i32Add).f64Load(0).localSet(s);
    code.localGet(di).localGet(cl).op(Op.f64Lt).localSet(closer);
    // second: the old closest if the row moves, else min(second, d) as `d < second`.
    code.localGet(SECOND).localGet(i).op(Op.i32Add);
    code.localGet(cl).localGet(di).localGet(s).localGet(di).localGet(s).op(Op.f64Lt).op(Op.select).localGet(closer).op(Op.select).f64Store(0);
    // owner (i32, at i / 2).
    code.localGet(OWNER).localGet(i).i32Const(1).op(Op.i32ShrU).op(Op.i32Add);
    code.localGet(C).localGet(OWNER).localGet(i).i32Const(1).op(Op.i32ShrU).op(Op.i32Add).i32Load(0).localGet(closer).op(Op.select).i32Store(0);
    code.localGet(di).localGet(cl).localGet(closer).op(Op.select).localSet(di);
    code.localGet(CLOSEST).localGet(i).op(Op.i32Add).localGet(di).f64Store(0);
    code.localGet(CUMSUM).localGet(i).op(Op.i32Add).localGet(acc).localGet(di).op(Op.f64Add).localTee(acc).f64Store(0);
  });
  return { params: Array(7).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: 'adopt' };
}

/** n + 1 − ((l > u) & ((l − u)·(l + u) > threshold)): whether a row stays listed, added branch-free. */
function listUnlessProven(code: CodeBuilder, n: number, l: number, u: number, threshold: () => void): void {
  code.localGet(n).i32Const(1).op(Op.i32Add);
  code.localGet(l).localGet(u).op(Op.f64Gt);
  code.localGet(l).localGet(u).op(Op.f64Sub).localGet(l).localGet(u).op(Op.f64Add).op(Op.f64Mul);
  threshold();
  code.op(Op.f64Gt).op(Op.i32And).op(Op.i32Sub).localSet(n);
}

function moveBoundsKernel(): WasmFunction {
  const [LABELS, UPPER, LOWER, MOVES, K, FIRST, END, CHECK, CONSTS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const locals = new Locals(9);
  const i = locals.add(I32); // row × 8
  const end = locals.add(I32);
  const a = locals.add(I32); // label × 8, into MOVES
  const n = locals.add(I32);
  const u = locals.add(F64);
  const l = locals.add(F64);
  const viaLower = locals.add(F64);
  const viaGap = locals.add(F64);
  const threshold = locals.add(F64);
  const code = new CodeBuilder();
  code.localGet(CONSTS).f64Load(0).localSet(threshold);
  code.localGet(FIRST).i32Const(3).op(Op.i32Shl).localSet(i);
  code.localGet(END).i32Const(3).op(Op.i32Shl).localSet(end);
  listLoop(code, i, end, 8, () => {
    code.localGet(LABELS).localGet(i).i32Const(1).op(Op.i32ShrU).op(Op.i32Add).i32Load(0).i32Const(3).op(Op.i32Shl).localSet(a);
    // u = (upper + moved[a]·UP)·UP
    code.localGet(UPPER).localGet(i).op(Op.i32Add).f64Load(0).localGet(MOVES).localGet(a).op(Op.i32Add).f64Load(0).f64Const(UP).op(Op.f64Mul).op(Op.f64Add).f64Const(UP).op(Op.f64Mul).localSet(u);
    // viaLower = (lower − otherMove[a])·DOWN; viaGap = (2·half[a] − u)·DOWN
    code.localGet(LOWER).localGet(i).op(Op.i32Add).f64Load(0);
    code.localGet(MOVES).localGet(K).i32Const(3).op(Op.i32Shl).op(Op.i32Add).localGet(a).op(Op.i32Add).f64Load(0);
    code.op(Op.f64Sub).f64Const(DOWN).op(Op.f64Mul).localSet(viaLower);
    code.f64Const(2);
    code.localGet(MOVES).localGet(K).i32Const(4).op(Op.i32Shl).op(Op.i32Add).localGet(a).op(Op.i32Add).f64Load(0);
    code.op(Op.f64Mul).localGet(u).op(Op.f64Sub).f64Const(DOWN).op(Op.f64Mul).localSet(viaGap);
    code.localGet(viaGap).localGet(viaLower).localGet(viaGap).localGet(viaLower).op(Op.f64Gt).op(Op.select).localSet(l);
    code.localGet(UPPER).localGet(i).op(Op.i32Add).localGet(u).f64Store(0);
    code.localGet(LOWER).localGet(i).op(Op.i32Add).localGet(l).f64Store(0);
    code.localGet(CHECK).localGet(n).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(i).i32Const(3).op(Op.i32ShrU).i32Store(0);
    listUnlessProven(code, n, l, u, () => code.localGet(threshold));
  });
  code.localGet(n);
  return { params: Array(9).fill(I32), results: [I32], locals: locals.types, body: code.bytes, exportAs: 'moveBounds' };
}

function tightenBoundsKernel(cols: number): WasmFunction {
  const [X, XX, CENTRES, NORMS, LABELS, UPPER, LOWER, CHECK, NCHECK, PENDING, CONSTS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const locals = new Locals(11);
  const q = locals.add(I32);
  const end4 = locals.add(I32);
  const end = locals.add(I32);
  const n = locals.add(I32);
  const row = [0, 1, 2, 3].map(() => locals.add(I32)); // row × 8
  const label = [0, 1, 2, 3].map(() => locals.add(I32)); // label × 8
  const xp = [0, 1, 2, 3].map(() => locals.add(I32));
  const cp = [0, 1, 2, 3].map(() => locals.add(I32));
  const d = [0, 1, 2, 3].map(() => locals.add(F64));
  const u = locals.add(F64);
  const l = locals.add(F64);
  const threshold = locals.add(F64);
  const tau = locals.add(F64);
  const code = new CodeBuilder();
  const rowBytes = 8 * cols;
  code.localGet(CONSTS).f64Load(0).localSet(threshold);
  code.localGet(CONSTS).f64Load(8).localSet(tau);
  code.localGet(CHECK).localSet(q);
  code.localGet(CHECK).localGet(NCHECK).i32Const(-4).op(Op.i32And).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localSet(end4);
  code.localGet(CHECK).localGet(NCHECK).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localSet(end);
  const rows = (count: number): void => {
    for (let r = 0; r < count; r++) {
      code.localGet(q).i32Load(4 * r).i32Const(3).op(Op.i32Shl).localTee(row[r]).i32Const(cols).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(xp[r]);
      code.localGet(LABELS).localGet(row[r]).i32Const(1).op(Op.i32ShrU).op(Op.i32Add).i32Load(0).i32Const(3).op(Op.i32Shl).localTee(label[r]);
      code.i32Const(cols).op(Op.i32Mul).localGet(CENTRES).op(Op.i32Add).localSet(cp[r]);
      code.f64Const(0).localSet(d[r]);
    }
    for (let f = 0; f < cols; f++) {
      for (let r = 0; r < count; r++) code.localGet(d[r]).localGet(xp[r]).f64Load(8 * f).localGet(cp[r]).f64Load(8 * f).op(Op.f64Mul).op(Op.f64Add).localSet(d[r]);
    }
    for (let r = 0; r < count; r++) {
      // u = √max(0, (xx + (cn − 2·dot) + tau)·UP)·UP
      code.f64Const(0);
      code.localGet(XX).localGet(row[r]).op(Op.i32Add).f64Load(0);
      code.localGet(NORMS).localGet(label[r]).op(Op.i32Add).f64Load(0).f64Const(2).localGet(d[r]).op(Op.f64Mul).op(Op.f64Sub);
      code.op(Op.f64Add).localGet(tau).op(Op.f64Add).f64Const(UP).op(Op.f64Mul);
      code.op(Op.f64Max).op(Op.f64Sqrt).f64Const(UP).op(Op.f64Mul).localSet(u);
      code.localGet(LOWER).localGet(row[r]).op(Op.i32Add).f64Load(0).localSet(l);
      code.localGet(UPPER).localGet(row[r]).op(Op.i32Add).localGet(u).f64Store(0);
      code.localGet(PENDING).localGet(n).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(row[r]).i32Const(3).op(Op.i32ShrU).i32Store(0);
      listUnlessProven(code, n, l, u, () => code.localGet(threshold));
    }
  };
  listLoop(code, q, end4, 16, () => rows(4));
  listLoop(code, q, end, 4, () => rows(1));
  code.localGet(n);
  return { params: Array(11).fill(I32), results: [I32], locals: locals.types, body: code.bytes, exportAs: 'tightenBounds' };
}

function tightenChunkKernel(cols: number, move = false): WasmFunction {
  const GROUP = 8;
  const [X, XX, CENTRES, NORMS, LABELS, UPPER, LOWER, FIRST, END, PENDING, CONSTS, HALF, OTHER] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const nParams = move ? 13 : 12;
  const locals = new Locals(nParams);
  const i = locals.add(I32); // row × 8
  const end4 = locals.add(I32);
  const end = locals.add(I32);
  const n = locals.add(I32);
  const xp = locals.add(I32); // the first row's values
  // Eight rows at a time: eight independent sums keep both adders busy through the add latency.
  const label = Array.from({ length: GROUP }, () => locals.add(I32)); // label × 8
  const cp = Array.from({ length: GROUP }, () => locals.add(I32));
  const d = Array.from({ length: GROUP }, () => locals.add(F64));
  const u = locals.add(F64);
  const l = locals.add(F64);
  const gap = locals.add(F64);
  const threshold = locals.add(F64);
  const tau = locals.add(F64);
  const code = new CodeBuilder();
  const rowBytes = 8 * cols;
  code.localGet(CONSTS).f64Load(0).localSet(threshold);
  code.localGet(CONSTS).f64Load(8).localSet(tau);
  code.localGet(FIRST).i32Const(3).op(Op.i32Shl).localSet(i);
  code.localGet(END).i32Const(3).op(Op.i32Shl).localSet(end);
  code.localGet(END).localGet(FIRST).op(Op.i32Sub).i32Const(-GROUP).op(Op.i32And).localGet(FIRST).op(Op.i32Add).i32Const(3).op(Op.i32Shl).localSet(end4);
  // Contiguous rows: row r of a group is at constant offsets from the group's first.
  const rows = (count: number): void => {
    code.localGet(i).i32Const(cols).op(Op.i32Mul).localGet(X).op(Op.i32Add).localSet(xp);
    for (let r = 0; r < count; r++) {
      code.localGet(LABELS).localGet(i).i32Const(1).op(Op.i32ShrU).op(Op.i32Add).i32Load(4 * r).i32Const(3).op(Op.i32Shl).localTee(label[r]);
      code.i32Const(cols).op(Op.i32Mul).localGet(CENTRES).op(Op.i32Add).localSet(cp[r]);
      code.f64Const(0).localSet(d[r]);
    }
    for (let f = 0; f < cols; f++) {
      for (let r = 0; r < count; r++) code.localGet(d[r]).localGet(xp).f64Load(r * rowBytes + 8 * f).localGet(cp[r]).f64Load(8 * f).op(Op.f64Mul).op(Op.f64Add).localSet(d[r]);
    }
    for (let r = 0; r < count; r++) {
      // u = √max(0, (xx + (cn − 2·dot) + tau)·UP)·UP
      code.f64Const(0);
      code.localGet(XX).localGet(i).op(Op.i32Add).f64Load(8 * r);
      code.localGet(NORMS).localGet(label[r]).op(Op.i32Add).f64Load(0).f64Const(2).localGet(d[r]).op(Op.f64Mul).op(Op.f64Sub);
      code.op(Op.f64Add).localGet(tau).op(Op.f64Add).f64Const(UP).op(Op.f64Mul);
      code.op(Op.f64Max).op(Op.f64Sqrt).f64Const(UP).op(Op.f64Mul).localSet(u);
      // l = gap > lower ? gap : lower, gap = (2·half − u)·DOWN
      code.f64Const(2).localGet(HALF).localGet(label[r]).op(Op.i32Add).f64Load(0).op(Op.f64Mul).localGet(u).op(Op.f64Sub).f64Const(DOWN).op(Op.f64Mul).localSet(gap);
      code.localGet(LOWER).localGet(i).op(Op.i32Add).f64Load(8 * r);
      // With move, the lower bound first comes down by how far another centre may have come: (lower − otherMove)·DOWN.
      if (move) code.localGet(OTHER).localGet(label[r]).op(Op.i32Add).f64Load(0).op(Op.f64Sub).f64Const(DOWN).op(Op.f64Mul);
      code.localSet(l);
      code.localGet(gap).localGet(l).localGet(gap).localGet(l).op(Op.f64Gt).op(Op.select).localSet(l);
      code.localGet(UPPER).localGet(i).op(Op.i32Add).localGet(u).f64Store(8 * r);
      code.localGet(LOWER).localGet(i).op(Op.i32Add).localGet(l).f64Store(8 * r);
      code.localGet(PENDING).localGet(n).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(i).i32Const(3).op(Op.i32ShrU).i32Const(r).op(Op.i32Add).i32Store(0);
      listUnlessProven(code, n, l, u, () => code.localGet(threshold));
    }
  };
  listLoop(code, i, end4, 8 * GROUP, () => rows(GROUP));
  listLoop(code, i, end, 8, () => rows(1));
  code.localGet(n);
  return { params: Array(nParams).fill(I32), results: [I32], locals: locals.types, body: code.bytes, exportAs: move ? 'moveTightenChunk' : 'tightenChunk' };
}

function groupRowsKernel(cols: number): WasmFunction {
  const [LABELS, FIRST, END, K, FILL, START, OFFSETS, COUNTS] = [0, 1, 2, 3, 4, 5, 6, 7];
  const locals = new Locals(8);
  const i = locals.add(I32); // row × 4, into LABELS
  const end = locals.add(I32);
  const c = locals.add(I32); // cluster × 4
  const cEnd = locals.add(I32);
  const at = locals.add(I32);
  const n = locals.add(I32);
  const code = new CodeBuilder();
  code.localGet(K).i32Const(2).op(Op.i32Shl).localSet(cEnd);
  code.localGet(END).i32Const(2).op(Op.i32Shl).localSet(end);
  code.i32Const(0).localSet(c);
  listLoop(code, c, cEnd, 4, () => code.localGet(FILL).localGet(c).op(Op.i32Add).i32Const(0).i32Store(0));
  // fill[label] += 1 for every row.
  code.localGet(FIRST).i32Const(2).op(Op.i32Shl).localSet(i);
  listLoop(code, i, end, 4, () => {
    code.localGet(LABELS).localGet(i).op(Op.i32Add).i32Load(0).i32Const(2).op(Op.i32Shl).localGet(FILL).op(Op.i32Add).localTee(at);
    code.localGet(at).i32Load(0).i32Const(1).op(Op.i32Add).i32Store(0);
  });
  // counts[c] += fill[c]; start[c + 1] = start[c] + fill[c]; fill[c] = start[c]
  code.i32Const(0).localSet(c);
  listLoop(code, c, cEnd, 4, () => {
    code.localGet(FILL).localGet(c).op(Op.i32Add).i32Load(0).localSet(n);
    code.localGet(COUNTS).localGet(c).i32Const(1).op(Op.i32Shl).op(Op.i32Add).localTee(at);
    code.localGet(at).f64Load(0).localGet(n).op(Op.f64ConvertI32S).op(Op.f64Add).f64Store(0);
    code.localGet(START).localGet(c).op(Op.i32Add).localGet(START).localGet(c).op(Op.i32Add).i32Load(0).localGet(n).op(Op.i32Add).i32Store(4);
    code.localGet(FILL).localGet(c).op(Op.i32Add).localGet(START).localGet(c).op(Op.i32Add).i32Load(0).i32Store(0);
  });
  // offsets[fill[label]++] = row × cols
  code.localGet(FIRST).i32Const(2).op(Op.i32Shl).localSet(i);
  listLoop(code, i, end, 4, () => {
    code.localGet(LABELS).localGet(i).op(Op.i32Add).i32Load(0).i32Const(2).op(Op.i32Shl).localGet(FILL).op(Op.i32Add).localTee(at);
    code.i32Load(0).localSet(n);
    code.localGet(OFFSETS).localGet(n).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(i).i32Const(2).op(Op.i32ShrU).i32Const(cols).op(Op.i32Mul).i32Store(0);
    code.localGet(at).localGet(n).i32Const(1).op(Op.i32Add).i32Store(0);
  });
  return { params: Array(8).fill(I32), results: [], locals: locals.types, body: code.bytes, exportAs: 'groupRows' };
}

function listNeededKernel(): WasmFunction {
  const [OWNER, CLOSEST, GAP, K, FIRST, COUNT, NEEDED] = [0, 1, 2, 3, 4, 5, 6];
  const locals = new Locals(7);
  const i = locals.add(I32);
  const end = locals.add(I32);
  const n = locals.add(I32);
  const tau = locals.add(F64);
  const code = new CodeBuilder();
  code.localGet(GAP).localGet(K).i32Const(3).op(Op.i32Shl).op(Op.i32Add).f64Load(0).localSet(tau);
  code.localGet(FIRST).localSet(i);
  code.localGet(FIRST).localGet(COUNT).op(Op.i32Add).localSet(end);
  listLoop(code, i, end, 1, () => {
    code.localGet(NEEDED).localGet(n).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(i).i32Store(0);
    // n += !(minGap[owner[i]] > 4·(closest[i] + tau)·UP)
    code.localGet(n);
    code.localGet(GAP).localGet(OWNER).localGet(i).i32Const(2).op(Op.i32Shl).op(Op.i32Add).i32Load(0).i32Const(3).op(Op.i32Shl).op(Op.i32Add).f64Load(0);
    code.f64Const(4).localGet(CLOSEST).localGet(i).i32Const(3).op(Op.i32Shl).op(Op.i32Add).f64Load(0).localGet(tau).op(Op.f64Add).op(Op.f64Mul).f64Const(UP).op(Op.f64Mul);
    code.op(Op.f64Gt).op(Op.i32Eqz).op(Op.i32Add).localSet(n);
  });
  code.localGet(n);
  return { params: Array(7).fill(I32), results: [I32], locals: locals.types, body: code.bytes, exportAs: 'listNeeded' };
}

/** Σ‖x_i − c_label‖² as inertiaOfPairs adds it: per row in blocks of four features, then one by one; rows in order. */
function inertiaKernel(cols: number): WasmFunction {
  const [X, CENTRES, LABELS, FIRST, END, INERTIA] = [0, 1, 2, 3, 4, 5];
  const locals = new Locals(6);
  const row = locals.add(I32); // row index
  const a = locals.add(I32);
  const b = locals.add(I32);
  const ca = locals.add(I32);
  const cb = locals.add(I32);
  const sa = locals.add(F64);
  const sb = locals.add(F64);
  const t = locals.add(F64);
  const acc = locals.add(F64);
  const rowBytes = 8 * cols;
  const code = new CodeBuilder();
  code.localGet(INERTIA).localSet(acc);
  code.localGet(FIRST).localSet(row);
  const diff2 = (xp: number, cp: number, f: number): void => {
    code.localGet(xp).f64Load(8 * f).localGet(cp).f64Load(8 * f).op(Op.f64Sub).localTee(t).localGet(t).op(Op.f64Mul);
  };
  listLoop(code, row, END, 2, () => {
    code.localGet(row).i32Const(rowBytes).op(Op.i32Mul).localGet(X).op(Op.i32Add).localTee(a).i32Const(rowBytes).op(Op.i32Add).localSet(b);
    for (const [r, cp] of [[0, ca], [1, cb]]) {
      code.localGet(LABELS).localGet(row).i32Const(2).op(Op.i32Shl).op(Op.i32Add).i32Load(4 * r).i32Const(rowBytes).op(Op.i32Mul).localGet(CENTRES).op(Op.i32Add).localSet(cp);
    }
    code.f64Const(0).localSet(sa).f64Const(0).localSet(sb);
    let f = 0;
    for (; f + 4 <= cols; f += 4) {
      // s += d0² + d1² + d2² + d3², the block summed left to right first.
      for (const [xp, cp, s] of [[a, ca, sa], [b, cb, sb]]) {
        code.localGet(s);
        diff2(xp, cp, f);
        diff2(xp, cp, f + 1);
        code.op(Op.f64Add);
        diff2(xp, cp, f + 2);
        code.op(Op.f64Add);
        diff2(xp, cp, f + 3);
        code.op(Op.f64Add).op(Op.f64Add).localSet(s);
      }
    }
    for (; f < cols; f++) {
      for (const [xp, cp, s] of [[a, ca, sa], [b, cb, sb]]) {
        code.localGet(s);
        diff2(xp, cp, f);
        code.op(Op.f64Add).localSet(s);
      }
    }
    code.localGet(acc).localGet(sa).op(Op.f64Add).localGet(sb).op(Op.f64Add).localSet(acc);
  });
  code.localGet(acc);
  return { params: [I32, I32, I32, I32, I32, F64], results: [F64], locals: locals.types, body: code.bytes, exportAs: 'inertia' };
}

function finishRowsKernel(cols: number): WasmFunction {
  const [V, WIDTH, COUNT, INDEX, K, XX, LABELS, UPPER, LOWER, CN, CONSTS, HARD, CHANGED] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const locals = new Locals(13);
  const q = locals.add(I32);
  const end = locals.add(I32);
  const vo = locals.add(I32);
  const r = locals.add(I32);
  const row = locals.add(I32); // row × 8
  const j = locals.add(I32); // centroid × 8
  const jEnd = locals.add(I32);
  const best = locals.add(I32); // centroid × 8
  const m = locals.add(I32);
  const nHard = locals.add(I32);
  const changed = locals.add(I32);
  const [bestV, second, w, xs, scaled, bestErr, errScale, cnMax, tau] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(() => locals.add(F64));
  const code = new CodeBuilder();
  code.localGet(CONSTS).f64Load(0).localSet(errScale);
  code.localGet(CONSTS).f64Load(8).localSet(cnMax);
  code.localGet(CONSTS).f64Load(16).localSet(tau);
  code.localGet(K).i32Const(3).op(Op.i32Shl).localSet(jEnd);
  code.localGet(INDEX).localSet(q);
  code.localGet(INDEX).localGet(COUNT).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localSet(end);
  code.localGet(V).localSet(vo);
  listLoop(code, q, end, 4, () => {
    code.localGet(q).i32Load(0).i32Const(3).op(Op.i32Shl).localSet(row);
    // The plain winner (the first of equals) and the smallest other value, as finishRow.
    code.localGet(vo).f64Load(0).localSet(bestV).i32Const(0).localSet(best).f64Const(Infinity).localSet(second);
    code.i32Const(8).localSet(j);
    listLoop(code, j, jEnd, 8, () => {
      code.localGet(vo).localGet(j).op(Op.i32Add).f64Load(0).localSet(w);
      code.localGet(w).localGet(bestV).op(Op.f64Lt).localSet(m);
      code.localGet(bestV).localGet(w).localGet(second).localGet(w).localGet(second).op(Op.f64Lt).op(Op.select).localGet(m).op(Op.select).localSet(second);
      code.localGet(w).localGet(bestV).localGet(m).op(Op.select).localSet(bestV);
      code.localGet(j).localGet(best).localGet(m).op(Op.select).localSet(best);
    });
    code.localGet(XX).localGet(row).op(Op.i32Add).f64Load(0).localSet(xs);
    code.block().block();
    // Left to the JavaScript: Σx² out of rowNormBound's fast range, a NaN winner, or a near tie.
    code.localGet(xs).f64Const(2 ** -900).op(Op.f64Ge).localGet(xs).f64Const(Infinity).op(Op.f64Lt).op(Op.i32And).op(Op.i32Eqz);
    code.localGet(bestV).localGet(bestV).op(Op.f64Ne).op(Op.i32Or).brIf(0);
    // scaled = errScale·(√xs·(1 + (cols + 8)u)); bestErr = scaled·cn[best] + 4u·|bestV| + TINY
    code.localGet(errScale).localGet(xs).op(Op.f64Sqrt).f64Const(1 + (cols + 8) * U).op(Op.f64Mul).op(Op.f64Mul).localSet(scaled);
    code.localGet(scaled).localGet(CN).localGet(best).op(Op.i32Add).f64Load(0).op(Op.f64Mul);
    code.f64Const(4 * U).localGet(bestV).op(Op.f64Abs).op(Op.f64Mul).op(Op.f64Add).f64Const(TINY).op(Op.f64Add).localSet(bestErr);
    // Proven when second − (scaled·cnMax + 4u·|second| + TINY) > bestV + bestErr.
    code.localGet(second);
    code.localGet(scaled).localGet(cnMax).op(Op.f64Mul).f64Const(4 * U).localGet(second).op(Op.f64Abs).op(Op.f64Mul).op(Op.f64Add).f64Const(TINY).op(Op.f64Add);
    code.op(Op.f64Sub).localGet(bestV).localGet(bestErr).op(Op.f64Add).op(Op.f64Gt).op(Op.i32Eqz).brIf(0);
    // The label and its bounds, as Lloyd's assignExactly.
    code.localGet(changed).localGet(LABELS).localGet(row).i32Const(1).op(Op.i32ShrU).op(Op.i32Add).i32Load(0).localGet(best).i32Const(3).op(Op.i32ShrU).op(Op.i32Ne).op(Op.i32Add).localSet(changed);
    code.localGet(LABELS).localGet(row).i32Const(1).op(Op.i32ShrU).op(Op.i32Add).localGet(best).i32Const(3).op(Op.i32ShrU).i32Store(0);
    code.localGet(UPPER).localGet(row).op(Op.i32Add);
    code.f64Const(0).localGet(xs).localGet(bestV).op(Op.f64Add).localGet(tau).op(Op.f64Add).f64Const(UP).op(Op.f64Mul).op(Op.f64Max).op(Op.f64Sqrt).f64Const(UP).op(Op.f64Mul).f64Store(0);
    code.localGet(LOWER).localGet(row).op(Op.i32Add);
    code.f64Const(0).localGet(xs).localGet(second).op(Op.f64Add).localGet(tau).op(Op.f64Sub).f64Const(DOWN).op(Op.f64Mul).op(Op.f64Max).op(Op.f64Sqrt).f64Const(DOWN).op(Op.f64Mul).f64Store(0);
    code.br(1);
    code.end();
    code.localGet(HARD).localGet(nHard).i32Const(2).op(Op.i32Shl).op(Op.i32Add).localGet(r).i32Store(0);
    code.localGet(nHard).i32Const(1).op(Op.i32Add).localSet(nHard);
    code.end();
    code.localGet(r).i32Const(1).op(Op.i32Add).localSet(r);
    code.localGet(vo).localGet(WIDTH).op(Op.i32Add).localSet(vo);
  });
  code.localGet(CHANGED).localGet(CHANGED).i32Load(0).localGet(changed).op(Op.i32Add).i32Store(0);
  code.localGet(nHard);
  return { params: Array(13).fill(I32), results: [I32], locals: locals.types, body: code.bytes, exportAs: 'finishRows' };
}

