// Tree inference on every model shape (issue 20): the WebAssembly batch engine against the
// generated JavaScript it replaced, A/B in one process and interleaved, and both against
// native XGBoost 1.7.4 (nthread=1) timed in alternation with ours; then three models held
// in one process (as a service holds them) against each model alone.
//
//   npm run bench -- xgboost-shapes   (BENCH_SHAPE_ROWS=20000, BENCH_WARM_MS=2000, BENCH_MODELS=sparse,lossguide for a subset)
//
// Every engine's margins are checked against native XGBoost's (bit for bit) before timing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadXGBoost, type XGBoostModel } from '../src/formats/xgboost/index.js';
import { compileEnsemble, type CompiledPredictor } from '../src/trees/compile.js';
import { completeLayout } from '../src/trees/complete-layout.js';

const DIR = join(import.meta.dirname, '..', 'models', 'bench');
const GENERATED = join(DIR, 'generated');
const ROWS = Number(process.env.BENCH_SHAPE_ROWS ?? 20_000);
const WARM_MS = Number(process.env.BENCH_WARM_MS ?? 2000);
const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;
/** The three models a service holds at once, in the "together" run. */
const TOGETHER = (process.env.BENCH_TOGETHER ?? 'sparse_softprob,lossguide,categorical').split(',');

interface BenchModel {
  name: string;
  num_class: number;
  num_trees: number;
  num_nodes: number;
  num_features: number;
  model_file: string;
  rows_file: string;
  dir: string;
}
const readManifest = (dir: string): BenchModel[] =>
  existsSync(join(dir, 'manifest.json')) ? (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).models as BenchModel[]).map((m) => ({ ...m, dir })) : [];
if (!existsSync(join(GENERATED, 'manifest.json')) && hasPython) {
  console.log('Training the generated benchmark models (models/bench/train.py --generated, a few minutes)...\n');
  spawnSync(PYTHON, [join(DIR, 'train.py'), '--generated'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const models = [...readManifest(DIR), ...readManifest(GENERATED)];
const tmp = mkdtempSync(join(os.tmpdir(), 'retail-ml-shapes-'));

// Native XGBoost as a server: one process per model, told over stdin when to time, so its
// runs alternate with ours in time (each sees the same machine load, more or less).
const NATIVE = String.raw`
import json, sys, time
import numpy as np, xgboost as xgb
model_file, rows_file, nf, out_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
b = xgb.Booster(model_file=model_file); b.set_param({"nthread": 1})
X = np.fromfile(rows_file, dtype=np.float32).reshape(-1, nf)
b.inplace_predict(X, predict_type="margin").astype(np.float32).tofile(out_file)
rows = [X[i:i + 1] for i in range(1000)]
for line in sys.stdin:
    s = time.perf_counter(); b.inplace_predict(X); batch = time.perf_counter() - s
    s = time.perf_counter()
    for r in rows: b.inplace_predict(r)
    one = (time.perf_counter() - s) / len(rows)
    print(json.dumps({"batch": batch, "one": one}), flush=True)
`;

interface Native {
  margins: Float32Array;
  /** Times one batch run and 1,000 one-row calls; resolves with seconds. */
  time(): Promise<{ batch: number; one: number }>;
  close(): void;
}

async function startNative(m: BenchModel, rows: Float32Array): Promise<Native | null> {
  if (!hasPython) return null;
  const { spawn } = await import('node:child_process');
  const rowsFile = join(tmp, `${m.name}.rows.f32`);
  const outFile = join(tmp, `${m.name}.margins.f32`);
  const script = join(tmp, 'native.py');
  writeFileSync(rowsFile, rows);
  writeFileSync(script, NATIVE);
  const child = spawn(PYTHON, [script, join(m.dir, m.model_file), rowsFile, String(m.num_features), outFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting: ((line: string) => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const time = () =>
    new Promise<{ batch: number; one: number }>((resolve) => {
      waiting.push((line) => resolve(JSON.parse(line)));
      child.stdin.write('go\n');
    });
  await time(); // also waits until the margins file is written
  const raw = readFileSync(outFile);
  return { margins: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)), time, close: () => child.stdin.end() };
}

function rowsOf(m: BenchModel): Float32Array {
  const saved = readFileSync(join(m.dir, m.rows_file));
  const base = new Float32Array(saved.buffer.slice(saved.byteOffset, saved.byteOffset + saved.byteLength));
  const rows = new Float32Array(ROWS * m.num_features);
  for (let off = 0; off < rows.length; off += base.length) rows.set(base.subarray(0, Math.min(base.length, rows.length - off)), off);
  return rows;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(Math.fround(a[i]), Math.fround(b[i]))) differ++;
  return differ;
}

const ms = (fn: () => void): number => {
  const s = performance.now();
  fn();
  return performance.now() - s;
};

/** Mean µs per call of `fn` over `calls` calls. */
const perCall = (calls: number, fn: (i: number) => void): number => {
  const s = performance.now();
  for (let i = 0; i < calls; i++) fn(i);
  return ((performance.now() - s) / calls) * 1000;
};

interface Loaded {
  m: BenchModel;
  rows: Float32Array;
  model: XGBoostModel;
  wasm: CompiledPredictor;
  js: CompiledPredictor;
  jsOnly: XGBoostModel;
  loadMs: number;
  singles: Float32Array[];
  arrays: number[][][];
  out: Float32Array;
}

function load(m: BenchModel): Loaded {
  const bytes = new Uint8Array(readFileSync(join(m.dir, m.model_file)));
  const rows = rowsOf(m);
  const s = performance.now();
  const model = loadXGBoost(bytes);
  const loadMs = performance.now() - s;
  const ensemble = model.ensemble!;
  // The previous engine: the same generated JavaScript for batches, and (without WebAssembly) for one row.
  const global = globalThis as { WebAssembly?: object };
  const saved = global.WebAssembly;
  global.WebAssembly = undefined;
  const jsOnly = loadXGBoost(bytes);
  global.WebAssembly = saved;
  const F = m.num_features;
  const singles = Array.from({ length: 1000 }, (_, i) => rows.subarray(i * F, (i + 1) * F));
  return {
    m, rows, model, loadMs, jsOnly, singles,
    wasm: compileEnsemble(ensemble),
    js: compileEnsemble(ensemble, { batchEngine: 'javascript' }),
    arrays: singles.map((r) => [Array.from(r)]),
    out: new Float32Array(m.num_class === 0 ? 1 : m.num_class),
  };
}

/** Batch (best ms over `reps`, per engine) and one-row µs, every measurement interleaved with the others. */
function measure(l: Loaded, reps: number): { wasmMs: number; jsMs: number; row: number; predict: number; predictArray: number; rowJs: number } {
  const n = ROWS;
  const best = { wasmMs: Infinity, jsMs: Infinity, row: Infinity, predict: Infinity, predictArray: Infinity, rowJs: Infinity };
  for (let r = 0; r < reps; r++) {
    best.wasmMs = Math.min(best.wasmMs, ms(() => l.wasm.predictMargins(l.rows, n)));
    best.jsMs = Math.min(best.jsMs, ms(() => l.js.predictMargins(l.rows, n)));
    best.row = Math.min(best.row, perCall(3000, (i) => l.model.predictRow(l.singles[i % 1000], l.out)));
    best.predict = Math.min(best.predict, perCall(3000, (i) => l.model.predict(l.singles[i % 1000])));
    best.predictArray = Math.min(best.predictArray, perCall(3000, (i) => l.model.predict(l.arrays[i % 1000])));
    best.rowJs = Math.min(best.rowJs, perCall(3000, (i) => l.jsOnly.predictRow(l.singles[i % 1000], l.out)));
  }
  return best;
}

function warm(l: Loaded): void {
  const s = performance.now();
  while (performance.now() - s < WARM_MS) measure(l, 1);
}

const f1 = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

async function alone(m: BenchModel): Promise<void> {
  const l = load(m);
  const native = await startNative(m, l.rows);
  const wasmMargins = l.wasm.predictMargins(l.rows, ROWS);
  const jsMargins = l.js.predictMargins(l.rows, ROWS);
  const check = native
    ? `WebAssembly ${sameBits(wasmMargins, native.margins) === 0 ? '✓' : `✗ ${sameBits(wasmMargins, native.margins)} differ`}, JavaScript ${sameBits(jsMargins, native.margins) === 0 ? '✓' : '✗'} bit-exact vs native margins`
    : `WebAssembly vs JavaScript: ${sameBits(wasmMargins, jsMargins) === 0 ? '✓ identical' : '✗ differ'} (no native XGBoost here)`;
  warm(l);
  const ours = { wasmMs: Infinity, jsMs: Infinity, row: Infinity, predict: Infinity, predictArray: Infinity, rowJs: Infinity };
  let nativeBatch = Infinity;
  let nativeOne = Infinity;
  // Ours and native's alternate, three rounds.
  for (let round = 0; round < 3; round++) {
    const t = measure(l, 2);
    for (const k of Object.keys(ours) as (keyof typeof ours)[]) ours[k] = Math.min(ours[k], t[k]);
    if (native) {
      const n = await native.time();
      nativeBatch = Math.min(nativeBatch, n.batch * 1000);
      nativeOne = Math.min(nativeOne, n.one * 1e6);
    }
  }
  native?.close();
  const nsPer = (msTotal: number) => (msTotal * 1e6) / (ROWS * m.num_trees);
  const layout = completeLayout(l.model.ensemble!);
  const complete = Array.from(layout.depth).filter((d) => d >= 0).length;
  const trees = `${l.wasm.batchEngine}: ${complete} complete + ${m.num_trees - complete} compact`;
  console.log(
    `| ${m.name} | ${(m.num_nodes / m.num_trees).toFixed(0)} | ${trees} | ${f1(nsPer(ours.wasmMs))} | ${f1(nsPer(ours.jsMs))} | ${(ours.jsMs / ours.wasmMs).toFixed(2)}× | ` +
      `${native ? f1(nsPer(nativeBatch)) : '–'} | ${native ? `${(nativeBatch / ours.wasmMs).toFixed(2)}×` : '–'} | ${f1(ours.row)} / ${f1(ours.predict)} / ${f1(ours.predictArray)} | ${f1(ours.rowJs)} | ${native ? f1(nativeOne) : '–'} | ${l.loadMs.toFixed(0)} | ${check} |`,
  );
}

async function together(names: string[]): Promise<void> {
  const loaded = names.map((p) => models.find((m) => m.name.startsWith(p))).filter((m): m is BenchModel => m !== undefined).map(load);
  const s = performance.now();
  while (performance.now() - s < WARM_MS * loaded.length) for (const l of loaded) measure(l, 1);
  const best = loaded.map(() => ({ wasmMs: Infinity, row: Infinity }));
  // Round robin over the models, so each sees the others' code and data in the caches as a service would.
  for (let round = 0; round < 5; round++) {
    loaded.forEach((l, i) => {
      best[i].wasmMs = Math.min(best[i].wasmMs, ms(() => l.wasm.predictMargins(l.rows, ROWS)));
      best[i].row = Math.min(best[i].row, perCall(3000, (k) => l.model.predictRow(l.singles[k % 1000], l.out)));
    });
  }
  loaded.forEach((l, i) => {
    console.log(`| ${l.m.name} | ${f1((best[i].wasmMs * 1e6) / (ROWS * l.m.num_trees))} | ${f1(best[i].row)} |`);
  });
}

const mode = process.env.BENCH_SHAPES_MODE;
if (mode === 'alone') {
  await alone(models.find((m) => m.name === process.env.BENCH_SHAPES_MODEL)!);
} else if (mode === 'together') {
  await together(TOGETHER);
} else {
  const wanted = process.env.BENCH_MODELS?.split(',') ?? null;
  console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} at the start.`);
  console.log(`${ROWS.toLocaleString('en')} rows per model, ${WARM_MS / 1000} s of warm-up; each model in a process of its own. Batch: best of 6 runs per engine, the two engines alternating run by run; native XGBoost 1.7.4 (inplace_predict, nthread=1) timed between our rounds, best of 3. One row: best of 6 means over 3,000 calls, interleaved with the batches.\n`);
  console.log('| model | nodes per tree | batch engine | WebAssembly ns per row·tree | JavaScript (previous) ns | JS / Wasm | native ns | × native | one row µs: predictRow / predict(Float32Array) / predict([[…]]) | one row, previous (JavaScript) µs | native one row µs | load ms | check |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of models) {
    if (wanted && !wanted.some((p) => m.name.includes(p))) continue;
    spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, BENCH_SHAPES_MODE: 'alone', BENCH_SHAPES_MODEL: m.name } });
  }
  console.log(`\nThree models in one process (${TOGETHER.join(', ')}), timed round robin, best of 5; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}:\n`);
  console.log('| model | WebAssembly ns per row·tree | predictRow µs |');
  console.log('|---|---|---|');
  spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, BENCH_SHAPES_MODE: 'together' } });
  console.log(`\nLoad average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}.`);
}
rmSync(tmp, { recursive: true, force: true });
