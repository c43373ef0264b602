// The distributed path (coordinator + `retail-ml worker` on a real redis-server) with models
// that are not XGBoost boosters: a scikit-learn Pipeline pickle and an MLflow model folder.
// The contract is the same as for XGBoost: the output is byte-identical to the local run's.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScoreModel } from '../../src/node/load-score-model.js';
import { scoreFile } from '../../src/node/score-file.js';
import { cli } from '../support/cli.js';
import { repoRoot } from '../support/paths.js';
import { redisServerPath, TestRedis } from '../support/redis-server.js';

const ROWS = 12_000;
const CHUNK = 2_500;

describe.skipIf(!redisServerPath)('distributed scoring of estimators on BullMQ with a real redis-server', () => {
  let dir: string;
  let redis: TestRedis;
  let worker: ChildProcess;
  let log = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'retail-ml-dist-est-'));
    redis = new TestRedis();
    await redis.start();
    worker = spawn(process.execPath, ['--import', 'tsx', resolve(repoRoot, 'src/cli/main.ts'), 'worker', '--redis', redis.url], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    worker.stderr!.on('data', (d) => (log += d));
  }, 60_000);
  afterAll(async () => {
    if (worker.exitCode === null && worker.signalCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function distributedEqualsLocal(model: string, header: readonly string[], rows: readonly (readonly unknown[])[], output: string): Promise<void> {
    const lines = [[...header, 'customer_id'].join(',')];
    for (let i = 0; i < ROWS; i++) lines.push([...rows[i % rows.length].map((v) => (v === null ? '' : String(v))), `c${i + 1}`].join(','));
    const input = join(dir, `${output}.in.csv`);
    writeFileSync(input, lines.join('\n') + '\n');
    await scoreFile(loadScoreModel(model), input, join(dir, `local-${output}`), { ids: ['customer_id'] });
    const run = await cli(['score', '--model', model, '--input', input, '--output', join(dir, output), '--id', 'customer_id', '--redis', redis.url, '--chunk-rows', String(CHUNK)]);
    expect(run.stderr).toMatch(new RegExp(`${ROWS} rows in ${Math.ceil(ROWS / CHUNK)} chunks`));
    expect(run.code).toBe(0);
    const local = readFileSync(join(dir, `local-${output}`));
    expect(local.length).toBeGreaterThan(ROWS * 10);
    expect(readFileSync(join(dir, output)).equals(local)).toBe(true);
  }

  it('a scikit-learn Pipeline pickle (encoders → forest, string labels): CSV of proba_<class>, identical to the local run', async () => {
    const f = JSON.parse(readFileSync(join(repoRoot, 'models/sklearn/fixtures/pipeline_forest.json'), 'utf8'));
    await distributedEqualsLocal(join(repoRoot, 'models/sklearn/pickles/pipeline_forest.pkl'), f.input.columns, f.input.rows, 'pipeline.csv');
    expect(readFileSync(join(dir, 'pipeline.csv'), 'utf8').split('\n')[0]).toBe('customer_id,proba_Books,proba_Clothing,proba_Home');
  }, 120_000);

  it('an MLflow model folder (hashed file by file): JSONL, identical to the local run', async () => {
    const e = JSON.parse(readFileSync(join(repoRoot, 'models/pickle/fixtures/xgb_classifier_binary.expected.json'), 'utf8'));
    await distributedEqualsLocal(join(repoRoot, 'models/pickle/fixtures/mlflow-sklearn'), ['age', 'last_login_days', 'orders', 'basket', 'discount'], e.rows, 'mlflow.jsonl');
    expect(completedJobs()).toBeGreaterThanOrEqual(2 * Math.ceil(ROWS / CHUNK));
  }, 120_000);

  function completedJobs(): number {
    return (log.match(/completed/g) ?? []).length;
  }
});
