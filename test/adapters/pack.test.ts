/**
 * PACK TEST (slow: ~1 minute). Builds the library with tsup unless dist/ is newer than its
 * sources (`npm ci` builds it), `npm pack`s it, installs
 * the tarball into a scratch project in the OS temp folder WITHOUT mongodb/nodemailer,
 * and runs the installed package there: the core loads and scores the shipped model
 * (checked against XGBoost 1.7.4's probabilities), the worker pool runs from the ESM and
 * CJS bundles with the same results, the log adapter works, and the
 * MongoDB / e-mail adapters fail with a clear MISSING_PEER error instead of crashing
 * on import.
 *
 * It also checks what a user meets: one copy of every class across entry points (ESM and
 * CJS), TypeScript consumers (node16), the shipped bundle resolved from the installed
 * package, the import cost of one function from dist/ (esbuild, min+gzip), the number of
 * packages installed.
 *
 * Installing needs the library's own dependencies (fflate, yaml). It tries the
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
import { distIsCurrent } from '../support/built-dist.js';

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
  it('packs, installs without mongodb/nodemailer, and the core imports and scores', { timeout: 600_000 }, async () => {
    scratch = await mkdtemp(join(tmpdir(), 'retail-ml-pack-'));
    if (!distIsCurrent()) await run(npm, ['run', 'build'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    // Built above (or by `prepare`, after the sources last changed); --ignore-scripts keeps `prepare`'s second build out of pack's JSON output.
    const { stdout: packed } = await run(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch, ...quiet], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    // Tree-shaking from the built files: what a bundler ships for one import.
    const { importCost } = (await import(join(ROOT, 'scripts/bundle-size.mjs'))) as { importCost(names: string[]): Promise<number> };
    expect(await importCost(['RetailMlError'])).toBeLessThanOrEqual(2 * 1024);
    // Scoring alone: no SHAP (explainXGBoost is its own import) and no JavaScript code generation.
    expect(await importCost(['loadXGBoost'])).toBeLessThanOrEqual(20 * 1024);
    const [{ filename, files }] = JSON.parse(packed) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toContain('dist/adapters/mongodb/index.js');
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/adapters/email.cjs');
    expect(paths).toContain('dist/adapters/log/index.d.ts');
    expect(paths).toContain('dist/adapters/log.d.cts');
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
      import * as bullmq from 'retail-ml/adapters/bullmq';
      import { scoreFile } from 'retail-ml/node';
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
        bullmq: await missing(() => bullmq.startScoreWorker({ redis: 'redis://127.0.0.1:1' })),
        parquet: await missing(() => scoreFile(model, 'rows.parquet', 'scores.csv')),
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
    expect(result.bullmq).toMatch(/^MISSING_PEER: .*'bullmq' \(npm install bullmq ioredis\)/);
    expect(result.parquet).toMatch(/^MISSING_PEER: .*'hyparquet' \(npm install hyparquet\)/);
    expect(result.validAddress).toBe(true);
    expect(existsSync(join(project, 'node_modules', 'mongodb'))).toBe(false);

    // One copy of every class across entry points, in ESM and in CommonJS.
    await writeFile(
      join(project, 'identity.mjs'),
      `
      import * as core from 'retail-ml';
      import * as node from 'retail-ml/node';
      import * as log from 'retail-ml/adapters/log';
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const path = require.resolve('retail-ml/models/category-recommender/xgb_model_category.json');
      const esmModel = node.loadXGBoostFile(path);
      const cjsCore = require('retail-ml'), cjsNode = require('retail-ml/node');
      const cjsModel = cjsNode.loadXGBoostFile(path);
      const errorOf = (fn) => { try { fn(); } catch (e) { return e; } };
      const esmError = errorOf(() => esmModel.predict([[1, 2]]));
      const cjsError = errorOf(() => cjsModel.predict([[1, 2]]));
      const bundle = await node.loadShippedCategoryBundle();
      const cjsBundle = await cjsNode.loadShippedCategoryBundle();
      const form = { customer_id: 'c', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' };
      console.log(JSON.stringify({
        esmModel: esmModel instanceof core.XGBoostModel, cjsModel: cjsModel instanceof cjsCore.XGBoostModel,
        esmError: esmError instanceof core.RetailMlError && esmError instanceof core.InputError,
        cjsError: cjsError instanceof cjsCore.RetailMlError && cjsError instanceof cjsCore.InputError,
        logRecordError: typeof log.createPredictionRecord === 'function',
        shipped: core.recommendCategories(form, bundle).top.map((t) => t.label),
        cjsShipped: cjsCore.recommendCategories(form, cjsBundle).top.map((t) => t.label),
      }));
      `,
    );
    const identity = JSON.parse((await run(process.execPath, ['identity.mjs'], { cwd: project })).stdout.trim().split('\n').at(-1)!);
    expect(identity).toEqual({
      esmModel: true, cjsModel: true, esmError: true, cjsError: true, logRecordError: true,
      // XGBoost 1.7.4's order for this customer (see ../shared/README.md): Home, Clothing, Electronics.
      shipped: ['Home', 'Clothing', 'Electronics'], cjsShipped: ['Home', 'Clothing', 'Electronics'],
    });

    // TypeScript consumers, ESM and CommonJS, resolve the types through `exports` (node16).
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    await writeFile(
      join(project, 'consumer.mts'),
      `import { loadXGBoost, type XGBoostModel } from 'retail-ml';
      import { loadShippedCategoryBundle } from 'retail-ml/node';
      const model: XGBoostModel = loadXGBoost(new ArrayBuffer(8));
      const bundle: Promise<unknown> = loadShippedCategoryBundle();
      // @ts-expect-error a number is not a model source
      loadXGBoost(42);
      export { model, bundle };
      `,
    );
    await writeFile(
      join(project, 'consumer.cts'),
      `import retail = require('retail-ml');
      import node = require('retail-ml/node');
      export const model: retail.XGBoostModel = node.loadXGBoostFile('m.json');
      `,
    );
    const tscArgs = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types')];
    await run(process.execPath, [tsc, ...tscArgs, 'consumer.mts', 'consumer.cts'], { cwd: project });

    // What installing costs: the packages it brings.
    const { stdout: tree } = await run(npm, ['ls', '--all', '--parseable', '--omit=dev'], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
    const installedPackages = tree.trim().split('\n').filter((p) => p.includes('node_modules')).length;
    // retail-ml, fflate and yaml.
    expect(installedPackages).toBeLessThanOrEqual(3);
    // Import time is a speed claim: benchmarks/import.bench.ts measures it, not this test.
  });
});
