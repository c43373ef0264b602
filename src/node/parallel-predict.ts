import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import type { XGBoostModel } from '../formats/xgboost/xgboost-model.js';
import { batchBlockRows, planChunks, splitRowViews } from '../trees/compile.js';
import { completeLayout, splitMissing } from '../trees/complete-layout.js';
import { checkRows } from '../trees/predict.js';
import { toFloat32Rows, type Rows } from '../trees/rows.js';
import type { TreeEnsemble } from '../trees/types.js';

/** Options for {@link createPredictionPool}. */
export interface PredictionPoolOptions {
  /** Worker threads; default: the machine's available parallelism. */
  threads?: number;
  /** Batches smaller than this run on the calling thread (default 2,000 rows). */
  minRowsPerThread?: number;
}

/**
 * A pool of `worker_threads` scoring one model in parallel. Each worker holds the same
 * generated code as the single-threaded compiled predictor (or the interpreter for trees
 * too large to compile), reads rows from shared memory and writes margins into shared
 * memory, so results are bit-identical to `model.predict`.
 */
export interface PredictionPool {
  readonly threads: number;
  /** Margins, `numRows × numOutputs`, as `predictMargins` gives them. */
  predictMargins(rows: Float32Array, numRows: number): Promise<Float64Array>;
  /** Like `model.predict(rows, { output })` for 'value' (default) and 'margin'. Needs a model, not a bare ensemble. */
  predict(rows: Rows, options?: { output?: 'value' | 'margin' }): Promise<Float32Array>;
  /** Stops the workers. */
  close(): Promise<void>;
}

// The worker is plain JavaScript evaluated from a string, so it runs the same from the
// TypeScript sources (tsx, vitest) and from the built ESM or CJS bundles, with no file to locate.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const d = workerData;
const fns = d.sources.map((s) => (s === null ? null : new Function('bits', 'w', 'th', 'lf', s)(d.categoryBits, d.words, d.thresholds, d.leaves)));
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
  for (let r = 0; r < n; r++) for (let k = 0; k < K; k++) out[r * K + k] = d.baseMargin[k];
  for (let b = 0; b < n; b += d.blockRows) {
    const m = Math.min(d.blockRows, n - b);
    const x = rows.subarray(b * F, (b + m) * F), o = out.subarray(b * K, (b + m) * K);
    if (d.perRow) splitMissing(x, F, 0, m, split);
    for (let c = 0; c < fns.length; c++) {
      const fn = fns[c];
      if (fn === null) interpret(x, m, o, d.begins[c], d.ends[c]);
      else if (d.chunkPerRow[c]) for (let r = 0; r < m; r++) fn(keyRows[r], o, r * K);
      else fn(x, m, o);
    }
  }
  parentPort.postMessage(task.id);
});
`;

function isModel(source: XGBoostModel | TreeEnsemble): source is XGBoostModel {
  return typeof (source as XGBoostModel).predict === 'function';
}

/**
 * Starts a worker pool for large batches. The rows are copied once into shared memory
 * (or used in place when already backed by a SharedArrayBuffer), split into one
 * contiguous range per worker, and scored by compiled code in each worker.
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
  const workerData = {
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
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_SOURCE, { eval: true, workerData }));
  const pending = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
  let nextId = 0;
  let closed = false;
  for (const worker of workers) {
    worker.on('message', (id: number) => {
      pending.get(id)?.resolve();
      pending.delete(id);
    });
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    worker.unref();
  }

  const run = (worker: Worker, task: { rows: SharedArrayBuffer; out: SharedArrayBuffer; begin: number; end: number }): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...task });
    }).finally(() => worker.unref());

  const predictMargins = async (rows: Float32Array, numRows: number): Promise<Float64Array> => {
    if (closed) throw new InputError('the prediction pool is closed');
    checkRows(ensemble, rows, numRows);
    const parts = Math.min(threads, Math.max(1, Math.floor(numRows / minRows)));
    if (parts <= 1 && model) return Float64Array.from(model.predict(rows, { output: 'margin' }));
    let shared: SharedArrayBuffer;
    if (rows.buffer instanceof SharedArrayBuffer && rows.byteOffset === 0) shared = rows.buffer;
    else {
      shared = new SharedArrayBuffer(rows.length * 4);
      new Float32Array(shared).set(rows);
    }
    const out = new SharedArrayBuffer(numRows * numOutputs * 8);
    const tasks: Promise<void>[] = [];
    for (let p = 0; p < parts; p++) {
      const begin = Math.floor((numRows * p) / parts);
      const end = Math.floor((numRows * (p + 1)) / parts);
      tasks.push(run(workers[p], { rows: shared, out, begin, end }));
    }
    await Promise.all(tasks);
    return new Float64Array(out);
  };

  return {
    threads,
    predictMargins,
    async predict(rows, options = {}) {
      if (!model) throw new InputError('predict needs an XGBoost model; use predictMargins for a bare ensemble');
      const output = options.output ?? 'value';
      if (output !== 'value' && output !== 'margin') throw new InputError(`output must be 'value' or 'margin', got '${String(output)}'`);
      const { values, numRows } = toFloat32Rows(rows, { numFeatures, featureNames: model.featureNames, categoryCodes: categoryCodesOf(model) });
      const margins = await predictMargins(values, numRows);
      return output === 'margin' ? Float32Array.from(margins) : model.marginsToValues(margins, numRows);
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function categoryCodesOf(model: XGBoostModel): (Map<string, number> | null)[] {
  return model.categories.map((names) => (names ? new Map(names.map((name, code) => [name, code])) : null));
}
