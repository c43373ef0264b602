// XGBoost scoring: retail-ml (compiled, interpreted, worker pool) against native XGBoost
// 1.7.4 (nthread=1, through /usr/bin/python3), onnxruntime-node and xgboost-scorer, on the
// three model shapes of models/bench/ and the same 100,000 rows for every tool; then the
// realistic shapes that `models/bench/train.py --generated` makes at benchmark time (too large
// to commit): sparse deep multi-class, lossguide, categorical splits, 2,000 shallow trees
// (BENCH_GENERATED=0 skips them). Every tool's predictions are checked against native
// XGBoost's before it is timed.
//
//   npm run bench -- xgboost   (or node --import tsx benchmarks/xgboost.bench.ts; BENCH_ROWS=20000 for a quick run, BENCH_MODELS=softprob_12 for one model)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadXGBoost } from '../src/formats/xgboost/index.js';
import type { XGBoostModel } from '../src/formats/xgboost/index.js';
import { createPredictionPool } from '../src/node/parallel-predict.js';
import { planChunks } from '../src/trees/index.js';
import { bestOf } from './timing.js';

const require = createRequire(join(import.meta.dirname, 'package.json'));
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const DIR = join(import.meta.dirname, '..', 'models', 'bench');
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const PYTHON = '/usr/bin/python3';
/** V8 optimises the generated functions on a background thread; big models need seconds of warm-up. */
const WARM_MS = Number(process.env.BENCH_WARM_MS ?? 5000);
interface BenchModel {
  name: string;
  objective: string;
  num_class: number;
  num_trees: number;
  num_nodes: number;
  num_features: number;
  max_depth: number;
  model_file: string;
  json_bytes: number;
  rows_file: string;
  expected_file: string;
  expected_rows: number;
  onnx_file: string;
  generated?: boolean;
  deepest_tree?: number;
  params?: Record<string, unknown>;
  /** Where the model's files are (models/bench or models/bench/generated). */
  dir: string;
}
const readManifest = (dir: string): BenchModel[] => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).models as BenchModel[]).map((m) => ({ ...m, dir }));

const hasPython = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;
const GENERATED_DIR = join(DIR, 'generated');
const wantGenerated = process.env.BENCH_GENERATED !== '0';
if (wantGenerated && !existsSync(join(GENERATED_DIR, 'manifest.json')) && hasPython && process.env.BENCH_MODELS === undefined) {
  console.log('Training the generated benchmark models (models/bench/train.py --generated, a few minutes)...\n');
  const run = spawnSync(PYTHON, [join(DIR, 'train.py'), '--generated'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) console.log('train.py --generated failed: the generated models are skipped.\n');
}
const manifest = { models: [...readManifest(DIR), ...(wantGenerated && existsSync(join(GENERATED_DIR, 'manifest.json')) ? readManifest(GENERATED_DIR) : [])] };
const tmp = mkdtempSync(join(os.tmpdir(), 'retail-ml-bench-'));

const NATIVE = String.raw`
import json, sys, time
import numpy as np, xgboost as xgb
model_file, rows_file, nf, out_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
b = xgb.Booster(model_file=model_file); b.set_param({"nthread": 1})
X = np.fromfile(rows_file, dtype=np.float32).reshape(-1, nf)
b.inplace_predict(X).astype(np.float32).tofile(out_file)
b.inplace_predict(X, predict_type="margin").astype(np.float32).tofile(out_file + ".margin")
def best(fn, reps=3):
    t = []
    for _ in range(reps):
        s = time.perf_counter(); fn(); t.append(time.perf_counter() - s)
    return min(t)
inplace = best(lambda: b.inplace_predict(X))
# A fresh DMatrix per run: predict() caches its results per DMatrix.
dms = [xgb.DMatrix(X, missing=np.nan, nthread=1) for _ in range(3)]
dmatrix = best(lambda: b.predict(dms.pop()))
dmatrix_with_build = best(lambda: b.predict(xgb.DMatrix(X, missing=np.nan, nthread=1)), 1)
rows = [X[i:i + 1] for i in range(2000)]
for r in rows[:200]: b.inplace_predict(r)
s = time.perf_counter()
for r in rows: b.inplace_predict(r)
single = (time.perf_counter() - s) / len(rows)
print(json.dumps({"inplace": inplace, "dmatrix": dmatrix, "dmatrix_build": dmatrix_with_build, "single": single, "version": xgb.__version__}))
`;

interface Row {
  tool: string;
  rowsPerSec: number | null;
  singleUs: number | null;
  /** One row through `predict`: a Float32Array row, and `[[...]]` as services pass it. */
  predictUs?: { typed: number; array: number } | null;
  check: string;
}

/** Best of `reps` runs, in seconds. */
const bestSeconds = (reps: number, fn: () => void): number => bestOf(reps, fn) / 1000;

/** Mean µs per call over `calls` calls, after warming up for about `warmMs`. */
function latency(warmMs: number, calls: number, fn: (i: number) => void): number {
  const start = performance.now();
  let i = 0;
  while (performance.now() - start < warmMs) fn(i++);
  let best = Infinity;
  for (let rep = 0; rep < 5; rep++) {
    const s = performance.now();
    for (let k = 0; k < calls; k++) fn(k);
    best = Math.min(best, (performance.now() - s) / calls);
  }
  return best * 1000;
}

/**
 * `latency` for several calls at once, interleaved: warmed up together, then each rep times
 * every call in turn, so a busy machine disturbs them alike; best mean per call, in µs.
 */
function latencies(warmMs: number, calls: number, fns: ((i: number) => void)[]): number[] {
  const start = performance.now();
  while (performance.now() - start < warmMs) for (const fn of fns) for (let i = 0; i < 100; i++) fn(i);
  const best = fns.map(() => Infinity);
  for (let rep = 0; rep < 5; rep++) {
    fns.forEach((fn, j) => {
      const s = performance.now();
      for (let k = 0; k < calls; k++) fn(k);
      best[j] = Math.min(best[j], (performance.now() - s) / calls);
    });
  }
  return best.map((b) => b * 1000);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, n = Math.min(a.length, b.length)): number {
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function countDifferentBits(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

const ulpView = new Float32Array(1);
const ulpBits = new Int32Array(ulpView.buffer);
function ulps(a: number, b: number): number {
  ulpView[0] = a;
  const x = ulpBits[0];
  ulpView[0] = b;
  return Math.abs(x - ulpBits[0]);
}

/** Our check: margins bit-exact (when native margins are at hand), values within 2 float32 ulp. */
function checkOurs(values: Float32Array, margins: Float32Array | null, reference: Float32Array, referenceMargins: Float32Array | null): string {
  let worst = 0;
  for (let i = 0; i < reference.length; i++) worst = Math.max(worst, ulps(values[i], reference[i]));
  const marginDiff = margins && referenceMargins ? countDifferentBits(margins, referenceMargins) : 0;
  const ok = worst <= 2 && marginDiff === 0;
  const marginText = referenceMargins ? (marginDiff === 0 ? 'margins bit-exact' : `${marginDiff} margins differ`) : 'margins not checked';
  return `${ok ? '✓' : '✗'} ${marginText}, values ≤ ${worst} ulp`;
}

function heldBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const fmtRate = (r: number | null) => (r === null ? '–' : r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : `${(r / 1e3).toFixed(0)}k`);
const fmtUs = (u: number | null) => (u === null ? '–' : u < 10 ? u.toFixed(2) : u.toFixed(0));

async function benchModel(m: BenchModel): Promise<void> {
  const isBinary = m.num_class === 0;
  const K = isBinary ? 1 : m.num_class;
  const F = m.num_features;
  const saved = readFileSync(join(m.dir, m.rows_file));
  const base = new Float32Array(saved.buffer.slice(saved.byteOffset, saved.byteOffset + saved.byteLength));
  const rows = new Float32Array(ROWS * F);
  for (let off = 0; off < rows.length; off += base.length) rows.set(base.subarray(0, Math.min(base.length, rows.length - off)), off);
  // One view per row for the single-row timings, made before timing (as the ONNX inputs are),
  // so the latency is the call's alone; made before the memory baseline, so it is not counted.
  const singleRows = Array.from({ length: 10_000 }, (_, i) => rows.subarray(i * F, (i + 1) * F));
  // One row through predict() also as a plain array in an array (what a JSON service passes).
  const arrayRows = singleRows.slice(0, 2000).map((r) => [Array.from(r)]);
  const rowsFile = join(tmp, `${m.name}.rows.f32`);
  writeFileSync(rowsFile, rows);
  const modelPath = join(m.dir, m.model_file);
  const bytes = new Uint8Array(readFileSync(modelPath));

  // Reference: native XGBoost on exactly these rows.
  let native: { inplace: number; dmatrix: number; dmatrix_build: number; single: number; version: string } | null = null;
  let reference: Float32Array;
  let referenceMargins: Float32Array | null = null;
  let referenceNote: string;
  if (hasPython) {
    const outFile = join(tmp, `${m.name}.native.f32`);
    const scriptFile = join(tmp, 'native.py');
    writeFileSync(scriptFile, NATIVE);
    const run = spawnSync(PYTHON, [scriptFile, modelPath, rowsFile, String(F), outFile], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`native XGBoost failed: ${run.stderr}`);
    native = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    const raw = readFileSync(outFile);
    reference = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const rawMargin = readFileSync(`${outFile}.margin`);
    referenceMargins = new Float32Array(rawMargin.buffer.slice(rawMargin.byteOffset, rawMargin.byteOffset + rawMargin.byteLength));
    referenceNote = `native XGBoost ${native!.version} on all ${ROWS.toLocaleString('en')} rows (margins must be bit-exact, probabilities within 2 float32 ulp)`;
  } else {
    const raw = readFileSync(join(m.dir, m.expected_file));
    reference = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    referenceNote = `committed XGBoost output for the first ${m.expected_rows} rows (no ${PYTHON} with xgboost here; probabilities within 2 float32 ulp)`;
  }
  const checkRows = reference.length / K;
  const checkSlice = rows.subarray(0, checkRows * F);

  // Load + compile, and memory held by the loaded model. Measured after the reference
  // arrays exist, so that only the model (and what it caches) counts.
  const before = heldBytes();
  let t = performance.now();
  let model: XGBoostModel | null = loadXGBoost(bytes);
  const loadMs = performance.now() - t;
  const one = new Float32Array(K);
  t = performance.now();
  model.predictRow(rows.subarray(0, F), one);
  const firstRowMs = performance.now() - t;
  const heldAfterLoad = heldBytes() - before;


  const results: Row[] = [];
  // predictRow, and one row through predict() (a Float32Array view; [[...]] as a service passes it), timed interleaved.
  const oneRow = (m2: XGBoostModel) => {
    const [row, typed, array] = latencies(WARM_MS, 20_000, [
      (i) => m2.predictRow(singleRows[i % 10_000], one),
      (i) => m2.predict(singleRows[i % 10_000]),
      (i) => m2.predict(arrayRows[i % 2000]),
    ]);
    return { row, predict: { typed, array } };
  };
  const nativeRate = native ? ROWS / native.inplace : null;

  // retail-ml compiled.
  const marginsOf = (m2: XGBoostModel) => (referenceMargins ? m2.predict(checkSlice, { output: 'margin' }) : null);
  // predictRow (WebAssembly when the trees allow it) must give predict()'s values bit for bit.
  const singleRowsCheck = (m2: XGBoostModel): string => {
    const batch = m2.predict(checkSlice);
    const out = new Float32Array(K);
    let differ = 0;
    for (let r = 0; r < checkRows; r++) {
      m2.predictRow(checkSlice.subarray(r * F, (r + 1) * F), out);
      for (let k = 0; k < K; k++) if (!Object.is(out[k], batch[r * K + k])) differ++;
    }
    return differ === 0 ? '; predictRow identical' : `; ✗ ${differ} predictRow values differ`;
  };
  const compiledCheck = checkOurs(model.predict(checkSlice), marginsOf(model), reference, referenceMargins) + singleRowsCheck(model);
  const warmStart = performance.now();
  while (performance.now() - warmStart < WARM_MS) model.predict(rows);
  const compiledSec = bestSeconds(3, () => model!.predict(rows));
  const compiledOne = oneRow(model);
  results.push({ tool: `retail-ml compiled (one row: ${model.rowEngine})`, rowsPerSec: ROWS / compiledSec, singleUs: compiledOne.row, predictUs: compiledOne.predict, check: compiledCheck });
  const heldAfterWarm = heldBytes() - before;

  // retail-ml interpreted (compile: false, or WebAssembly unavailable or forbidden), on a fifth of the rows to keep the run short.
  const interpreted = loadXGBoost(bytes, { compile: false });
  const interpretedCheck = checkOurs(interpreted.predict(checkSlice), marginsOf(interpreted), reference, referenceMargins);
  const fewer = rows.subarray(0, Math.ceil(ROWS / 5) * F);
  interpreted.predict(fewer);
  const interpretedSec = bestSeconds(2, () => interpreted.predict(fewer)) * 5;
  const interpretedSingle = latency(500, 2000, (i) => interpreted.predictRow(singleRows[i % 10_000], one));
  results.push({ tool: 'retail-ml interpreted', rowsPerSec: ROWS / interpretedSec, singleUs: interpretedSingle, check: interpretedCheck });

  // retail-ml worker pool.
  const threads = Math.min(2, os.availableParallelism());
  const pool = await createPredictionPool(model, { threads });
  const poolCheck = checkOurs(await pool.predict(checkSlice), referenceMargins ? await pool.predict(checkSlice, { output: 'margin' }) : null, reference, referenceMargins);
  // Each worker optimises its own copy of the generated code: warm up as long as the single-threaded path.
  const poolWarm = performance.now();
  while (performance.now() - poolWarm < WARM_MS) await pool.predict(rows);
  let poolBest = Infinity;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await pool.predict(rows);
    poolBest = Math.min(poolBest, (performance.now() - s) / 1000);
  }
  await pool.close();
  results.push({ tool: `retail-ml worker pool (${threads} threads, ${pool.webassembly ? 'webassembly' : 'javascript'})`, rowsPerSec: ROWS / poolBest, singleUs: null, check: poolCheck });

  // Native XGBoost.
  if (native) {
    results.push({ tool: 'native XGBoost inplace_predict (nthread=1)', rowsPerSec: ROWS / native.inplace, singleUs: native.single * 1e6, check: 'reference' });
    results.push({ tool: 'native XGBoost DMatrix predict (nthread=1)', rowsPerSec: ROWS / native.dmatrix, singleUs: null, check: 'reference' });
  }

  // onnxruntime-node, single-threaded.
  try {
    const ort = require('onnxruntime-node') as typeof import('onnxruntime-node');
    if (!existsSync(join(m.dir, m.onnx_file))) throw new Error('no ONNX file for this model (generated models are not converted)');
    const session = await ort.InferenceSession.create(join(m.dir, m.onnx_file), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
    const runOrt = async (x: Float32Array, n: number): Promise<Float32Array> => {
      const result = await session.run({ input: new ort.Tensor('float32', x, [n, F]) });
      return result.probabilities.data as Float32Array;
    };
    const probs = await runOrt(checkSlice, checkRows);
    const ortValues = isBinary ? Float32Array.from({ length: checkRows }, (_, r) => probs[r * 2 + 1]) : probs;
    const ortErr = maxAbsDiff(ortValues, reference);
    await runOrt(rows, ROWS);
    let ortBest = Infinity;
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      await runOrt(rows, ROWS);
      ortBest = Math.min(ortBest, (performance.now() - s) / 1000);
    }
    const singles = Array.from({ length: 2000 }, (_, i) => rows.slice(i * F, (i + 1) * F));
    for (let i = 0; i < 500; i++) await runOrt(singles[i], 1);
    const s = performance.now();
    for (let i = 0; i < 2000; i++) await runOrt(singles[i], 1);
    const ortSingle = ((performance.now() - s) / 2000) * 1000;
    results.push({ tool: 'onnxruntime-node (1 thread)', rowsPerSec: ROWS / ortBest, singleUs: ortSingle, check: ortErr <= 1e-5 ? `✓ max |Δp| ${ortErr.toExponential(1)}` : `✗ max |Δp| ${ortErr.toExponential(1)}` });
  } catch (error) {
    results.push({ tool: 'onnxruntime-node', rowsPerSec: null, singleUs: null, check: `not run: ${(error as Error).message.split('\n')[0]}` });
  }

  // xgboost-scorer: reads tree dumps, binary logistic only.
  if (isBinary && existsSync(join(m.dir, `${m.name}.dump.json`))) {
    const Scorer = (require('xgboost-scorer') as { default: { create(model: object): Promise<{ score(input: object[]): Promise<number[]> }> } }).default;
    const scorer = await Scorer.create(JSON.parse(readFileSync(join(m.dir, `${m.name}.dump.json`), 'utf8')));
    const objects = (from: number, n: number) =>
      Array.from({ length: n }, (_, r) => {
        const o: Record<string, number> = {};
        for (let f = 0; f < F; f++) {
          const v = rows[(from + r) * F + f];
          if (v === v) o[`f${f}`] = v;
        }
        return o;
      });
    const scored = await scorer.score(objects(0, checkRows));
    const err = maxAbsDiff(scored, reference);
    const batch = objects(0, 10_000);
    const s = performance.now();
    await scorer.score(batch);
    const sec = (performance.now() - s) / 1000;
    const baseScore = Number(JSON.parse(readFileSync(modelPath, 'utf8')).learner.learner_model_param.base_score);
    results.push({ tool: 'xgboost-scorer 0.0.4 (dump, 10k rows)', rowsPerSec: 10_000 / sec, singleUs: null, check: err <= 1e-5 ? '✓' : `✗ wrong: max |Δp| ${err.toFixed(3)} (ignores base_score ${baseScore.toFixed(4)})` });
  } else {
    results.push({ tool: 'xgboost-scorer 0.0.4', rowsPerSec: null, singleUs: null, check: 'n/a: binary:logistic dumps only' });
  }

  // The chosen path: how the batch engine planned the trees, and what scores one row.
  const chunks = planChunks(model!.ensemble!);
  const treesIn = (pick: (c: (typeof chunks)[number]) => boolean) => chunks.filter(pick).reduce((sum, c) => sum + c.end - c.begin, 0);
  const complete = treesIn((c) => c.perRow);
  const nested = treesIn((c) => c.source !== null && !c.perRow);
  const interpretedTrees = treesIn((c) => c.source === null);
  const path = `batch: ${model!.batchEngine}; the JavaScript chunks (the worker pool's, for other iteration ranges): ${complete} of ${m.num_trees} trees in the complete (branch-free) layout, ${nested} as nested ifs${interpretedTrees ? `, ${interpretedTrees} interpreted` : ''}; one row: ${model!.rowEngine}`;
  const shape = m.generated ? `, ${(m.num_nodes / m.num_trees).toFixed(0)} nodes per tree on average, deepest tree ${m.deepest_tree}, ${JSON.stringify(m.params)}` : `, ${(m.num_nodes / m.num_trees).toFixed(0)} nodes per tree on average`;
  console.log(`### ${m.name}: ${m.objective}, ${m.num_trees} trees, depth ${m.max_depth}, ${F} features${shape}\n`);
  console.log(`Path: ${path}.\n`);
  console.log(`Correctness: every tool's predict() output compared with ${referenceNote}, before timing.\n`);
  console.log('| tool | batch rows/s | × native inplace_predict | ns per row·tree | one row µs: predictRow | predict(Float32Array) | predict([[…]]) | check |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const ratio = r.rowsPerSec !== null && nativeRate !== null ? `${(r.rowsPerSec / nativeRate).toFixed(2)}×` : '–';
    const ns = r.rowsPerSec !== null ? ((1e9 / r.rowsPerSec) / m.num_trees).toFixed(1) : '–';
    console.log(`| ${r.tool} | ${fmtRate(r.rowsPerSec)} | ${ratio} | ${ns} | ${fmtUs(r.singleUs)} | ${fmtUs(r.predictUs?.typed ?? null)} | ${fmtUs(r.predictUs?.array ?? null)} | ${r.check} |`);
  }
  console.log('');
  console.log(
    `Load + compile: ${loadMs.toFixed(0)} ms for the ${(bytes.length / 1e6).toFixed(1)} MB ${m.model_file.endsWith('.ubj') ? 'UBJ' : 'JSON'} file, first row ${firstRowMs.toFixed(1)} ms. ` +
      `Memory held: ${(heldAfterLoad / 1e6).toFixed(1)} MB after loading, ${(heldAfterWarm / 1e6).toFixed(1)} MB after warm-up (optimised code included), ` +
      `vs ${(m.json_bytes / 1e6).toFixed(1)} MB of JSON: ${(heldAfterWarm / m.json_bytes).toFixed(2)}× the JSON size.\n`,
  );
  model = null;
}

// Each model runs in a child process of its own: measured in one process, a model ran up to
// 60% slower after another model's run (its generated code, pool and ONNX session still in
// the heap or on the cores), which would colour the numbers of whichever model came last.
const wanted = process.env.BENCH_MODELS?.split(',') ?? null;
if (wanted === null) {
  console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}.`);
  console.log(`Rows: ${ROWS.toLocaleString('en')} per model (models/bench/*.rows.f32, 10,000 held-out rows repeated), each model in a process of its own. Batch numbers are the best of 3 runs after ${WARM_MS / 1000} s of warm-up; single-row latency is the best of 5 means over 20,000 calls after the same warm-up (predictRow and the two one-row predict() calls warmed up together and timed in turn, rep by rep).`);
  if (!hasPython) console.log(`\nNote: ${PYTHON} with xgboost is not available, so the native XGBoost rows and ratios are skipped; correctness uses the committed expected outputs.`);
  console.log('');
  rmSync(tmp, { recursive: true, force: true });
  for (const m of manifest.models) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, BENCH_MODELS: m.name } });
    if (child.status !== 0) process.exitCode = 1;
  }
} else {
  // BENCH_MODELS=softprob_12 runs only the models whose names start with one of the given prefixes, here.
  try {
    for (const m of manifest.models) if (wanted.some((prefix) => m.name.startsWith(prefix))) await benchModel(m);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
