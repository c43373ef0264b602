// `retail-ml predict` on pickles, joblib files, legacy binaries and MLflow folders, per the
// issue's CLI contract; expectations from Python (models/pickle/generate.py).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { expectBitExact, expectWithinUlps } from '../support/float32.js';
import { hasShared, repoRoot, sharedData } from '../support/paths.js';

const fixtures = join(repoRoot, 'models/pickle/fixtures');
const hostile = join(repoRoot, 'models/pickle/hostile');
const scratch = mkdtempSync(join(tmpdir(), 'retail-ml-pickle-cli-'));
const names = ['age', 'last_login_days', 'orders', 'basket', 'discount'];

function csv(file: string, header: string[], rows: (number | null | string)[][]): string {
  const path = join(scratch, file);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') + '\n');
  return path;
}
function parse(stdout: string) {
  const [header, ...lines] = stdout.trim().split('\n');
  return { header: header.split(','), cells: lines.map((l) => l.split(',')) };
}

const binary = JSON.parse(readFileSync(join(fixtures, 'xgb_classifier_binary.expected.json'), 'utf8'));
const positional = csv('rows.csv', names, binary.rows);

describe('retail-ml predict with pickles and friends', () => {
  it('a scikit-learn Pipeline pickle (ColumnTransformer by column name → forest) scores as scikit-learn, columns matched by name', async () => {
    // models/sklearn/export_state.py: scikit-learn 1.2.1's outputs for the held-out rows.
    const f = JSON.parse(readFileSync(join(repoRoot, 'models/sklearn/fixtures/pipeline_forest.json'), 'utf8'));
    const columns = [...(f.input.columns as string[])].reverse(); // by name, so any order works
    const rows = (f.input.rows as (string | number | null)[][]).map((r) => columns.map((c) => r[(f.input.columns as string[]).indexOf(c)]));
    const input = csv('pipeline.csv', columns, rows);
    const model = join(repoRoot, 'models/sklearn/pickles/pipeline_forest.pkl');
    const proba = await cli(['predict', '--model', model, '--input', input]);
    expect(proba.stderr).toBe('');
    const out = parse(proba.stdout);
    expect(out.header).toEqual((f.expected.classes as string[]).map((c) => `proba_${c}`));
    const expected = (f.expected.predict_proba as number[][]).flat();
    out.cells.flat().map(Number).forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i]))));
    const labels = await cli(['predict', '--model', model, '--input', input, '--method', 'predict']);
    expect(parse(labels.stdout).cells.map((c) => c[0])).toEqual(f.expected.predict);
  });

  it('a k-means segmentation Pipeline pickle prints cluster labels by default', async () => {
    const f = JSON.parse(readFileSync(join(repoRoot, 'models/sklearn/fixtures/pipeline_segmentation.json'), 'utf8'));
    const header = (f.input.columns as string[] | null) ?? (f.input.rows[0] as unknown[]).map((_, j) => `x${j}`);
    const input = csv('segments.csv', header, f.input.rows);
    const { code, stdout } = await cli(['predict', '--model', join(repoRoot, 'models/sklearn/pickles/pipeline_segmentation.pkl'), '--input', input]);
    expect(code).toBe(0);
    const out = parse(stdout);
    expect(out.header).toEqual(['predict']);
    expect(out.cells.map((c) => Number(c[0]))).toEqual(f.expected.predict);
  });

  it('a classifier pickle prints predict_proba by default, one column per class', async () => {
    const { code, stdout, stderr } = await cli(['predict', '--model', join(fixtures, 'xgb_classifier_binary.p2.pkl'), '--input', positional]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = parse(stdout);
    expect(out.header).toEqual(['proba_0', 'proba_1']);
    expect(out.cells.length).toBe(binary.rows.length);
    expectWithinUlps(out.cells.flat().map(Number), binary.proba, 2, 'proba');
  });

  it('--method predict prints labels; --output margin prints bit-exact margins', async () => {
    const labels = parse((await cli(['predict', '--model', join(fixtures, 'xgb_classifier_binary.z3.joblib'), '--input', positional, '--method', 'predict'])).stdout);
    expect(labels.header).toEqual(['predict']);
    expect(labels.cells.flat().map(Number)).toEqual(binary.predict);
    const margins = parse((await cli(['predict', '--model', join(fixtures, 'xgb_classifier_binary.p5.pkl'), '--input', positional, '--output', 'margin'])).stdout);
    expect(margins.header).toEqual(['margin']);
    expectBitExact(Float32Array.from(margins.cells.flat().map(Number)), binary.margin, 'margin');
  });

  it('a regressor joblib file prints predict by default', async () => {
    const reg = JSON.parse(readFileSync(join(fixtures, 'xgb_regressor.expected.json'), 'utf8'));
    const out = parse((await cli(['predict', '--model', join(fixtures, 'xgb_regressor.joblib'), '--input', csv('reg.csv', names, reg.rows)])).stdout);
    expect(out.header).toEqual(['predict']);
    expectWithinUlps(out.cells.flat().map(Number), reg.predict, 2, 'predict');
  });

  it('an MLflow folder matches input columns by the signature names, in any order', async () => {
    const order = [4, 2, 0, 1, 3];
    const shuffled = csv('shuffled.csv', ['extra', ...order.map((i) => names[i])], binary.rows.map((r: (number | null)[]) => ['x', ...order.map((i) => r[i])]));
    const out = parse((await cli(['predict', '--model', join(fixtures, 'mlflow-xgboost'), '--input', shuffled])).stdout);
    expectWithinUlps(out.cells.flat().map(Number), binary.proba, 2, 'mlflow proba');
  });

  it('a legacy .model file with --method predict scores as a Booster', async () => {
    const legacy = join(repoRoot, 'models/xgboost/fixtures-legacy');
    const want = JSON.parse(readFileSync(join(legacy, 'reg_squarederror.expected.json'), 'utf8'));
    const input = csv('legacy.csv', ['a', 'b', 'c', 'd', 'e'], want.rows);
    const out = parse((await cli(['predict', '--model', join(legacy, 'reg_squarederror.model'), '--input', input])).stdout);
    expect(out.header).toEqual(['value']);
    expectWithinUlps(out.cells.flat().map(Number), want.value, 2, 'legacy value');
    const viaMethod = parse((await cli(['predict', '--model', join(legacy, 'reg_squarederror.bin'), '--input', input, '--method', 'predict'])).stdout);
    expectWithinUlps(viaMethod.cells.flat().map(Number), want.value, 2, 'legacy predict');
  });

  it.each([
    ['os_system.p2.pkl', /posix\.system/],
    ['eval.pkl', /builtins\.eval/],
    ['nested_in_dict.pkl', /posix\.system/],
    ['length_2_31.pkl', /truncated/],
  ])('%s: exit 1, one line naming what was refused, no stack trace', async (file, pattern) => {
    const { code, stdout, stderr } = await cli(['predict', '--model', join(hostile, file), '--input', positional]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(pattern);
    expect(stderr).not.toMatch(/\bat .*\(|unexpected error/);
  });

  it('an unsupported class exits 1 naming the class and its scikit-learn version', async () => {
    const { code, stderr } = await cli(['predict', '--model', join(repoRoot, 'models/sklearn/pickles/unsupported_svc.pkl'), '--input', positional]);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/sklearn\.svm\._classes\.SVC \(saved by scikit-learn 1\.2\.1\) is not supported/);
  });

  it('refuses XGBoost-file options for pickles and --output leaf with --method', async () => {
    expect((await cli(['predict', '--model', join(fixtures, 'xgb_booster.p4.pkl'), '--input', positional, '--iteration-range', '0:1'])).code).toBe(2);
    expect((await cli(['predict', '--model', join(fixtures, 'xgb_booster.p4.pkl'), '--input', positional, '--output', 'leaf', '--method', 'predict'])).code).toBe(2);
    expect((await cli(['predict', '--model', join(fixtures, 'xgb_booster.p4.pkl'), '--input', positional, '--method', 'fit'])).code).toBe(2);
  });

  it.skipIf(!hasShared)("the seed's xgb_model_category.pkl: Python's probabilities for the documented customer", async () => {
    const input = csv('seed.csv', ['age', 'last_login_days', 'prefers_discount', 'location_Bangalore', 'location_Delhi', 'location_Hyderabad', 'location_Mumbai'], [[35, 30, 0, 0, 1, 0, 0]]);
    const { code, stdout } = await cli(['predict', '--model', join(sharedData, 'category-recommender/xgb_model_category.pkl'), '--input', input]);
    expect(code).toBe(0);
    const out = parse(stdout);
    expect(out.header).toEqual(['proba_0', 'proba_1', 'proba_2', 'proba_3']);
    [0.06187267, 0.09853294, 0.06188915, 0.77770525].forEach((p, k) => expect(Math.abs(Number(out.cells[0][k]) - p)).toBeLessThanOrEqual(5e-9));
  });
});
