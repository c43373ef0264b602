// What importing the built package costs: each entry point imported (ESM) or required (CJS)
// by a fresh `node` process, best of 15, after `npm run build`. Correctness first: each
// import must expose its entry's functions. The target for retail-ml/node is < 100 ms.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/index.js`)) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });

const cases: [string, string, string][] = [
  ['retail-ml (ESM)', `const t = performance.now(); const m = await import('${root}dist/index.js'); if (typeof m.loadXGBoost !== 'function') throw 0; console.log(performance.now() - t);`, 'esm'],
  ['retail-ml/node (ESM)', `const t = performance.now(); const m = await import('${root}dist/node/index.js'); if (typeof m.loadModelFile !== 'function') throw 0; console.log(performance.now() - t);`, 'esm'],
  ['retail-ml (CJS)', `const t = performance.now(); const m = require('${root}dist/index.cjs'); if (typeof m.loadXGBoost !== 'function') throw 0; console.log(performance.now() - t);`, 'cjs'],
  ['retail-ml/node (CJS)', `const t = performance.now(); const m = require('${root}dist/node.cjs'); if (typeof m.loadModelFile !== 'function') throw 0; console.log(performance.now() - t);`, 'cjs'],
];

console.log('| import | best of 15 (ms) | median (ms) |');
console.log('|---|---:|---:|');
for (const [name, code, kind] of cases) {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const args = kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code];
    times.push(Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim()));
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${times[0].toFixed(0)} | ${times[7].toFixed(0)} |`);
}
