// Feature pipeline benchmark (issue 4):
//  1. read + left-join the three 99,441-row feature spreadsheets (target ≤ 5 s, ≤ 400 MB peak RSS, one core);
//  2. one customer's category recommendation once the bundle is loaded (target ≤ 50 µs).
// Each measurement checks its answer against pandas/XGBoost outputs committed under models/features/
// before it is timed. Python peers (pandas 1.5.3, XGBoost 1.7.4) run through /usr/bin/python3 when present.
// Usage: npm run bench -- features (or node --import tsx benchmarks/features.bench.ts)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recommendCategories, type CustomerFormInput } from '../src/category/index.js';
import { mergeTables } from '../src/features/index.js';
import { loadBundle, readXlsxFile } from '../src/node/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '../shared/data/category-recommender');
const summary = JSON.parse(readFileSync(join(root, 'models/features/merge/real_summary.json'), 'utf8'));
const files: string[] = summary.files.map((f: string) => join(shared, f));
const python = '/usr/bin/python3';

async function readAndMerge() {
  const types = { customer_id: 'string' } as const;
  const tables = [];
  for (const f of files) tables.push(await readXlsxFile(f, { types }));
  let merged = tables[0];
  for (const t of tables.slice(1)) merged = mergeTables(merged, t, { on: 'customer_id', how: 'left' }).table;
  return merged;
}

function checkMerged(merged: Awaited<ReturnType<typeof readAndMerge>>): void {
  const fail = (what: string) => {
    throw new Error(`merge result differs from pandas: ${what}`);
  };
  if (JSON.stringify(merged.columnNames) !== JSON.stringify(summary.columns)) fail('columns');
  if (merged.numRows !== summary.numRows) fail('row count');
  for (const [col, sum] of Object.entries(summary.sums)) if (merged.numbers(col).reduce((a, b) => a + b, 0) !== sum) fail(`sum of ${col}`);
  for (const [i, row] of Object.entries(summary.rows as Record<string, Record<string, unknown>>)) {
    for (const [k, v] of Object.entries(row)) if (merged.get(k, Number(i)) !== v) fail(`row ${i} ${k}`);
  }
}

// Child mode: one measured read+merge in a fresh process, so peak RSS is this job's alone.
if (process.argv[2] === '--child-merge') {
  const t0 = performance.now();
  const merged = await readAndMerge();
  const seconds = (performance.now() - t0) / 1000;
  checkMerged(merged);
  process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const onOneCore = (cmd: string, args: string[]) => (existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', ['-c', '0', cmd, ...args]] : [cmd, args]) as [string, string[]];

function runChild(cmd: string, args: string[]): { seconds: number; maxRssMB: number } | null {
  const [c, a] = onOneCore(cmd, args);
  const r = spawnSync(c, a, { encoding: 'utf8', cwd: root, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const PANDAS_MERGE = `
import json, resource, sys, time
import pandas as pd
files = sys.argv[1:]
t0 = time.perf_counter()
frames = [pd.read_excel(f, dtype={"customer_id": str}) for f in files]
m = frames[0]
for f in frames[1:]:
    m = m.merge(f, on="customer_id", how="left")
s = time.perf_counter() - t0
assert len(m) == 99441
print(json.dumps({"seconds": s, "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

const XGB_ONE_ROW = `
import json, sys, time
import numpy as np, xgboost as xgb
b = xgb.Booster(); b.load_model(sys.argv[1])
row = np.array([[35, 30, 0, 0, 1, 0, 0]], dtype=np.float32)
p = b.inplace_predict(row)
assert abs(float(p[0][3]) - 0.7777) < 1e-4
n = 2000
t0 = time.perf_counter()
for _ in range(n): b.inplace_predict(row)
print(json.dumps({"microseconds": (time.perf_counter() - t0) / n * 1e6}))
`;

const lines: string[] = [];
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
lines.push(`Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}; merge runs pinned to one core (taskset -c 0) in fresh processes.\n`);
lines.push('| task | retail-ml | peer | ratio (peer / retail-ml) | target |');
lines.push('|---|---|---|---|---|');

const havePython = existsSync(python);
if (existsSync(shared)) {
  const runs = [1, 2, 3].map(() => runChild(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child-merge']));
  if (runs.some((r) => r === null)) throw new Error('read+merge child failed');
  const best = runs.reduce((a, b) => (a!.seconds <= b!.seconds ? a : b))!;
  const peakRss = Math.max(...runs.map((r) => r!.maxRssMB));
  let peer = 'python3 absent';
  let ratio = '–';
  if (havePython) {
    const p = runChild(python, ['-c', PANDAS_MERGE, ...files]);
    if (p) {
      peer = `pandas read_excel+merge ${p.seconds.toFixed(2)} s, ${p.maxRssMB.toFixed(0)} MB`;
      ratio = `${(p.seconds / best.seconds).toFixed(1)}×`;
    }
  }
  lines.push(`| read 3 × 99,441-row xlsx + 2 left joins (best of 3) | ${best.seconds.toFixed(2)} s, peak RSS ${peakRss.toFixed(0)} MB | ${peer} | ${ratio} | ≤ 5 s, ≤ 400 MB |`);
} else {
  lines.push(`| read + merge spreadsheets | skipped: ${shared} absent | | | |`);
}

// One customer after the bundle is loaded: check against XGBoost's documented answer, then time.
const bundle = await loadBundle(join(root, 'models/category-recommender'));
const form: CustomerFormInput = { customer_id: 'c1', name: 'Asha', email: 'asha@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' };
const check = recommendCategories(form, bundle);
if (check.top.map((t) => t.label).join() !== 'Home,Clothing,Electronics' || check.top[0].probability.toFixed(4) !== '0.7777') {
  throw new Error('recommendation differs from XGBoost: ' + JSON.stringify(check.top));
}
const forms = Array.from({ length: 256 }, (_, i) => ({ ...form, age: 18 + (i % 60), last_login_days: i % 90, location: ['Delhi', 'Mumbai', 'Pune', 'Hyderabad'][i % 4] }));
let sink = 0;
for (let i = 0; i < 20_000; i++) sink += recommendCategories(forms[i & 255], bundle).top[0].probability;
const samples: number[] = [];
for (let s = 0; s < 7; s++) {
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += recommendCategories(forms[i & 255], bundle).top[0].probability;
  samples.push(((performance.now() - t0) / n) * 1000);
}
samples.sort((a, b) => a - b);
const median = samples[3];
let peerRec = 'python3 absent';
let ratioRec = '–';
if (havePython) {
  const r = spawnSync(python, ['-c', XGB_ONE_ROW, join(root, 'models/category-recommender/xgb_model_category.json')], { encoding: 'utf8' });
  if (r.status === 0) {
    const us = JSON.parse(r.stdout.trim()).microseconds as number;
    peerRec = `XGBoost 1.7.4 inplace_predict, model call only: ${us.toFixed(1)} µs`;
    ratioRec = `${(us / median).toFixed(1)}×`;
  } else process.stderr.write(r.stderr);
}
lines.push(`| one customer: validate + lookup + encode + score + top 3 (median of 7 × 20k) | ${median.toFixed(1)} µs | ${peerRec} | ${ratioRec} | ≤ 50 µs |`);
console.log(lines.join('\n'));
if (!Number.isFinite(sink)) throw new Error('unreachable');
