// Batch scoring outputs and models (issue 18): the same 150-tree XGBoost scoring written as
// CSV, Arrow IPC and Parquet (peak RSS per process), with blocks of 16,384 rows (default) and
// an awkward 512 (many small record batches / row groups); Python's pandas + XGBoost CSV run
// as the peer in the same run (pyarrow is not installed, so there is no Python Arrow/Parquet
// writer to compare with). Then estimators: a scikit-learn Pipeline pickle (encoders →
// forest, 6 trees) and an 8-tree RandomForestClassifier pickle, CSV → CSV, against scikit-learn 1.2.1
// on the same rows (pandas chunked read_csv + predict_proba). Correctness is checked first.
// RETAIL_ML_BENCH_RSS_ROWS=1000000,3000000 instead reports peak RSS per output format by row count.
// Rounds are interleaved and the best of 3 is reported. Usage: npm run bench -- batch-outputs
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { float32Text } from '../src/features/float32-text.js';
import { loadScoreModel } from '../src/node/load-score-model.js';
import { scoreFile } from '../src/node/score-file.js';
import { readScoreInput } from '../src/node/score-input.js';
import { benchModelPath, writeBenchCsv } from '../test/support/bench-csv.js';
import { PYTHON_XGBOOST_SCORE, runScoreProcess, type ScoreRun } from './score-process.js';

const ROWS = Number(process.env.RETAIL_ML_BENCH_ROWS ?? 1_000_000);
const EST_ROWS = Number(process.env.RETAIL_ML_BENCH_EST_ROWS ?? 200_000);
const ROUNDS = Number(process.env.RETAIL_ML_BENCH_ROUNDS ?? 3);
// From the bench model's path: test/support/paths.ts would resolve against the bundle's folder.
const repoRoot = resolve(dirname(benchModelPath), '../..');
const self = process.argv[1];

const PY_SKLEARN = String.raw`
import json, resource, sys, time, warnings
import joblib, pandas as pd
warnings.simplefilter('ignore')
model, inp, out, by_name = sys.argv[1:5]
m = joblib.load(model)
t = time.perf_counter(); n = 0
with open(out, 'w') as f:
    f.write(','.join(['customer_id'] + ['proba_%s' % c for c in m.classes_]) + '\n')
    for chunk in pd.read_csv(inp, chunksize=16384):
        X = chunk.drop(columns=['customer_id'])
        p = m.predict_proba(X if by_name == '1' else X.to_numpy())
        df = pd.DataFrame(p); df.insert(0, 'customer_id', chunk['customer_id'].values)
        df.to_csv(f, header=False, index=False, float_format='%.17g')
        n += len(chunk)
print(json.dumps({'rows': n, 'seconds': time.perf_counter() - t, 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

/** Child mode: score one file and print rows, seconds and this process's peak RSS. */
async function runChild(): Promise<void> {
  const [, , , model, input, output, blockRows] = process.argv;
  const loaded = loadScoreModel(model);
  const t = performance.now();
  const { rows } = await scoreFile(loaded, input, output, { ids: ['customer_id'], blockRows: Number(blockRows) });
  console.log(JSON.stringify({ rows, seconds: (performance.now() - t) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function readLines(path: string, limit: number): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const batch of readScoreInput(path)) {
    for (const r of batch.rows) {
      rows.push(r.map((c) => (typeof c === 'number' ? float32Text(c) : String(c))));
      if (rows.length >= limit) return rows;
    }
  }
  return rows;
}

/** Cycles a fixture's rows with a customer_id column last. */
async function writeFixtureCsv(path: string, header: readonly string[], rows: readonly (readonly unknown[])[], count: number): Promise<void> {
  const out = createWriteStream(path);
  let text = [...header, 'customer_id'].join(',') + '\n';
  for (let i = 0; i < count; i++) {
    text += [...rows[i % rows.length].map((v) => (v === null ? '' : String(v))), `c${i + 1}`].join(',') + '\n';
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await once(out, 'close');
}

/** The faster run's time, with the larger peak RSS of the two. */
function bestOf(a: ScoreRun | null, b: ScoreRun): ScoreRun {
  if (!a) return b;
  return { ...(b.seconds < a.seconds ? b : a), maxRssMB: Math.max(a.maxRssMB, b.maxRssMB) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const hasPython = (mods: string) => spawnSync('/usr/bin/python3', ['-c', `import ${mods}`], { stdio: 'ignore' }).status === 0;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'retail-ml-outputs-bench-'));
  try {
    if (process.env.RETAIL_ML_BENCH_RSS_ROWS) {
      // Peak RSS against the number of rows, per output format: flat means bounded memory.
      const sizes = process.env.RETAIL_ML_BENCH_RSS_ROWS.split(',').map(Number);
      console.log(`Peak RSS by rows (150-tree model, 1 thread, blocks of 16,384); load average at start ${loadavg()}\n`);
      console.log(`| rows | ${['csv', 'arrow', 'parquet'].map((f) => `${f}: s / peak RSS MiB`).join(' | ')} |\n|---:|---:|---:|---:|`);
      for (const n of sizes) {
        const input = join(dir, `rss-${n}.csv`);
        await writeBenchCsv(input, n);
        const cells: string[] = [];
        for (const f of ['csv', 'arrow', 'parquet']) {
          const r = await runScoreProcess([process.execPath, self, '--child', benchModelPath, input, join(dir, `rss.${f}`), '16384']);
          cells.push(`${r.seconds.toFixed(1)} / ${r.maxRssMB.toFixed(0)}`);
        }
        rmSync(input, { force: true });
        console.log(`| ${fmt(n)} | ${cells.join(' | ')} |`);
      }
      console.log(`\nLoad average at end: ${loadavg()}`);
      return;
    }
    const csv = join(dir, 'rows.csv');
    await writeBenchCsv(csv, ROWS);
    console.log(`${fmt(ROWS)} rows × 30 features + customer_id (${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB of CSV), model binary_150x5_30f (150 trees), 1 thread; load average at start ${loadavg()}\n`);
    const cases = [
      { name: 'CSV → CSV', out: 'out.csv', block: 16384 },
      { name: 'CSV → Arrow IPC file', out: 'out.arrow', block: 16384 },
      { name: 'CSV → Parquet (snappy)', out: 'out.parquet', block: 16384 },
      { name: 'CSV → Arrow IPC file, blocks of 512 (awkward)', out: 'small.arrow', block: 512 },
      { name: 'CSV → Parquet, blocks of 512 = row groups of 512 (awkward)', out: 'small.parquet', block: 512 },
    ];
    const best = new Map<string, ScoreRun>();
    const keep = (key: string, r: ScoreRun) => best.set(key, bestOf(best.get(key) ?? null, r));
    const python = hasPython('pandas, xgboost');
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) keep(c.name, await runScoreProcess([process.execPath, self, '--child', benchModelPath, csv, join(dir, c.out), String(c.block)]));
      if (python) keep('python', await runScoreProcess(['/usr/bin/python3', '-c', PYTHON_XGBOOST_SCORE, benchModelPath, csv, join(dir, 'python.csv')]));
      if (round === 0) {
        // Correctness first: every output reads back (our Arrow and Parquet readers) as the CSV output's rows.
        const reference = await readLines(join(dir, 'out.csv'), 200_000);
        for (const c of cases.slice(1)) {
          const back = await readLines(join(dir, c.out), 200_000);
          const differ = back.filter((r, i) => r.join(',') !== reference[i]?.join(',')).length;
          console.log(`check: ${c.out} read back, ${fmt(back.length)} rows compared with the CSV output: ${differ} differ`);
          if (differ > 0 || back.length !== reference.length) throw new Error(`${c.out} differs from the CSV output`);
        }
      }
    }
    console.log(`\n| run (${fmt(ROWS)} rows, best of ${ROUNDS}) | rows/s | seconds | output MiB | peak RSS (MiB, max of ${ROUNDS}) |\n|---|---:|---:|---:|---:|`);
    for (const c of cases) {
      const r = best.get(c.name)!;
      console.log(`| ${c.name} | ${fmt(r.rows / r.seconds)} | ${r.seconds.toFixed(1)} | ${(statSync(join(dir, c.out)).size / 2 ** 20).toFixed(1)} | ${r.maxRssMB.toFixed(0)} |`);
    }
    if (python) {
      const r = best.get('python')!;
      console.log(`| Python: pandas read_csv(chunksize=65536) + XGBoost 1.7.4 inplace_predict + to_csv, nthread=1 | ${fmt(r.rows / r.seconds)} | ${r.seconds.toFixed(1)} | ${(statSync(join(dir, 'python.csv')).size / 2 ** 20).toFixed(1)} | ${r.maxRssMB.toFixed(0)} |`);
      const csvBest = best.get('CSV → CSV')!;
      console.log(`\nRatios (time of Python / time of ours, >1 = ours faster): CSV ${(r.seconds / csvBest.seconds).toFixed(2)}, Arrow ${(r.seconds / best.get(cases[1].name)!.seconds).toFixed(2)}, Parquet ${(r.seconds / best.get(cases[2].name)!.seconds).toFixed(2)}`);
    }
    console.log(`Load average at end: ${loadavg()}\n`);

    if (!hasPython('pandas, sklearn, joblib')) {
      console.log('(scikit-learn not installed: estimator cases skipped)');
      return;
    }
    console.log(`Estimators, CSV → CSV, ${fmt(EST_ROWS)} rows (the fixture's rows cycled), blocks of 16,384, vs scikit-learn 1.2.1 on the same file (chunks of 16,384); load average ${loadavg()}\n`);
    console.log(`| model | retail-ml rows/s | scikit-learn rows/s | ratio (theirs/ours time) | max abs diff | peak RSS ours / theirs (MiB) |\n|---|---:|---:|---:|---:|---:|`);
    const estimators = [
      { name: 'Pipeline pickle (ColumnTransformer: scaler + one-hot → RandomForest, 6 trees)', fixture: 'pipeline_forest', byName: true },
      { name: 'RandomForestClassifier pickle (iris, 8 trees)', fixture: 'random_forest_classifier', byName: false },
    ];
    for (const e of estimators) {
      const f = JSON.parse(readFileSync(join(repoRoot, 'models/sklearn/fixtures', `${e.fixture}.json`), 'utf8'));
      const header: string[] = f.input.columns ?? (f.input.rows[0] as unknown[]).map((_, j) => `x${j}`);
      const input = join(dir, `${e.fixture}.csv`);
      await writeFixtureCsv(input, header, f.input.rows, EST_ROWS);
      const model = join(repoRoot, 'models/sklearn/pickles', `${e.fixture}.pkl`);
      let ours: ScoreRun | null = null;
      let theirs: ScoreRun | null = null;
      for (let round = 0; round < ROUNDS; round++) {
        const a = await runScoreProcess([process.execPath, self, '--child', model, input, join(dir, 'est-ours.csv'), '16384']);
        const b = await runScoreProcess(['/usr/bin/python3', '-c', PY_SKLEARN, model, input, join(dir, 'est-py.csv'), e.byName ? '1' : '0']);
        ours = bestOf(ours, a);
        theirs = bestOf(theirs, b);
      }
      const x = readFileSync(join(dir, 'est-ours.csv'), 'utf8').trimEnd().split('\n');
      const y = readFileSync(join(dir, 'est-py.csv'), 'utf8').trimEnd().split('\n');
      if (x.length !== y.length || x[0] !== y[0]) throw new Error(`${e.fixture}: outputs differ in shape (${x.length} vs ${y.length} lines; ${x[0]} vs ${y[0]})`);
      let maxDiff = 0;
      for (let i = 1; i < x.length; i++) {
        const a = x[i].split(',');
        const b = y[i].split(',');
        if (a[0] !== b[0]) throw new Error(`${e.fixture}: line ${i} ids differ`);
        for (let k = 1; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(Number(a[k]) - Number(b[k])));
      }
      console.log(`| ${e.name} | ${fmt(EST_ROWS / ours!.seconds)} | ${fmt(EST_ROWS / theirs!.seconds)} | ${(theirs!.seconds / ours!.seconds).toFixed(2)} | ${maxDiff.toExponential(1)} | ${ours!.maxRssMB.toFixed(0)} / ${theirs!.maxRssMB.toFixed(0)} |`);
    }
    console.log(`\nLoad average at end: ${loadavg()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await runChild();
else await main();
