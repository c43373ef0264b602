// What importing the built package costs: each entry point imported (ESM) or required (CJS)
// by its package name, as a user's code does (so `exports` picks the file), by a fresh
// `node` process started in the checkout, best of 15, after `npm run build`. Correctness
// first: each import must expose its entry's functions. Wall time moves with the machine's
// load; the CPU time the process spent importing (user + system) moves much less, so both
// are printed. The target for retail-ml/node is < 100 ms.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/node-esm/node.js`)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });

const measure = (load: string, check: string): string =>
  `const t = performance.now(); const c = process.cpuUsage(); const m = ${load}; const d = process.cpuUsage(c); if (typeof m.${check} !== 'function') throw new Error('missing ${check}'); console.log(performance.now() - t, (d.user + d.system) / 1000);`;
const cases: [string, string, 'esm' | 'cjs'][] = [
  ["import 'retail-ml'", measure("await import('retail-ml')", 'loadXGBoost'), 'esm'],
  ["import 'retail-ml/node'", measure("await import('retail-ml/node')", 'loadModelFile'), 'esm'],
  ["require('retail-ml')", measure("require('retail-ml')", 'loadXGBoost'), 'cjs'],
  ["require('retail-ml/node')", measure("require('retail-ml/node')", 'loadModelFile'), 'cjs'],
];

console.log(`load average at start: ${loadavg()[0].toFixed(1)}`);
console.log('| import | wall, best of 15 (ms) | wall, median (ms) | CPU, best of 15 (ms) |');
console.log('|---|---:|---:|---:|');
for (const [name, code, kind] of cases) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 15; i++) {
    const args = kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code];
    const [w, c] = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim().split(' ').map(Number);
    wall.push(w);
    cpu.push(c);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`| ${name} | ${wall[0].toFixed(0)} | ${wall[7].toFixed(0)} | ${cpu[0].toFixed(0)} |`);
}
