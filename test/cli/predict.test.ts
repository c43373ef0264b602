import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { expectBitExact, expectWithinUlps } from '../support/float32.js';
import { generatedFixtures, hasShared, xgbModels } from '../support/paths.js';
import { readPlainCsv } from '../support/simple-csv.js';

const scratch = mkdtempSync(join(tmpdir(), 'retail-ml-predict-'));

/** Writes fixture rows as a CSV with a header, empty cells for missing. */
function writeRowsCsv(name: string, header: string[], rows: (number | null)[][]): string {
  const path = join(scratch, name);
  writeFileSync(path, [header.join(','), ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') + '\n');
  return path;
}
const parseOutput = (stdout: string) => {
  const [header, ...lines] = stdout.trim().split('\n');
  return { header: header.split(','), values: lines.flatMap((l) => l.split(',').map(Number)) };
};

describe('retail-ml predict', () => {
  const expected = JSON.parse(readFileSync(join(generatedFixtures, 'obj_multi_softprob.expected.json'), 'utf8'));
  const header = expected.feature_names ?? expected.rows[0].map((_: unknown, i: number) => `f${i}`);
  const input = writeRowsCsv('softprob.csv', header, expected.rows);

  it('prints margins that read back bit-exact as float32, one line per row with a header', async () => {
    const { code, stdout, stderr } = await cli(['predict', '--model', join(generatedFixtures, 'obj_multi_softprob.ubj'), '--input', input, '--output', 'margin']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = parseOutput(stdout);
    expect(out.header).toEqual(Array.from({ length: Number(expected.num_class) }, (_, k) => `margin_${k}`));
    expectBitExact(Float32Array.from(out.values), expected.margin.flat(), 'margin');
  });
  it('prints values by default and leaves for an iteration range', async () => {
    const values = parseOutput((await cli(['predict', '--model', join(generatedFixtures, 'obj_multi_softprob.json'), '--input', input])).stdout);
    expectWithinUlps(Float32Array.from(values.values), expected.value.flat(), 2, 'value');
    const range = expected.iteration_ranges[0];
    const margins = parseOutput((await cli(['predict', '--model', join(generatedFixtures, 'obj_multi_softprob.json'), '--input', input, '--output', 'margin', '--iteration-range', `${range.range[0]}:${range.range[1]}`])).stdout);
    expectBitExact(Float32Array.from(margins.values), range.margin.flat(), 'range margin');
    const leaves = parseOutput((await cli(['predict', '--model', join(generatedFixtures, 'obj_multi_softprob.json'), '--input', input, '--output', 'leaf'])).stdout);
    expect(leaves.values).toEqual(expected.leaf.flat());
  });
  it('takes columns by position when the model has no feature names', async () => {
    const wide = JSON.parse(readFileSync(join(generatedFixtures, 'no_names.expected.json'), 'utf8'));
    const path = writeRowsCsv('no-names.csv', wide.rows[0].map((_: unknown, i: number) => `col${i}`), wide.rows);
    const out = parseOutput((await cli(['predict', '--model', join(generatedFixtures, 'no_names.json'), '--input', path, '--output', 'margin'])).stdout);
    expectBitExact(Float32Array.from(out.values), wide.margin.flat(), 'margin');
  });

  it.skipIf(!hasShared)('maps category names through --categories for an XGBoost 2.0.3 model', async () => {
    const dir = join(xgbModels, 'xgb-2.0.3');
    const data = readPlainCsv(join(dir, 'input_AuditNA.csv'));
    // 2.x used pandas category codes: the sorted values of each categorical column.
    const categories: Record<string, string[]> = {};
    for (const name of ['Employment', 'Education', 'Marital', 'Occupation', 'Gender']) {
      const c = data.header.indexOf(name);
      categories[name] = [...new Set(data.rows.map((r) => r[c]).filter((v) => v !== 'NA'))].sort();
    }
    const categoriesPath = join(scratch, 'audit-categories.json');
    writeFileSync(categoriesPath, JSON.stringify(categories));
    const { code, stdout } = await cli(['predict', '--model', join(dir, 'BinomialClassificationAuditNA.json'), '--input', join(dir, 'input_AuditNA.csv'), '--categories', categoriesPath]);
    expect(code).toBe(0);
    const expectedCsv = readPlainCsv(join(dir, 'BinomialClassificationAuditNA.expected.csv'));
    expectWithinUlps(Float32Array.from(parseOutput(stdout).values), expectedCsv.rows.map((r) => Number(r[2])), 2, 'p(1)');
  });

  it.each([
    [['predict', '--input', 'x.csv'], 2, /--model is required/],
    [['predict', '--model', 'm.json', '--input', 'x.csv', '--output', 'proba'], 2, /--output must be value, margin or leaf/],
    [['predict', '--model', 'm.json', '--input', 'x.csv', '--iteration-range', '3'], 2, /--iteration-range must look like/],
    [['predict', '--modle', 'm.json'], 2, /unknown option --modle/],
    [['predict', '--model', '/nonexistent/model.json', '--input', 'x.csv'], 1, /^retail-ml predict: \/nonexistent\/model\.json: no such file or directory$/],
  ])('%j exits %i with a one-line message', async (argv, exitCode, message) => {
    const { code, stderr } = await cli(argv as string[]);
    expect(code).toBe(exitCode);
    expect(stderr.split('\n')[0]).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
  it('a malformed model file is exit 1 with the place it is wrong', async () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, '{"learner": {"learner_model_param": {"num_feature": "2", "base_score": "0.5"}}}');
    const { code, stderr } = await cli(['predict', '--model', bad, '--input', input]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^retail-ml predict: learner\.objective: missing\n$/);
  });
  it('a row with a non-number is exit 1 naming the row and column', async () => {
    const path = join(scratch, 'bad-row.csv');
    writeFileSync(path, `${header.join(',')}\n${header.map(() => 'abc').join(',')}\n`);
    const { code, stderr } = await cli(['predict', '--model', join(generatedFixtures, 'obj_multi_softprob.json'), '--input', path]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/row 1, column '.+': 'abc' is not a number/);
  });
  it('a missing feature column is exit 1 listing it', async () => {
    const path = join(scratch, 'short.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    const { code, stderr } = await cli(['predict', '--model', join(generatedFixtures, 'obj_multi_softprob.json'), '--input', path]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/lacks the model's feature column/);
  });
});
