// Batch scoring benchmark (issue 18): streaming CSV → CSV with the 150-tree benchmark model
// (models/bench/binary_150x5_30f.json, 30 features) on 1 and 2 threads with peak RSS;
// Arrow IPC and Parquet input against CSV on the same rows; the same job in Python (pandas
// chunked read_csv + XGBoost inplace_predict, nthread=1) in the same run; and the BullMQ
// run with 1 and 2 workers on a real redis-server. Every case runs in its own process and
// reports its own peak RSS. RETAIL_ML_BENCH_ROWS=10000000 for the 10M run (default 1M).
// Usage: npm run bench -- score
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { scoreFileDistributed } from '../src/adapters/bullmq/score-coordinator.js';
import { startScoreWorker } from '../src/adapters/bullmq/score-worker.js';
import { loadXGBoostFile } from '../src/node/load-xgboost-file.js';
import { scoreFile } from '../src/node/score-file.js';
import { benchModelPath, writeBenchCsv } from '../test/support/bench-csv.js';
import { PYTHON_XGBOOST_SCORE, runScoreProcess, type ScoreRun } from './score-process.js';
import { writeBenchArrow, writeBenchParquet } from '../test/support/columnar-files.js';
import { TestRedis, redisServerPath } from '../test/support/redis-server.js';

const ROWS = Number(process.env.RETAIL_ML_BENCH_ROWS ?? 1_000_000);
const self = process.argv[1];

/** Child mode: score one file and print rows, seconds and this process's peak RSS. */
async function runChild(): Promise<void> {
  const [, , , input, output, threads] = process.argv;
  const model = loadXGBoostFile(benchModelPath);
  const t = performance.now();
  const { rows } = await scoreFile(model, input, output, { ids: ['customer_id'], threads: Number(threads) });
  console.log(JSON.stringify({ rows, seconds: (performance.now() - t) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

/** Worker mode: a BullMQ score worker until SIGTERM. */
async function runWorker(): Promise<void> {
  const worker = await startScoreWorker({ redis: process.argv[3] });
  await worker.ready();
  console.log('ready');
  await once(process, 'SIGTERM');
  await worker.close();
}

/** Float32 values of both files' score columns agree, line by line (first `limit` lines). */
async function compareScores(a: string, b: string, limit: number): Promise<{ compared: number; differ: number }> {
  const la = createInterface({ input: createReadStream(a) })[Symbol.asyncIterator]();
  const lb = createInterface({ input: createReadStream(b) })[Symbol.asyncIterator]();
  let compared = 0;
  let differ = 0;
  await la.next();
  await lb.next();
  while (compared < limit) {
    const [x, y] = await Promise.all([la.next(), lb.next()]);
    if (x.done || y.done) break;
    const [idA, vA] = (x.value as string).split(',');
    const [idB, vB] = (y.value as string).split(',');
    compared++;
    if (idA !== idB || Math.fround(Number(vA)) !== Math.fround(Number(vB))) differ++;
  }
  return { compared, differ };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'retail-ml-score-bench-'));
  try {
    const csv = join(dir, 'rows.csv');
    await writeBenchCsv(csv, ROWS);
    const csvMB = statSync(csv).size / 2 ** 20;
    console.log(`${fmt(ROWS)} rows × 30 features + customer_id (${csvMB.toFixed(0)} MiB of CSV); model: binary_150x5_30f (150 trees, depth 5)\n`);
    console.log('| run | rows/s | seconds | peak RSS (MiB) |\n|---|---:|---:|---:|');
    const row = (name: string, r: ScoreRun) => console.log(`| ${name} | ${fmt(r.rows / r.seconds)} | ${r.seconds.toFixed(1)} | ${r.maxRssMB.toFixed(0)} |`);
    const local = join(dir, 'local.csv');
    row('CSV → CSV, 1 thread', await runScoreProcess([process.execPath, self, '--child', csv, local, '1']));
    row('CSV → CSV, 2 threads', await runScoreProcess([process.execPath, self, '--child', csv, join(dir, 'local2.csv'), '2']));

    if (ROWS <= 2_000_000) {
      const arrow = join(dir, 'rows.arrow');
      const parquet = join(dir, 'rows.parquet');
      writeBenchArrow(arrow, ROWS);
      writeBenchParquet(parquet, ROWS);
      row(`Arrow IPC (${(statSync(arrow).size / 2 ** 20).toFixed(0)} MiB) → CSV, 1 thread`, await runScoreProcess([process.execPath, self, '--child', arrow, join(dir, 'a.csv'), '1']));
      row(`Parquet (${(statSync(parquet).size / 2 ** 20).toFixed(0)} MiB) → CSV, 1 thread`, await runScoreProcess([process.execPath, self, '--child', parquet, join(dir, 'p.csv'), '1']));
    }

    let python: ScoreRun | null = null;
    if (spawnSync('/usr/bin/python3', ['-c', 'import pandas, xgboost'], { stdio: 'ignore' }).status === 0) {
      const py = join(dir, 'python.csv');
      python = await runScoreProcess(['/usr/bin/python3', '-c', PYTHON_XGBOOST_SCORE, benchModelPath, csv, py]);
      row('Python: pandas read_csv(chunksize=65536) + XGBoost 1.7.4 inplace_predict, nthread=1', python);
      const check = await compareScores(local, py, 200_000);
      console.log(`\n(Python's and retail-ml's scores compared on the first ${fmt(check.compared)} rows: ${check.differ} differ)`);
    }

    if (redisServerPath) {
      console.log('\nDistributed (BullMQ, real redis-server on loopback, chunks of 100,000 rows, 1 thread per worker):\n');
      console.log('| workers | rows/s | seconds | identical to local |\n|---:|---:|---:|---|');
      for (const workers of [1, 2]) {
        const redis = new TestRedis(true);
        await redis.start();
        const procs = Array.from({ length: workers }, () => spawn(process.execPath, [self, '--worker', redis.url], { stdio: ['ignore', 'pipe', 'inherit'] }));
        await Promise.all(procs.map((p) => new Promise((r) => p.stdout!.once('data', r))));
        const out = join(dir, `dist${workers}.csv`);
        const t = performance.now();
        await scoreFileDistributed({ redis: redis.url, model: benchModelPath, input: csv, output: out, ids: ['customer_id'], chunkRows: 100_000 });
        const seconds = (performance.now() - t) / 1000;
        const same = spawnSync('cmp', ['-s', out, local]).status === 0;
        console.log(`| ${workers} | ${fmt(ROWS / seconds)} | ${seconds.toFixed(1)} | ${same ? 'yes' : 'NO'} |`);
        for (const p of procs) p.kill('SIGTERM');
        await Promise.all(procs.map((p) => once(p, 'exit')));
        await redis.dispose();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await runChild();
else if (process.argv[2] === '--worker') await runWorker();
else await main();
