import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError, WorkerError } from '../errors.js';
import type { XGBoostModel } from '../formats/xgboost/xgboost-model.js';
import { batchBlockRows, planChunks, splitRowViews } from '../trees/compile.js';
import { addBlocks, fillBlock, portableWasmScorer } from '../trees/compile-wasm.js';
import { completeLayout, splitMissing } from '../trees/complete-layout.js';
import { checkRows, resolveRange, type TreeRange } from '../trees/predict.js';
import type { Rows } from '../trees/rows.js';
import type { TreeEnsemble } from '../trees/types.js';

/** Options for {@link createPredictionPool}. */
export interface PredictionPoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  threads?: number;
  /** Batches smaller than this run on the calling thread (default 2,000 rows). */
  minRowsPerThread?: number;
}

/** Options for {@link PredictionPool.predict}, as for `model.predict`. */
export interface PoolPredictOptions {
  /** 'value' (default) or 'margin'. */
  output?: 'value' | 'margin';
  /** Boosting rounds [begin, end); default: the model's rounds (all, or up to best_iteration with `useBestIteration`). */
  iterationRange?: readonly [number, number];
}

/** Options for {@link PredictionPool.close}. */
export interface PoolCloseOptions {
  /**
   * 'drain' (default): calls already made finish (queued ones included), then the workers
   * stop. 'abort': every unfinished call rejects with a `WorkerError` (`reason: 'closed'`)
   * and the workers stop at once.
   */
  mode?: 'drain' | 'abort';
}

/**
 * A pool of `worker_threads` scoring one model in parallel. Each worker runs the model's
 * WebAssembly module for its default rounds (compiled once here, instantiated over a copy
 * of its memory) and generated JavaScript for other ranges or where WebAssembly cannot be
 * built (the interpreter where code generation is disallowed). It reads rows from shared
 * memory and writes margins into shared memory, so results are bit-identical to `model.predict`.
 *
 * Every call settles: with results, or with a `WorkerError` when the worker scoring part
 * of it exits, is terminated or throws (that worker is replaced and other calls go on), or
 * when the pool is closed with `mode: 'abort'`. Workers keep the process alive only while
 * they hold work, so pending calls are never cut off and an idle pool never holds the
 * process open.
 */
export interface PredictionPool {
  readonly threads: number;
  /** True when the workers score the default rounds on WebAssembly (else generated JavaScript, or the interpreter where that is disallowed). */
  readonly webassembly: boolean;
  /**
   * Margins, `numRows × numOutputs`, as `predictMargins` gives them, over the trees `range`
   * selects: by default the model's rounds (as `model.predict`) for a model, every tree for a bare ensemble.
   */
  predictMargins(rows: Float32Array, numRows: number, range?: TreeRange): Promise<Float64Array>;
  /** Like `model.predict(rows, options)` for 'value' (default) and 'margin'. Needs a model, not a bare ensemble. */
  predict(rows: Rows, options?: PoolPredictOptions): Promise<Float32Array>;
  /** Stops the workers, after the calls in flight finish ('drain', default) or rejecting them ('abort'). */
  close(options?: PoolCloseOptions): Promise<void>;
}

// The worker is plain JavaScript evaluated from a string, so it runs the same from the
// TypeScript sources (tsx, vitest) and from the built ESM or CJS bundles, with no file to locate.
const WORKER_SOURCE = String.raw`
// The source runs as CommonJS, or as an ES module when the parent ran 'node --input-type=module -e'
// (workers inherit the flag), where only process.getBuiltinModule (Node ≥ 20.16) reaches built-ins.
const { parentPort, workerData } = typeof require === 'function' ? require('node:worker_threads') : process.getBuiltinModule('node:worker_threads');
const d = workerData;
// Where code generation is disallowed (node --disallow-code-generation-from-strings), a chunk is interpreted instead.
const compileChunk = (s) => {
  try {
    return new Function('bits', 'w', 'th', 'lf', s)(d.categoryBits, d.words, d.thresholds, d.leaves);
  } catch (error) {
    if (error instanceof EvalError) return null;
    throw error;
  }
};
// Compiled on the first task that needs them: with WebAssembly, only other iteration ranges do.
let compiledChunks = null;
const chunkFunctions = () => (compiledChunks ??= d.sources.map((s) => (s === null ? null : compileChunk(s))));
// The trees the WebAssembly module covers run on it: the module built on the main thread, over a copy of its memory.
const fillBlock = ${fillBlock.toString()};
const addBlocks = ${addBlocks.toString()};
let wasm = null;
if (d.wasm !== null) {
  const memory = new WebAssembly.Memory({ initial: d.wasm.pages, maximum: d.wasm.pages });
  new Uint8Array(memory.buffer).set(new Uint8Array(d.wasm.memory));
  const exports = new WebAssembly.Instance(d.wasm.module, { env: { memory } }).exports;
  const L = d.wasm.layout;
  wasm = {
    begin: d.wasm.begin,
    end: d.wasm.end,
    layout: L,
    block: {
      keys: new Int32Array(memory.buffer, 0, L.blockRows * L.words),
      floats: new Float32Array(memory.buffer, 0, L.blockRows * L.words),
      margins: new Float64Array(memory.buffer, L.outAt, L.blockRows * L.numOutputs),
      run: exports.block,
      fill: fillBlock,
    },
  };
}
// The library's own splitMissing and splitRowViews (they read nothing outside themselves), for per-row chunks.
const splitMissing = ${splitMissing.toString()};
const splitRowViews = ${splitRowViews.toString()};
const { split, rows: keyRows } = splitRowViews(d.perRow ? d.blockRows : 0, d.numFeatures);
const fround = Math.fround;
function inSet(slot, x) {
  if (!(x >= 0 && x < 16777216)) return false;
  const c = Math.trunc(x);
  const word = d.categoryStart[slot] + (c >>> 5);
  if (word >= d.categoryStart[slot + 1]) return false;
  return ((d.categoryBits[word] >>> (c & 31)) & 1) === 1;
}
function interpret(rows, numRows, out, begin, end) {
  const F = d.numFeatures, K = d.numOutputs, W = d.leafWidth, f32 = d.float32;
  for (let t = begin; t < end; t++) {
    const root = d.treeStart[t], output = d.treeOutput[t];
    for (let r = 0; r < numRows; r++) {
      let node = root;
      while (d.feature[node] >= 0) {
        const x = rows[r * F + d.feature[node]];
        if (x !== x) node = d.defaultLeft[node] === 1 ? d.left[node] : d.right[node];
        else if (d.categorySlot[node] < 0) node = x < d.threshold[node] ? d.left[node] : d.right[node];
        else node = inSet(d.categorySlot[node], x) ? d.right[node] : d.left[node];
      }
      if (W === 1) {
        const o = r * K + output;
        out[o] = f32 ? fround(out[o] + d.leafValues[node]) : out[o] + d.leafValues[node];
      } else {
        for (let k = 0; k < W; k++) {
          const o = r * K + k;
          out[o] = f32 ? fround(out[o] + d.leafValues[node * W + k]) : out[o] + d.leafValues[node * W + k];
        }
      }
    }
  }
}
parentPort.on('message', (task) => {
  const F = d.numFeatures, K = d.numOutputs;
  const rows = new Float32Array(task.rows, task.begin * F * 4, (task.end - task.begin) * F);
  const out = new Float64Array(task.out, task.begin * K * 8, (task.end - task.begin) * K);
  const n = task.end - task.begin;
  const first = task.treeBegin, last = task.treeEnd;
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) out[r * K + k] = d.baseMargin[k];
  if (wasm !== null && first === wasm.begin && last === wasm.end) {
    addBlocks(wasm.layout, rows, n, out, wasm.block);
    parentPort.postMessage(task.id);
    return;
  }
  const fns = chunkFunctions();
  for (let b = 0; b < n; b += d.blockRows) {
    const m = Math.min(d.blockRows, n - b);
    const x = rows.subarray(b * F, (b + m) * F), o = out.subarray(b * K, (b + m) * K);
    if (d.perRow) splitMissing(x, F, 0, m, split);
    // As compileEnsemble does: whole chunks inside the range run compiled, a chunk cut by
    // the range is interpreted over its part, in tree order, so the bits match.
    for (let c = 0; c < fns.length; c++) {
      const cb = d.begins[c], ce = d.ends[c];
      if (ce <= first || cb >= last) continue;
      const fn = fns[c];
      if (fn === null || cb < first || ce > last) interpret(x, m, o, Math.max(cb, first), Math.min(ce, last));
      else if (d.chunkPerRow[c]) for (let r = 0; r < m; r++) fn(keyRows[r], o, r * K);
      else fn(x, m, o);
    }
  }
  parentPort.postMessage(task.id);
});
parentPort.postMessage(-1);
`;

function isModel(source: XGBoostModel | TreeEnsemble): source is XGBoostModel {
  return typeof (source as XGBoostModel).predict === 'function';
}

/** Part of one call: rows [begin, end) of its shared input. */
interface Task {
  readonly id: number;
  readonly call: Call;
  readonly message: { id: number; rows: SharedArrayBuffer; out: SharedArrayBuffer; begin: number; end: number; treeBegin: number; treeEnd: number };
}

/** One `predictMargins` call: settles once, when its last task reports or any task fails. */
interface Call {
  remaining: number;
  settled: boolean;
  resolve(): void;
  reject(error: WorkerError): void;
}

interface Slot {
  readonly index: number;
  /** Null once the pool has stopped it. */
  worker: Worker | null;
  /** True once the worker's code has loaded (it says so with id -1). */
  ready: boolean;
  task: Task | null;
  /** The error the worker threw, reported before its exit. */
  error: Error | null;
}

/**
 * Starts a worker pool for large batches. The rows are copied once into shared memory
 * (or used in place when already backed by a SharedArrayBuffer), split into one
 * contiguous range per worker, and scored by compiled code in each worker. Resolves once
 * every worker has loaded the model; rejects with a `WorkerError` (`reason: 'start'`)
 * if one cannot.
 *
 * @example
 * const pool = await createPredictionPool(model, { threads: 2 });
 * const p = await pool.predict(rows); // same Float32Array as model.predict(rows)
 * await pool.close();
 */
export async function createPredictionPool(source: XGBoostModel | TreeEnsemble, options: PredictionPoolOptions = {}): Promise<PredictionPool> {
  const model = isModel(source) ? source : null;
  const ensemble = model ? model.ensemble : (source as TreeEnsemble);
  if (!ensemble) throw new InputError('a prediction pool needs a tree model; this one is gblinear');
  const threads = options.threads ?? Math.max(1, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new InputError(`threads must be an integer in [1, 256], got ${threads}`);
  const minRows = options.minRowsPerThread ?? 2000;
  const chunks = planChunks(ensemble);
  const layout = completeLayout(ensemble);
  const perRow = chunks.some((c) => c.perRow);
  const { numFeatures, numOutputs } = ensemble;
  // The model's default rounds (every tree for a bare ensemble) run on WebAssembly in the workers, where it can be built.
  const defaultTrees = model ? model.treesFor() : { treeBegin: 0, treeEnd: ensemble.numTrees };
  const wasm = portableWasmScorer(ensemble, defaultTrees);
  const workerData = {
    wasm,
    sources: chunks.map((c) => c.source),
    perRow,
    chunkPerRow: chunks.map((c) => c.perRow),
    words: layout.words,
    thresholds: layout.thresholds,
    leaves: layout.leaves,
    begins: chunks.map((c) => c.begin),
    ends: chunks.map((c) => c.end),
    numFeatures,
    numOutputs,
    leafWidth: ensemble.leafWidth,
    float32: ensemble.accumulate === 'float32',
    baseMargin: ensemble.baseMargin,
    blockRows: batchBlockRows(numFeatures, perRow),
    treeStart: ensemble.treeStart,
    treeOutput: ensemble.treeOutput,
    feature: ensemble.feature,
    threshold: ensemble.threshold,
    left: ensemble.left,
    right: ensemble.right,
    defaultLeft: ensemble.defaultLeft,
    categorySlot: ensemble.categorySlot,
    categoryStart: ensemble.categoryStart,
    categoryBits: ensemble.categoryBits,
    leafValues: ensemble.leafValues,
  };

  const queue: Task[] = [];
  let nextId = 0;
  let closing: Promise<void> | null = null;
  /** Set when a worker cannot even load the model: replacing it would fail the same way. */
  let broken: WorkerError | null = null;
  let startup: { resolve(): void; reject(error: WorkerError): void } | null = null;
  const starting = new Promise<void>((resolve, reject) => (startup = { resolve, reject }));
  const drained: (() => void)[] = [];

  const fail = (call: Call, error: WorkerError): void => {
    if (call.settled) return;
    call.settled = true;
    call.reject(error);
  };
  const idle = (): boolean => queue.length === 0 && slots.every((s) => s.task === null);

  const dispatch = (): void => {
    for (const slot of slots) {
      if (slot.task !== null || slot.worker === null) continue;
      let task = queue.shift();
      // The rest of a call that has already failed is not worth scoring.
      while (task && task.call.settled) task = queue.shift();
      if (!task) break;
      slot.task = task;
      // A worker holding work keeps the process alive; an idle one does not (see onMessage).
      slot.worker!.ref();
      slot.worker!.postMessage(task.message);
    }
    if (idle()) for (const done of drained.splice(0)) done();
  };

  const spawn = (slot: Slot): Worker => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.on('message', (id: number) => {
      if (slot.worker !== worker) return;
      if (id === -1) {
        slot.ready = true;
        if (slot.task === null) worker.unref();
        if (startup && slots.every((s) => s.ready)) {
          startup.resolve();
          startup = null;
        }
        return;
      }
      const task = slot.task;
      if (task === null || task.id !== id) return;
      slot.task = null;
      worker.unref();
      if (!task.call.settled && --task.call.remaining === 0) {
        task.call.settled = true;
        task.call.resolve();
      }
      dispatch();
    });
    // A throw inside the worker ends it: 'error' comes first, then 'exit'.
    worker.on('error', (error) => {
      if (slot.worker === worker) slot.error = error;
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      onExit(slot, code);
    });
    return worker;
  };

  const onExit = (slot: Slot, code: number): void => {
    const task = slot.task;
    const thrown = slot.error;
    slot.task = null;
    slot.error = null;
    const name = `prediction worker ${slot.index}`;
    if (!slot.ready) {
      // It died loading the model: a replacement would too, so every call fails from here on.
      broken = new WorkerError('start', `${name} could not start: ${thrown ? describeError(thrown) : `exit code ${code}`}`, { cause: thrown ?? undefined, exitCode: code });
      if (startup) {
        startup.reject(broken);
        startup = null;
      }
      if (task) fail(task.call, broken);
      failAll(broken);
      void stopAll();
      for (const done of drained.splice(0)) done();
      return;
    }
    if (task) {
      const error = thrown
        ? new WorkerError('error', `${name} threw ${describeError(thrown)}`, { cause: thrown, exitCode: code })
        : new WorkerError('exit', `${name} exited with code ${code} before finishing its rows`, { exitCode: code });
      fail(task.call, error);
    }
    // Replace it, so queued work and later calls go on.
    slot.ready = false;
    slot.worker = spawn(slot);
    // Unlike the first workers (awaited by createPredictionPool), a replacement keeps the process alive only once it holds work.
    slot.worker.unref();
    dispatch();
  };

  const failAll = (error: WorkerError): void => {
    for (const task of queue.splice(0)) fail(task.call, error);
    for (const slot of slots) if (slot.task) fail(slot.task.call, error);
  };

  /** Terminates every worker. Detached first, so their exits are not taken for faults and replace nothing. */
  const stopAll = async (): Promise<void> => {
    const workers = slots.map((s) => s.worker);
    for (const slot of slots) {
      slot.worker = null;
      slot.task = null;
    }
    await Promise.all(workers.map((w) => w?.terminate()));
  };

  const slots: Slot[] = [];
  for (let index = 0; index < threads; index++) {
    const slot: Slot = { index, worker: null, ready: false, task: null, error: null };
    slots.push(slot);
    slot.worker = spawn(slot);
  }
  await starting;

  const run = (tasks: { rows: SharedArrayBuffer; out: SharedArrayBuffer; begin: number; end: number; treeBegin: number; treeEnd: number }[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const call: Call = { remaining: tasks.length, settled: false, resolve, reject };
      for (const message of tasks) {
        const id = nextId++;
        queue.push({ id, call, message: { id, ...message } });
      }
      dispatch();
    });

  /** Scores on the workers, or with `local` on this thread when the batch is small. */
  const score = async (rows: Float32Array, numRows: number, range: TreeRange | undefined, local: (() => Float64Array) | null): Promise<Float64Array> => {
    if (broken) throw broken;
    if (closing) throw new WorkerError('closed', 'the prediction pool is closed');
    checkRows(ensemble, rows, numRows);
    const [treeBegin, treeEnd] = resolveRange(ensemble, range);
    const parts = Math.min(threads, Math.max(1, Math.floor(numRows / minRows)));
    if (parts <= 1 && local) return local();
    let shared: SharedArrayBuffer;
    if (rows.buffer instanceof SharedArrayBuffer && rows.byteOffset === 0) shared = rows.buffer;
    else {
      shared = new SharedArrayBuffer(rows.length * 4);
      new Float32Array(shared).set(rows);
    }
    const out = new SharedArrayBuffer(numRows * numOutputs * 8);
    const tasks = [];
    for (let p = 0; p < parts; p++) {
      tasks.push({ rows: shared, out, begin: Math.floor((numRows * p) / parts), end: Math.floor((numRows * (p + 1)) / parts), treeBegin, treeEnd });
    }
    await run(tasks);
    return new Float64Array(out);
  };

  return {
    threads,
    webassembly: wasm !== null,
    predictMargins(rows, numRows, range) {
      // A model's pool scores the model's default rounds unless told otherwise, as model.predict does.
      if (model && range === undefined) return score(rows, numRows, model.treesFor(), () => Float64Array.from(model.predict(rows, { output: 'margin' })));
      return score(rows, numRows, range, null);
    },
    async predict(rows, options = {}) {
      if (!model) throw new InputError('predict needs an XGBoost model; use predictMargins for a bare ensemble');
      const output = options.output ?? 'value';
      if (output !== 'value' && output !== 'margin') throw new InputError(`output must be 'value' or 'margin', got '${String(output)}'`);
      // The model's own rule turns rounds into trees, so the pool scores what model.predict scores.
      const range = model.treesFor(options.iterationRange);
      const { values, numRows } = model.encodeRows(rows);
      const margins = await score(values, numRows, range, () => Float64Array.from(model.predict(values, { output: 'margin', iterationRange: options.iterationRange })));
      return output === 'margin' ? Float32Array.from(margins) : model.marginsToValues(margins, numRows);
    },
    close(options = {}) {
      if (closing) return closing;
      const mode = options.mode ?? 'drain';
      if (mode !== 'drain' && mode !== 'abort') return Promise.reject(new InputError(`close mode must be 'drain' or 'abort', got '${String(mode)}'`));
      if (mode === 'abort') failAll(new WorkerError('closed', 'the prediction pool was closed before the call finished'));
      const finished = mode === 'abort' || idle() || broken ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));
      closing = finished.then(stopAll);
      return closing;
    },
  };
}

function describeError(error: Error): string {
  return `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;
}
