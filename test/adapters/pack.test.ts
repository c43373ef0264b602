/**
 * PACK TEST (slow: ~1 minute). Builds the library with tsup, `npm pack`s it, installs
 * the tarball into a scratch project in the OS temp folder WITHOUT mongodb/nodemailer,
 * and runs the installed package there: the core loads and scores the shipped model
 * (checked against XGBoost 1.7.4's probabilities), the worker pool runs from the ESM and
 * CJS bundles with the same results, the log adapter works, and the
 * MongoDB / e-mail adapters fail with a clear MISSING_PEER error instead of crashing
 * on import.
 *
 * Installing needs the library's own dependencies (fflate, ml-matrix). It tries the
 * local npm cache first (`--offline`) and only then the npm registry
 * (`--prefer-offline`): this is the one test that may touch the network.
 * Set RETAIL_ML_SKIP_PACK_TEST=1 to skip it during quick local runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const GRID = join(ROOT, 'models/features/category/grid.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(process.env.RETAIL_ML_SKIP_PACK_TEST === '1')('PACK: the published package without the optional peers', () => {
  it('packs, installs without mongodb/nodemailer, and the core imports and scores', { timeout: 300_000 }, async () => {
    scratch = await mkdtemp(join(tmpdir(), 'retail-ml-pack-'));
    await run('npx', ['tsup'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const { stdout: packed } = await run(npm, ['pack', '--json', '--pack-destination', scratch, ...quiet], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const [{ filename, files }] = JSON.parse(packed) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toContain('dist/adapters/mongodb.js');
    expect(paths).toContain('dist/adapters/email.cjs');
    expect(paths).toContain('dist/adapters/log.d.ts');
    expect(paths).toContain('models/category-recommender/xgb_model_category.json');
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);

    const project = join(scratch, 'app');
    await run('mkdir', ['-p', project]);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, type: 'module' }));
    const tarball = join(scratch, filename.split('/').pop()!);
    try {
      await run(npm, ['install', '--offline', ...quiet, tarball], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
    } catch {
      await run(npm, ['install', '--prefer-offline', ...quiet, tarball], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
    }
    const installed = await readdir(join(project, 'node_modules'));
    expect(installed).toContain('retail-ml');
    expect(installed).not.toContain('mongodb');
    expect(installed).not.toContain('nodemailer');

    const grid = JSON.parse(readFileSync(GRID, 'utf8')) as { cases: { row: number[]; probabilities: number[] }[] };
    const cases = grid.cases.slice(0, 5);
    await writeFile(
      join(project, 'check.mjs'),
      `
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      import { loadXGBoost } from 'retail-ml';
      import { createPredictionPool } from 'retail-ml/node';
      import { openJsonlPredictionLog, createPredictionRecord, readRecentPredictions } from 'retail-ml/adapters/log';
      import * as mongo from 'retail-ml/adapters/mongodb';
      import * as email from 'retail-ml/adapters/email';
      const require = createRequire(import.meta.url);
      const cjs = require('retail-ml');
      const modelPath = new URL('./node_modules/retail-ml/models/category-recommender/xgb_model_category.json', import.meta.url);
      const bytes = readFileSync(modelPath);
      const model = loadXGBoost(bytes);
      const cases = ${JSON.stringify(cases)};
      const probabilities = cases.map((c) => Array.from(model.predict([c.row])));
      const cjsProbabilities = Array.from(cjs.loadXGBoost(bytes).predict([cases[0].row]));
      // The worker pool evaluates its worker from a string: check it runs from both built bundles.
      const many = Array.from({ length: 400 }, (_, i) => cases[i % cases.length].row);
      const single = Array.from(model.predict(many));
      const poolResults = [];
      for (const create of [createPredictionPool, require('retail-ml/node').createPredictionPool]) {
        const pool = await create(model, { threads: 2, minRowsPerThread: 50 });
        poolResults.push(Array.from(await pool.predict(many)));
        await pool.close();
      }
      const log = await openJsonlPredictionLog('predictions.jsonl', { onReport: () => {} });
      const record = createPredictionRecord({ input: { customer_id: 'C1' }, features: cases[0].row,
        top: [{ label: 'Home', probability: probabilities[0][3] }], model: { name: 'm', sha256: 'a'.repeat(64) } });
      log.append(record);
      await log.close();
      const logged = (await readRecentPredictions('predictions.jsonl', 5)).map((r) => r.id);
      const missing = async (fn) => { try { await fn(); return 'no error'; } catch (e) { return e.code + ': ' + e.message; } };
      console.log(JSON.stringify({
        probabilities, cjsProbabilities, logged, recordId: record.id, single, poolResults,
        mongo: await missing(() => mongo.openMongoPredictionLog({ uri: 'mongodb://127.0.0.1:1' })),
        email: await missing(() => email.createMailerFromEnv({}, { dir: 'mail' })),
        validAddress: email.isValidEmailAddress('ann@example.com'),
      }));
      `,
    );
    const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    cases.forEach((c, i) => {
      result.probabilities[i].forEach((p: number, k: number) => expect(p).toBeCloseTo(c.probabilities[k], 6));
    });
    expect(result.cjsProbabilities).toEqual(result.probabilities[0]);
    expect(result.poolResults).toEqual([result.single, result.single]);
    expect(result.single).toHaveLength(400 * 4);
    expect(result.logged).toEqual([result.recordId]);
    expect(result.mongo).toMatch(/^MISSING_PEER: .*'mongodb' \(npm install mongodb\)/);
    expect(result.email).toMatch(/^MISSING_PEER: .*'nodemailer' \(npm install nodemailer\)/);
    expect(result.validAddress).toBe(true);
    expect(existsSync(join(project, 'node_modules', 'mongodb'))).toBe(false);
  });
});
