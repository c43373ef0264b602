// k-means fit, assignment and silhouette: retail-ml vs scikit-learn 1.2.1 (Debian python3-sklearn,
// OMP_NUM_THREADS=1, timed inside its own process) and ml-kmeans 7.0.0, on the same data in the
// same run. Correctness is checked before timings are reported: fit inertia within 1% of
// scikit-learn's, assignment labels identical to scikit-learn's predict on all rows, silhouette
// equal to 1e-9 relative.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { NumpyRandomState, assignNearest, fitKMeans, silhouetteScore } from '../src/cluster/index.js';
import { bestOf } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = '/usr/bin/python3';
const FIT_ROWS = 100_000;
const D = 21;
const K = 8;
const ASSIGN_ROWS = 1_000_000;
const SIL_ROWS = 10_000;

/**
 * Gaussian-ish blobs: 8 true centres plus uniform noise, from a seeded NumPy-compatible
 * generator. Centres spread over ±10 are well apart (Lloyd converges in a few iterations);
 * over ±3 the blobs overlap and Lloyd needs about 20.
 */
function blobs(rows: number, cols: number, seed: number, spread = 10): Float64Array {
  const rng = new NumpyRandomState(seed);
  const centres = Float64Array.from({ length: K * cols }, () => rng.randomSample() * (2 * spread) - spread);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.randint(K);
    for (let j = 0; j < cols; j++) {
      const noise = rng.randomSample() + rng.randomSample() + rng.randomSample() - 1.5;
      x[i * cols + j] = centres[c * cols + j] + 8 * noise;
    }
  }
  return x;
}

const best = bestOf;

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

const fitX = blobs(FIT_ROWS, D, 1);
const assignX = blobs(ASSIGN_ROWS, D, 2);
const silX = blobs(SIL_ROWS, D, 3);
/** Hard data: overlapping blobs, fitted with the defaults (nInit 10, maxIter 300), as a user would. */
const hardX = blobs(FIT_ROWS, D, 4, 3);

// --- ours
let ours = fitKMeans({ data: fitX, rows: FIT_ROWS, cols: D }, { k: K, nInit: 1, maxIter: 100, seed: 0 });
const oursFitMs = best(3, () => {
  ours = fitKMeans({ data: fitX, rows: FIT_ROWS, cols: D }, { k: K, nInit: 1, maxIter: 100, seed: 0 });
});
// V8 keeps optimising the fit's loops for several more calls; report that steady state too.
const oursFitSteadyMs = best(10, () => {
  ours = fitKMeans({ data: fitX, rows: FIT_ROWS, cols: D }, { k: K, nInit: 1, maxIter: 100, seed: 0 });
});
let hard = fitKMeans({ data: hardX, rows: FIT_ROWS, cols: D }, { k: K, seed: 0 });
// Also the process's CPU time: on a shared machine the wall time counts other processes' turns.
let oursHardCpuMs = Infinity;
const oursHardMs = best(3, () => {
  const cpu0 = process.cpuUsage();
  hard = fitKMeans({ data: hardX, rows: FIT_ROWS, cols: D }, { k: K, seed: 0 });
  const used = process.cpuUsage(cpu0);
  oursHardCpuMs = Math.min(oursHardCpuMs, (used.user + used.system) / 1000);
});
const centroids = ours.centroids.data;
let labels: Int32Array = new Int32Array(ASSIGN_ROWS);
const oursAssignMs = best(5, () => {
  labels = assignNearest(assignX, ASSIGN_ROWS, D, centroids, K, labels);
});
const silLabels = assignNearest(silX, SIL_ROWS, D, centroids, K);
let sil = 0;
const oursSilMs = best(2, () => {
  sil = silhouetteScore({ data: silX, rows: SIL_ROWS, cols: D }, silLabels);
});

// --- ml-kmeans (k-means++, 100 iterations; it has no n_init and returns no inertia)
const rows2d: number[][] = Array.from({ length: FIT_ROWS }, (_, i) => Array.from(fitX.subarray(i * D, (i + 1) * D)));
let mlInertia = NaN;
const mlMs = best(1, () => {
  const r = mlKmeans(rows2d, K, { initialization: 'kmeans++', maxIterations: 100, seed: 0 });
  const cents = r.centroids;
  mlInertia = 0;
  for (let i = 0; i < FIT_ROWS; i++) {
    const c = cents[r.clusters[i]];
    for (let j = 0; j < D; j++) mlInertia += (rows2d[i][j] - c[j]) ** 2;
  }
});

// --- scikit-learn
type Sk = { fit: { ms: number; inertia: number; iterations: number }; hard: { ms: number; cpuMs?: number; inertia: number; iterations: number }; assign: { ms: number }; silhouette: { ms: number; value: number } };
let sk: Sk | null = null;
let skLabels: Int32Array | null = null;
let skNote = '';
if (existsSync(PYTHON)) {
  const tmp = mkdtempSync(join(os.tmpdir(), 'retail-ml-cluster-bench-'));
  try {
    writeFileSync(join(tmp, 'fit.bin'), new Uint8Array(fitX.buffer));
    writeFileSync(join(tmp, 'assign.bin'), new Uint8Array(assignX.buffer));
    writeFileSync(join(tmp, 'centroids.bin'), new Uint8Array(centroids.buffer.slice(0)));
    writeFileSync(join(tmp, 'sil.bin'), new Uint8Array(silX.buffer));
    writeFileSync(join(tmp, 'sil_labels.bin'), new Uint8Array(silLabels.buffer));
    writeFileSync(join(tmp, 'hard.bin'), new Uint8Array(hardX.buffer));
    writeFileSync(join(tmp, 'spec.json'), JSON.stringify({ fitRows: FIT_ROWS, fitCols: D, assignRows: ASSIGN_ROWS, silRows: SIL_ROWS, silCols: D, hardRows: FIT_ROWS }));
    const run = spawnSync(PYTHON, [join(here, '..', 'models', 'cluster', 'bench_sklearn.py'), tmp], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      maxBuffer: 1 << 24,
    });
    if (run.status === 0) {
      sk = JSON.parse(run.stdout) as Sk;
      skLabels = new Int32Array(new Uint8Array(readFileSync(join(tmp, 'sk_labels.bin'))).buffer);
    } else skNote = `scikit-learn run failed: ${run.stderr.split('\n').slice(-3).join(' ')}`;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else skNote = `${PYTHON} not found: scikit-learn column skipped`;

// --- correctness before numbers
let failures = 0;
const check = (ok: boolean, what: string) => {
  if (!ok) {
    failures++;
    console.log(`**CORRECTNESS FAILURE: ${what}**`);
  }
};
if (sk) {
  check(Math.abs(ours.inertia - sk.fit.inertia) <= 0.01 * sk.fit.inertia, `fit inertia ${ours.inertia} vs scikit-learn ${sk.fit.inertia}`);
  check(Math.abs(hard.inertia - sk.hard.inertia) <= 0.01 * sk.hard.inertia, `hard fit inertia ${hard.inertia} vs scikit-learn ${sk.hard.inertia}`);
  check(hard.iterations === sk.hard.iterations, `hard fit ran ${hard.iterations} iterations, scikit-learn ${sk.hard.iterations}`);
  let diff = 0;
  for (let i = 0; i < ASSIGN_ROWS; i++) if (labels[i] !== skLabels![i]) diff++;
  check(diff === 0, `${diff} of ${ASSIGN_ROWS} assignments differ from scikit-learn predict`);
  check(Math.abs(sil - sk.silhouette.value) <= 1e-9 * Math.abs(sk.silhouette.value), `silhouette ${sil} vs ${sk.silhouette.value}`);
}
check(Number.isFinite(mlInertia), 'ml-kmeans produced no finite inertia');

const ratio = (a: number, b: number | undefined) => (b === undefined ? '–' : `${(a / b).toFixed(2)}×`);
console.log('| task | retail-ml | scikit-learn (1 thread) | ratio vs sklearn | ml-kmeans | ml-kmeans / retail-ml | target |');
console.log('|---|---:|---:|---:|---:|---:|---|');
console.log(
  `| fit ${FIT_ROWS.toLocaleString('en')}×${D}, k=${K}, k-means++, 1 init, ≤100 it (ms) | ${fmt(oursFitMs)} | ${sk ? fmt(sk.fit.ms) : '–'} | ${ratio(oursFitMs, sk?.fit.ms)} | ${fmt(mlMs)} | ${(mlMs / oursFitMs).toFixed(1)}× | ≤1.5× sklearn, ≥10× faster than ml-kmeans |`,
);
console.log(`| ↳ inertia | ${ours.inertia.toFixed(1)} (${ours.iterations} it) | ${sk ? `${sk.fit.inertia.toFixed(1)} (${sk.fit.iterations} it)` : '–'} | ${sk ? `${(((ours.inertia - sk.fit.inertia) / sk.fit.inertia) * 100).toFixed(3)}%` : '–'} | ${mlInertia.toFixed(1)} | | within 1% |`);
console.log(`| ↳ same fit, steady state (best of 10 more calls) (ms) | ${fmt(oursFitSteadyMs)} | | ${ratio(oursFitSteadyMs, sk?.fit.ms)} | | | |`);
console.log(
  `| fit overlapping blobs ${FIT_ROWS.toLocaleString('en')}×${D}, k=${K}, nInit 10, ≤300 it, best of 3 (ms) | ${fmt(oursHardMs)} | ${sk ? fmt(sk.hard.ms) : '–'} | ${ratio(oursHardMs, sk?.hard.ms)} | | | ≤1.0× sklearn (issue 20) |`,
);
console.log(`| ↳ same fits, CPU time of the process, best of 3 (ms) | ${fmt(oursHardCpuMs)} | ${sk?.hard.cpuMs !== undefined ? fmt(sk.hard.cpuMs) : '–'} | ${ratio(oursHardCpuMs, sk?.hard.cpuMs)} | | | |`);
console.log(`| ↳ inertia | ${hard.inertia.toFixed(1)} (${hard.iterations} it) | ${sk ? `${sk.hard.inertia.toFixed(1)} (${sk.hard.iterations} it)` : '–'} | ${sk ? `${(((hard.inertia - sk.hard.inertia) / sk.hard.inertia) * 100).toFixed(3)}%` : '–'} | | | within 1% |`);
console.log(`| assign ${ASSIGN_ROWS.toLocaleString('en')}×${D} to ${K} centroids (ms) | ${fmt(oursAssignMs)} | ${sk ? fmt(sk.assign.ms) : '–'} | ${ratio(oursAssignMs, sk?.assign.ms)} | | | ≤250 ms, labels identical |`);
console.log(`| silhouette ${SIL_ROWS.toLocaleString('en')}×${D} (ms) | ${fmt(oursSilMs)} | ${sk ? fmt(sk.silhouette.ms) : '–'} | ${ratio(oursSilMs, sk?.silhouette.ms)} | | | ≤2000 ms, equal to 1e-9 |`);
if (skNote) console.log(`\n${skNote}`);
process.exitCode = failures === 0 ? 0 : 1;
