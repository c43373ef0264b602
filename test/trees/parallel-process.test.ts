// Two overlapping pool calls as the only work of a process, from the built ESM and CJS
// bundles: the process must print both results and exit 0 by itself, neither cut off before
// the calls settle (idle workers unref'd too early) nor held open after (busy ones never unref'd).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadXGBoost } from '../../src/formats/xgboost/index.js';
import { repoRoot } from '../support/paths.js';

const run = promisify(execFile);
const modelPath = resolve(repoRoot, 'models/xgboost/fixtures/early_stopping_binary.json');
const model = loadXGBoost(readFileSync(modelPath), { useBestIteration: true });
const rows = Array.from({ length: 3000 }, (_, r) => Array.from({ length: model.numFeatures }, (_, f) => ((r * 31 + f * 17) % 97) - 20 + (r % 7 === f ? NaN : 0)));
const dir = mkdtempSync(join(tmpdir(), 'retail-ml-pool-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The calls, written once for both module systems; `lib` is the bundle's exports.
const body = (lib: string) => `
  const model = ${lib}.loadXGBoostFile(${JSON.stringify(modelPath)}, { useBestIteration: true });
  const rows = ${JSON.stringify(rows)}.map((r) => r.map((v) => (v === null ? NaN : v)));
  ${lib}.createPredictionPool(model, { threads: 2, minRowsPerThread: 100 }).then((pool) =>
    Promise.all([pool.predict(rows), pool.predict(rows, { output: 'margin', iterationRange: [0, 5] })]).then(([values, margins]) => {
      console.log(JSON.stringify({ values: Array.from(values), margins: Array.from(margins) }));
    }),
  );
`;

describe('a pool whose calls are the only work keeps the process alive exactly as long as they are pending', () => {
  beforeAll(async () => {
    // The same bundler and target as the package build, for the retail-ml/node entry only.
    await run('npx', ['tsup', '--no-config', 'src/node/index.ts', '--format', 'esm,cjs', '--target', 'node20', '-d', dir], { cwd: repoRoot });
    // The bundles import their dependencies (exceljs, ml-matrix) by name: resolve them from the checkout.
    symlinkSync(resolve(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'overlap.mjs'), `import * as lib from './index.js';\n${body('lib')}`);
    writeFileSync(join(dir, 'overlap.cjs'), `const lib = require('./index.cjs');\n${body('lib')}`);
  }, 120_000);

  it.each(['overlap.mjs', 'overlap.cjs'])('%s prints both results and exits 0 on its own', async (script) => {
    // A stranded process would hit the timeout and reject; one cut off early prints nothing.
    const { stdout, stderr } = await run(process.execPath, [join(dir, script)], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    expect(stderr).toBe('');
    const out = JSON.parse(stdout);
    expect(out.values).toEqual(Array.from(model.predict(rows)));
    expect(out.margins).toEqual(Array.from(model.predict(rows, { output: 'margin', iterationRange: [0, 5] })));
  });
});
