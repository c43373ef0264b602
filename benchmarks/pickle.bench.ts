// Loading a 600-tree XGBoost pickle: retail-ml's safe unpickler + model build against
// Python's pickle.load (XGBoost 1.7.4 through /usr/bin/python3) on the same file, in the
// same run. The model is trained here (nthread=1, fixed seed); margins are checked bit for
// bit against XGBoost's before anything is timed.
//
//   npm run bench -- pickle   (or node --import tsx benchmarks/pickle.bench.ts)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadJoblib, loadPickle, type XGBoostEstimator } from '../src/formats/pickle/index.js';
import { unpickle } from '../src/formats/pickle/unpickle.js';
import { loadXGBoost } from '../src/formats/xgboost/load-xgboost.js';
import { bestOf } from './timing.js';

const PYTHON = '/usr/bin/python3';
const REPS = Number(process.env.BENCH_REPS ?? 20);
const tmp = mkdtempSync(join(os.tmpdir(), 'retail-ml-pickle-bench-'));

const PY = String.raw`
import json, pickle, sys, time
import joblib, numpy as np, xgboost as xgb
out, reps = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
X = rng.normal(size=(4000, 20)).astype(np.float32)
X[rng.random(size=X.shape) < 0.05] = np.nan
y = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) * np.nan_to_num(X[:, 2]) > 0).astype(int)
clf = xgb.XGBClassifier(n_estimators=600, max_depth=6, nthread=1, random_state=0).fit(X, y)
with open(out + "/model.pkl", "wb") as fh: pickle.dump(clf, fh, protocol=4)
joblib.dump(clf, out + "/model.z3.joblib", compress=3)
clf.get_booster().save_model(out + "/model.model")
rows = X[:500]
rows.tofile(out + "/rows.f32")
clf.predict(rows, output_margin=True).astype(np.float32).tofile(out + "/margins.f32")
data = open(out + "/model.pkl", "rb").read()
def best(fn):
    t = []
    for _ in range(reps):
        s = time.perf_counter(); fn(); t.append(time.perf_counter() - s)
    return min(t)
times = {
  "pickle": best(lambda: pickle.loads(data)),
  "joblib": best(lambda: joblib.load(out + "/model.z3.joblib")),
  "model": best(lambda: xgb.Booster(model_file=out + "/model.model")),
}
print(json.dumps({"times": times, "bytes": len(data), "trees": len(clf.get_booster().get_dump()), "version": xgb.__version__}))
`;

if (!existsSync(PYTHON)) {
  console.log('Python with XGBoost is needed to make the 600-tree model; skipped.');
  process.exit(0);
}
const py = spawnSync(PYTHON, ['-c', PY, tmp, String(REPS)], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (py.status !== 0) throw new Error(`python failed: ${py.stderr}`);
const python = JSON.parse(py.stdout.trim().split('\n').pop()!) as { times: Record<string, number>; bytes: number; trees: number; version: string };

const bytes = new Uint8Array(readFileSync(join(tmp, 'model.pkl')));
const joblibBytes = new Uint8Array(readFileSync(join(tmp, 'model.z3.joblib')));
const legacyBytes = new Uint8Array(readFileSync(join(tmp, 'model.model')));
const rows = new Float32Array(Uint8Array.from(readFileSync(join(tmp, 'rows.f32'))).buffer);
const expected = new Float32Array(Uint8Array.from(readFileSync(join(tmp, 'margins.f32'))).buffer);

// Correctness first: every loader's margins, bit for bit.
for (const [name, est] of [
  ['pickle', loadPickle(bytes) as XGBoostEstimator],
  ['joblib', loadJoblib(joblibBytes) as XGBoostEstimator],
] as const) {
  const margins = est.predictMargin({ data: Float64Array.from(rows), rows: rows.length / 20, cols: 20 });
  const bad = margins.findIndex((m, i) => !Object.is(m, expected[i]));
  if (bad >= 0) throw new Error(`${name}: margin ${bad} is ${margins[bad]}, XGBoost says ${expected[bad]}`);
}
const legacyMargins = loadXGBoost(legacyBytes).predict(rows, { output: 'margin' });
if (legacyMargins.some((m, i) => !Object.is(m, expected[i]))) throw new Error('legacy .model margins differ');

const ms = (fn: () => void) => bestOf(REPS, fn);
const results = [
  ['pickle (`loadPickle` / `pickle.loads`)', ms(() => loadPickle(bytes)), python.times.pickle * 1000],
  ['… of which unpickling to data (`unpickle`)', ms(() => unpickle(bytes)), null],
  ['pickle, trees interpreted (`loadPickle(bytes, { compile: false })`)', ms(() => loadPickle(bytes, { compile: false })), null],
  ['joblib compress=3 (`loadJoblib` / `joblib.load`)', ms(() => loadJoblib(joblibBytes)), python.times.joblib * 1000],
  ['legacy binary `.model` (`loadXGBoost` / `xgb.Booster(model_file=)`)', ms(() => loadXGBoost(legacyBytes)), python.times.model * 1000],
] as const;

console.log(`Model: XGBClassifier, ${python.trees} trees (depth 6, 20 features), pickle ${(python.bytes / 1024).toFixed(0)} KiB, XGBoost ${python.version}; margins of 500 rows bit-exact for every loader. Best of ${REPS}.\n`);
console.log('| load | retail-ml (ms) | Python (ms) |');
console.log('|---|---:|---:|');
for (const [what, ours, theirs] of results) console.log(`| ${what} | ${ours.toFixed(1)} | ${theirs === null ? '' : theirs.toFixed(1)} |`);
rmSync(tmp, { recursive: true, force: true });
