// A/B of the k-means fit against another checkout of this repository, in one process, the
// two builds interleaved run by run: `npx tsx benchmarks/cluster-ab.ts /path/to/old/checkout`.
// Both trees' src/cluster are bundled (as `npm run bench` bundles, so neither runs under tsx)
// and loaded side by side. Inputs: benchmarks/cluster.bench.ts's overlapping blobs (nInit 10)
// and its easy blobs (nInit 1). Reports each side's best and median process CPU time (on a
// shared machine the wall time counts other processes' turns) and checks that labels,
// centres, inertia and iterations are identical. Not a *.bench.ts: `npm run bench` skips it.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Fit = typeof import('../src/cluster/index.js').fitKMeans;
type Rng = typeof import('../src/cluster/index.js').NumpyRandomState;

const here = dirname(fileURLToPath(import.meta.url));
const oldRoot = process.argv[2];
if (oldRoot === undefined) throw new Error('usage: npx tsx benchmarks/cluster-ab.ts <old checkout> [hard runs] [easy runs]');
const hardRuns = Number(process.argv[3] ?? 5);
const easyRuns = Number(process.argv[4] ?? 20);
const tmp = mkdtempSync(join(os.tmpdir(), 'retail-ml-cluster-ab-'));

async function load(root: string, name: string): Promise<{ fitKMeans: Fit; NumpyRandomState: Rng }> {
  const outfile = join(tmp, `${name}.mjs`);
  buildSync({ entryPoints: [join(root, 'src', 'cluster', 'index.ts')], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return import(pathToFileURL(outfile).href);
}

try {
  const before = await load(resolve(oldRoot), 'old');
  const after = await load(join(here, '..'), 'new');
  const K = 8;
  // benchmarks/cluster.bench.ts's generator, draw for draw.
  const blobs = (rows: number, cols: number, seed: number, spread: number): Float64Array => {
    const rng = new after.NumpyRandomState(seed);
    const centres = Float64Array.from({ length: K * cols }, () => rng.randomSample() * (2 * spread) - spread);
    const x = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const c = rng.randint(K);
      for (let j = 0; j < cols; j++) x[i * cols + j] = centres[c * cols + j] + 8 * (rng.randomSample() + rng.randomSample() + rng.randomSample() - 1.5);
    }
    return x;
  };
  const cases = [
    { name: 'overlapping blobs 100,000×21, k=8, nInit 10', data: blobs(100_000, 21, 4, 3), options: { k: K, seed: 0 }, runs: hardRuns },
    { name: 'easy blobs 100,000×21, k=8, nInit 1, ≤100 it', data: blobs(100_000, 21, 1, 10), options: { k: K, nInit: 1, maxIter: 100, seed: 0 }, runs: easyRuns },
  ];
  const load3 = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, load average ${load3()}\n`);
  console.log('| input | old CPU ms, best / median | new CPU ms, best / median | new ÷ old (best) | identical results |');
  console.log('|---|---:|---:|---:|---|');
  for (const c of cases) {
    const times = { old: [] as number[], new: [] as number[] };
    const results = { old: '', new: '' };
    for (let r = 0; r < c.runs; r++) {
      for (const [side, fit] of [['old', before.fitKMeans], ['new', after.fitKMeans]] as const) {
        const cpu0 = process.cpuUsage();
        const m = fit({ data: c.data, rows: 100_000, cols: 21 }, c.options);
        const used = process.cpuUsage(cpu0);
        times[side].push((used.user + used.system) / 1000);
        results[side] = JSON.stringify([m.inertia, m.iterations, Array.from(m.centroids.data), Array.from(m.labels)]);
      }
    }
    const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
    const [o, n] = [sorted(times.old), sorted(times.new)];
    const med = (a: number[]) => a[a.length >> 1];
    console.log(`| ${c.name}, ${c.runs} runs each | ${o[0].toFixed(0)} / ${med(o).toFixed(0)} | ${n[0].toFixed(0)} / ${med(n).toFixed(0)} | ${(n[0] / o[0]).toFixed(3)}× | ${results.old === results.new ? 'yes' : '**NO**'} |`);
    if (results.old !== results.new) process.exitCode = 1;
  }
  console.log(`\nload average at the end ${load3()}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
