// Runs every benchmarks/*.bench.ts in its own process, one after another, so one
// benchmark's heap and JIT state never colour another's numbers.
// `npm run bench -- xgboost` runs only the files whose name contains "xgboost".
//
// Each file is first bundled to plain JavaScript and run by plain `node`, as users run the
// built package: under `node --import tsx`, V8 invalidates its ArrayBuffer-detaching
// protector and checks every typed-array access, which cost the k-means fit about 15%.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`# retail-ml benchmarks\n\nMachine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`);
let failed = 0;
for (const file of files) {
  console.log(`## ${file.replace(/\.bench\.ts$/, '')}\n`);
  // Next to its source, so the bundle's paths relative to import.meta.url stay the same.
  const bundle = join(here, file.replace(/\.ts$/, '.built.mjs'));
  buildSync({ entryPoints: [join(here, file)], outfile: bundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  const result = spawnSync(process.execPath, [bundle], { stdio: 'inherit' });
  rmSync(bundle, { force: true });
  if (result.status !== 0) {
    failed++;
    console.log(`\n**${file} failed (exit ${result.status})**\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
