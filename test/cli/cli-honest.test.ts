import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { hasShared, repoRoot, sharedData } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'retail-ml-cli-honest-'));

async function run(argv: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    env: {},
    ...(stdin === undefined ? {} : { stdin: Readable.from([Buffer.from(stdin)]) }),
  });
  return { code, stdout, stderr };
}

describe('forest --test-size', () => {
  // 60 rows of class 0 and 40 of class 1, separable on x with some noise in y.
  const rows = Array.from({ length: 100 }, (_, i) => [i, (i * 37) % 11, i < 60 ? 0 : 1]);
  writeFileSync(join(dir, 'f.csv'), 'x,y,target\n' + rows.map((r) => r.join(',')).join('\n') + '\n');

  it('train holds out a stratified share and evaluate scores exactly those rows', async () => {
    const train = await run(['forest', 'train', '--input', 'f.csv', '--target', 'target', '--trees', '5', '--test-size', '0.25', '--seed', '4', '--out', 'm.json']);
    expect(train.code, train.stderr).toBe(0);
    // round(60 · 0.25) + round(40 · 0.25) = 15 + 10 held out
    expect(train.stderr).toContain('held out 25 of 100 rows (stratified, seed 4)');
    expect(train.stdout).toMatch(/5 trees on 75 rows × 2 features/);
    expect(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')).retail_ml_training).toMatchObject({ rows: 75, test_size: 0.25, seed: 4 });

    const heldOut = await run(['forest', 'evaluate', '--model', 'm.json', '--input', 'f.csv', '--target', 'target', '--test-size', '0.25']);
    expect(heldOut.code, heldOut.stderr).toBe(0);
    expect(heldOut.stderr).toBe('');
    expect(heldOut.stdout).toContain('| rows | 25 (held out: --test-size 0.25, seed 4) |');

    const onTraining = await run(['forest', 'evaluate', '--model', 'm.json', '--input', 'f.csv', '--target', 'target']);
    expect(onTraining.code).toBe(0);
    expect(onTraining.stderr).toMatch(/^warning: 75 of 100 evaluated rows were used to train this model, so these metrics are optimistic;/);
  });
  it('a model trained on everything warns on its own rows', async () => {
    expect((await run(['forest', 'train', '--input', 'f.csv', '--target', 'target', '--trees', '3', '--out', 'all.json'])).code).toBe(0);
    const r = await run(['forest', 'evaluate', '--model', 'all.json', '--input', '-', '--target', 'target'], readFileSync(join(dir, 'f.csv'), 'utf8'));
    expect(r.stderr).toMatch(/^warning: 100 of 100 evaluated rows were used to train this model/);
  });
  it.each(['0', '1', 'x'])('--test-size %s is a usage error', async (v) => {
    expect((await run(['forest', 'train', '--input', 'f.csv', '--target', 'target', '--out', 'z.json', '--test-size', v])).code).toBe(2);
  });
});

describe('rfm --snapshot', () => {
  const log = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,UK\n536366,22633,HAND,6,2010-12-03 08:28:00,1.85,17851,UK\n';
  it.each(['10/12/2010', '2010-13-01', '2010-02-30', 'yesterday'])('%s is exit 2 asking for an ISO date', async (snapshot) => {
    const r = await run(['rfm', '--input', '-', '--snapshot', snapshot], log);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`retail-ml rfm: --snapshot must be an ISO date like 2011-12-10 (YYYY-MM-DD), got '${snapshot}'`);
  });
  it('a snapshot before the data is exit 1 saying the data range, not an empty table', async () => {
    const r = await run(['rfm', '--input', '-', '--snapshot', '2009-01-01'], log);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'retail-ml rfm: no purchase on or before the snapshot 2009-01-01: the data runs from 2010-12-01 to 2010-12-03\n' });
  });
  it('an ISO snapshot still works', async () => {
    const r = await run(['rfm', '--input', '-', '--snapshot', '2010-12-10T00:00:00Z'], log);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });
});

describe('recommend --json and --match-categories', () => {
  const bundle = join(repoRoot, 'models/category-recommender');
  const form = (location: string) => JSON.stringify({ customer_id: 'x', location, age: 35, last_login_days: 30, prefers_discount: 'No' });
  it('--json carries the notes the text form prints', async () => {
    const r = await run(['recommend', '--bundle', bundle, '--customer', form('delhi'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['top', 'unknownCategories', 'normalizedCategories', 'conflicts', 'missingFeatures']);
    expect(out.unknownCategories).toEqual([{ feature: 'location', value: 'delhi' }]);
  });
  it('normalized matching scores " DELHI " exactly as "Delhi" and says so', async () => {
    const exact = JSON.parse((await run(['recommend', '--bundle', bundle, '--customer', form('Delhi'), '--json'])).stdout);
    const loose = JSON.parse((await run(['recommend', '--bundle', bundle, '--customer', form('dELHI'), '--json', '--match-categories', 'normalized'])).stdout);
    expect(loose.top).toEqual(exact.top);
    expect(loose.unknownCategories).toEqual([]);
    expect(loose.normalizedCategories).toEqual([{ feature: 'location', value: 'dELHI', category: 'Delhi' }]);
    const text = await run(['recommend', '--bundle', bundle, '--customer', form('dELHI'), '--match-categories', 'normalized']);
    expect(text.stdout).toContain('note: location "dELHI" matched the known "Delhi"');
    expect((await run(['recommend', '--customer', form('Delhi'), '--match-categories', 'loose'])).code).toBe(2);
  });
});

describe.skipIf(!hasShared)('clv time unit', () => {
  const summary = readFileSync(join(sharedData, 'cdnow/cdnow_customers_summary_with_transactions.csv'), 'utf8');
  const withUnit = (unit: string) => summary.trimEnd().split(/\r?\n/).map((l, i) => `${l},${i === 0 ? 'unit' : unit}`).join('\n') + '\n';
  it('per-customer CLV without a unit is a usage error, not days assumed', async () => {
    const r = await run(['clv', '--summary', '-', '--per-customer'], summary);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      "retail-ml clv: the default --horizon (one month) needs the summary's time unit: give --unit days|weeks|months or --periods-per-month N, or add a unit column",
    );
  });
  it('a unit column or --unit weeks gives what --periods-per-month 4.345 gives', async () => {
    const explicit = await run(['clv', '--summary', '-', '--per-customer', '--periods-per-month', '4.345'], summary);
    expect(explicit.code, explicit.stderr).toBe(0);
    expect((await run(['clv', '--summary', '-', '--per-customer', '--unit', 'weeks'], summary)).stdout).toBe(explicit.stdout);
    const fromColumn = await run(['clv', '--summary', '-', '--per-customer'], withUnit('weeks'));
    expect(fromColumn.stdout).toBe(explicit.stdout);
    const clash = await run(['clv', '--summary', '-', '--per-customer', '--unit', 'days'], withUnit('W'));
    expect(clash).toMatchObject({ code: 1, stderr: "retail-ml clv: --unit days, but the summary's unit column says weeks\n" });
  });
});
