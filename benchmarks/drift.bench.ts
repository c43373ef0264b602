// Drift report on 1,000,000 × 20 reference and current tables (14 numeric, 4 categorical,
// 2 binary columns): retail-ml's driftReport against scipy 1.10 / numpy running the same tests
// (models/monitoring/bench_scipy.py, timed inside its own process with the data in memory).
// Correctness first: every statistic and PSI must equal Python's to 1e-9 relative.
// Then 10,000,000 rows, which the report samples to 1,000,000 a side (seeded, stated).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Column } from '../src/features/column.js';
import { Table } from '../src/features/table.js';
import { seededRandom } from '../src/forest/random.js';
import { driftReport } from '../src/monitoring/drift-report.js';
import { bestOf } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const ROWS = 1_000_000;
const NUMERIC = 14;
const CATEGORICAL = 6;

/** Numeric columns (normal, 2 decimals; the current side shifted on every third column) and category codes. */
function sides(rows: number, seed: number, shifted: boolean): { num: Float64Array[]; cat: Int32Array[] } {
  const rng = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  const num = Array.from({ length: NUMERIC }, (_, j) => {
    const shift = shifted && j % 3 === 0 ? 0.2 : 0;
    return Float64Array.from({ length: rows }, () => Math.round((100 + 15 * (normal() + shift)) * 100) / 100);
  });
  const cat = Array.from({ length: CATEGORICAL }, (_, j) => {
    const k = j < 4 ? 4 + 3 * j : 2;
    return Int32Array.from({ length: rows }, () => Math.min(k - 1, Math.floor(k * rng.nextDouble() ** (shifted && j === 0 ? 1.2 : 1))));
  });
  return { num, cat };
}

function tableOf(s: { num: Float64Array[]; cat: Int32Array[] }): Table {
  const labels = Array.from({ length: 64 }, (_, i) => `c${i}`);
  const columns: [string, Column][] = [
    ...s.num.map((v, j) => [`n${j}`, { kind: 'number', values: v }] as [string, Column]),
    ...s.cat.map((v, j) => [`c${j}`, { kind: 'string', values: Array.from(v, (c) => labels[c]) }] as [string, Column]),
  ];
  return Table.fromColumns(columns);
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

const refData = sides(ROWS, 1, false);
const curData = sides(ROWS, 2, true);
const reference = tableOf(refData);
const current = tableOf(curData);
let report = driftReport(reference, current);
const oursMs = bestOf(1, () => {
  report = driftReport(reference, current);
});

let peer = 'python3 absent';
if (existsSync(PYTHON)) {
  const dir = mkdtempSync(join(os.tmpdir(), 'retail-ml-drift-bench-'));
  try {
    const concat = <T extends Float64Array | Int32Array>(arrays: T[], make: (n: number) => T) => {
      const out = make(arrays.length * ROWS);
      arrays.forEach((a, j) => out.set(a, j * ROWS));
      return Buffer.from(out.buffer);
    };
    writeFileSync(join(dir, 'ref_num.f64'), concat(refData.num, (n) => new Float64Array(n)));
    writeFileSync(join(dir, 'cur_num.f64'), concat(curData.num, (n) => new Float64Array(n)));
    writeFileSync(join(dir, 'ref_cat.i32'), concat(refData.cat, (n) => new Int32Array(n)));
    writeFileSync(join(dir, 'cur_cat.i32'), concat(curData.cat, (n) => new Int32Array(n)));
    const run = spawnSync(PYTHON, [join(here, '..', 'models', 'monitoring', 'bench_scipy.py'), dir, String(ROWS), String(NUMERIC), String(CATEGORICAL)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    });
    if (run.status !== 0) throw new Error(`bench_scipy.py failed: ${run.stderr}`);
    const py = JSON.parse(run.stdout) as { ms: number; columns: { statistic: number; psi: number }[] };
    let worst = 0;
    report.columns.forEach((c, j) => {
      for (const [a, b] of [[c.statistic, py.columns[j].statistic], [c.psi, py.columns[j].psi]]) {
        const rel = Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
        worst = Math.max(worst, rel);
      }
    });
    if (!(worst <= 1e-9)) throw new Error(`drift statistics differ from scipy: worst relative difference ${worst}`);
    peer = `${fmt(py.ms)} ms (scipy/numpy); retail-ml / scipy = ${(oursMs / py.ms).toFixed(2)}; statistics equal to ${worst.toExponential(1)} relative`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tests = [...new Set(report.columns.map((c) => c.test))].join(', ');
console.log(`| task | retail-ml | Python peer |\n| --- | --- | --- |`);
console.log(`| driftReport, ${ROWS.toLocaleString('en')} × 20 vs ${ROWS.toLocaleString('en')} × 20 (${tests}; ${report.driftedColumns} drifted) | ${fmt(oursMs)} ms | ${peer} |`);

// 10 million rows, 2 columns: sampled to 1,000,000 a side by the default seeded selection sampling.
const BIG = 10_000_000;
const rng = seededRandom(3);
const big = (shift: number) =>
  Table.fromColumns([
    ['amount', { kind: 'number', values: Float64Array.from({ length: BIG }, () => Math.round((50 + 20 * rng.nextDouble() + shift) * 100) / 100) }],
    ['score', { kind: 'number', values: Float64Array.from({ length: BIG }, () => rng.nextDouble()) }],
  ]);
const bigRef = big(0);
const bigCur = big(1);
let bigReport = driftReport(bigRef, bigCur);
const bigMs = bestOf(1, () => {
  bigReport = driftReport(bigRef, bigCur);
});
console.log(`| driftReport, 10,000,000 × 2 a side, ${bigReport.sampling} | ${fmt(bigMs)} ms | — |\n`);
