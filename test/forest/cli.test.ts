import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { readCsv } from '../../src/features/index.js';

const users = join(__dirname, '../../../shared/data/purchase-prediction/retail_app_data.csv');
const dir = mkdtempSync(join(tmpdir(), 'retail-ml-forest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, env: {} });
  return { code, stdout, stderr };
}

describe.skipIf(!existsSync(users))('retail-ml purchase-features and forest train|predict|evaluate', () => {
  it('runs the whole flow on the real app data', async () => {
    const features = await run('purchase-features', '--input', users, '--out', 'features.csv', '--save-spec', 'spec.json');
    expect(features.code).toBe(0);
    const table = readCsv(readFileSync(join(dir, 'features.csv'), 'utf8'));
    expect(table.numRows).toBe(10_000);
    expect(table.columnNames[0]).toBe('user_id');
    expect(table.columnNames.at(-1)).toBe('purchase_24h');
    expect(table.strings('user_id')[0]).toBe('100000');

    const train = await run('forest', 'train', '--input', 'features.csv', '--target', 'purchase_24h', '--exclude', 'user_id', '--trees', '10', '--max-depth', '6', '--seed', '3', '--out', 'model.json');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain('trained 10/10 trees');
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(model.feature_names).not.toContain('user_id');
    expect(model.trees).toHaveLength(10);

    const evaluate = await run('forest', 'evaluate', '--model', 'model.json', '--input', 'features.csv', '--target', 'purchase_24h', '--recall', '1', '--charts', 'charts');
    expect(evaluate.code, evaluate.stderr).toBe(0);
    const auc = Number(/\| ROC AUC \| ([\d.]+) \|/.exec(evaluate.stdout)?.[1]);
    expect(auc).toBeGreaterThan(0.85);
    expect(evaluate.stdout).toMatch(/threshold for recall ≥ 1 \| [\d.e-]+ \(recall 1\.0000/);
    expect(readFileSync(join(dir, 'charts', 'roc.svg'), 'utf8')).toContain('</svg>');

    const predict = await run('forest', 'predict', '--model', 'model.json', '--input', 'features.csv', '--id', 'user_id', '--out', 'pred.csv');
    expect(predict.code, predict.stderr).toBe(0);
    const pred = readCsv(readFileSync(join(dir, 'pred.csv'), 'utf8'));
    expect(pred.columnNames).toEqual(['user_id', 'proba_0', 'proba_1', 'prediction']);
    expect(pred.numRows).toBe(10_000);

    const again = await run('purchase-features', '--input', users, '--out', 'again.csv', '--spec', 'spec.json');
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'features.csv'), 'utf8'));
  });

  it('usage mistakes exit 2, bad files exit 1 with one line', async () => {
    expect((await run('forest')).code).toBe(2);
    expect((await run('forest', 'grow')).code).toBe(2);
    expect((await run('forest', 'train', '--input', 'x.csv')).code).toBe(2);
    expect((await run('purchase-features', '--input', users)).code).toBe(2);
    const missing = await run('forest', 'predict', '--model', 'nope.json', '--input', 'features.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
