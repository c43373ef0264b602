// The worker pool against the single-threaded compiled predictor: identical bits.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadXGBoost } from '../../src/formats/xgboost/index.js';
import { createPredictionPool, type PredictionPool } from '../../src/node/parallel-predict.js';
import { predictMargins } from '../../src/trees/index.js';

const manifest = JSON.parse(readFileSync('models/bench/manifest.json', 'utf8'));
const pools: PredictionPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function benchRows(name: string): { rows: Float32Array; numFeatures: number } {
  const entry = manifest.models.find((m: { name: string }) => m.name === name);
  const bytes = readFileSync(`models/bench/${entry.rows_file}`);
  return { rows: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), numFeatures: entry.num_features };
}

describe('parallel prediction pool', () => {
  it('gives the same values and margins as model.predict on a multi-class model', async () => {
    const model = loadXGBoost(readFileSync('models/bench/softprob_10x60_d6_64f.ubj'));
    const { rows } = benchRows('softprob_10x60_d6_64f');
    const pool = await createPredictionPool(model, { threads: 2, minRowsPerThread: 100 });
    pools.push(pool);
    const some = rows.subarray(0, 3000 * model.numFeatures);
    expect(Array.from(await pool.predict(some))).toEqual(Array.from(model.predict(some)));
    expect(Array.from(await pool.predict(some, { output: 'margin' }))).toEqual(Array.from(model.predict(some, { output: 'margin' })));
  });

  it('handles categorical fixtures, NaNs, rows passed as arrays, and a bare ensemble against the interpreter', async () => {
    const expected = JSON.parse(readFileSync('models/xgboost/fixtures/cat_multi_softprob_partition.expected.json', 'utf8'));
    const model = loadXGBoost(readFileSync('models/xgboost/fixtures/cat_multi_softprob_partition.json'));
    const rows = Array.from({ length: 40 }, () => expected.rows).flat();
    const pool = await createPredictionPool(model, { threads: 3, minRowsPerThread: 10 });
    pools.push(pool);
    expect(Array.from(await pool.predict(rows))).toEqual(Array.from(model.predict(rows)));
    const ensemblePool = await createPredictionPool(model.ensemble!, { threads: 2, minRowsPerThread: 10 });
    pools.push(ensemblePool);
    const flat = Float32Array.from(rows.flat(), (v: number | null) => v ?? NaN);
    const reference = predictMargins(model.ensemble!, flat, rows.length);
    expect(Array.from(await ensemblePool.predictMargins(flat, rows.length))).toEqual(Array.from(reference));
  });

  it('runs WebAssembly in the workers, bit-exact on every fixture (categorical, NaN, DART, multi-class), and generated JavaScript for other ranges', async () => {
    const dir = 'models/xgboost/fixtures';
    const names = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace('.expected.json', ''));
    let onWasm = 0;
    for (const name of names) {
      const expected = JSON.parse(readFileSync(`${dir}/${name}.expected.json`, 'utf8'));
      const model = loadXGBoost(readFileSync(`${dir}/${name}.ubj`));
      if (!model.ensemble) continue;
      const rows = Array.from({ length: 30 }, () => expected.rows).flat();
      const pool = await createPredictionPool(model, { threads: 2, minRowsPerThread: 10 });
      try {
        expect(pool.webassembly, name).toBe(model.ensemble.leafWidth === 1);
        if (pool.webassembly) onWasm++;
        expect(Array.from(await pool.predict(rows, { output: 'margin' })), name).toEqual(Array.from(model.predict(rows, { output: 'margin' })));
        if (model.numRounds > 1) {
          const range = [0, 1] as const;
          expect(Array.from(await pool.predict(rows, { output: 'margin', iterationRange: range })), `${name} [0, 1)`).toEqual(Array.from(model.predict(rows, { output: 'margin', iterationRange: range })));
        }
      } finally {
        await pool.close();
      }
    }
    expect(onWasm).toBeGreaterThanOrEqual(40);
  });

  it('rejects bad input with typed errors', async () => {
    const model = loadXGBoost(readFileSync('models/xgboost/fixtures/obj_binary_logistic.json'));
    await expect(createPredictionPool(model, { threads: 0 })).rejects.toThrow(/threads/);
    const pool = await createPredictionPool(model, { threads: 1 });
    await expect(pool.predictMargins(new Float32Array(5), 1)).rejects.toThrow(/expected 1 rows/);
    await pool.close();
    await expect(pool.predictMargins(new Float32Array(8), 1)).rejects.toThrow(/closed/);
  });
});
