import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { readCsv } from '../../src/features/index.js';

function io(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {} };
  return { cli, stdout: () => out.join(''), stderr: () => err.join('') };
}

const documented = JSON.stringify({ customer_id: 'c1', name: 'Asha', email: 'asha@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' });
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retail-ml recommend', () => {
  it('--json prints the top 3 with probabilities and the notes', async () => {
    const t = io();
    expect(await runCli(['recommend', '--bundle', 'models/category-recommender', '--customer', documented, '--json'], t.cli)).toBe(0);
    const parsed = JSON.parse(t.stdout());
    expect(parsed.top.map((x: { label: string }) => x.label)).toEqual(['Home', 'Clothing', 'Electronics']);
    expect(parsed.top[0].probability.toFixed(4)).toBe('0.7777');
    // The notes the text form prints travel with --json (issue 16): none for the documented form.
    expect(parsed).toMatchObject({ unknownCategories: [], normalizedCategories: [], conflicts: [], missingFeatures: [] });
  });
  it('prints Top Recommendations without --json, using the shipped bundle by default', async () => {
    const t = io();
    expect(await runCli(['recommend', '--customer', documented], t.cli)).toBe(0);
    expect(t.stdout()).toMatch(/Top Recommendations:\n {2}1\. Home +77\.77%/);
  });
  it('bad forms exit 1 with every bad field; usage mistakes exit 2', async () => {
    const t = io();
    expect(await runCli(['recommend', '--customer', '{"age": 300, "location": "Delhi", "last_login_days": -2, "prefers_discount": "No"}'], t.cli)).toBe(1);
    expect(t.stderr()).toMatch(/age: must be between 0 and 120; last_login_days: must be 0 or more/);
    const u = io();
    expect(await runCli(['recommend', '--bundle', 'models/category-recommender'], u.cli)).toBe(2);
    const v = io();
    expect(await runCli(['recommend', '--customer', '{not json'], v.cli)).toBe(1);
  });
  it('runs as a process', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'recommend', '--customer', documented, '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).top[0].label).toBe('Home');
  });
});

describe('retail-ml merge', () => {
  it('joins CSV files like pandas', async () => {
    const out = join(dir, 'merged.csv');
    const t = io();
    expect(await runCli(['merge', 'models/features/merge/customers_left.csv', 'models/features/merge/customers_right.csv', '--on', 'customer_id', '--how', 'left', '--out', out], t.cli)).toBe(0);
    const expected = JSON.parse(readFileSync('models/features/merge/expected.json', 'utf8')).cases.find((c: { name: string }) => c.name === 'customers left');
    const merged = readCsv(readFileSync(out, 'utf8'), { types: { customer_id: 'string' } });
    expect(merged.columnNames).toEqual(expected.columns);
    expect(merged.strings('customer_id')).toEqual(expected.data.customer_id);
    expect(Array.from(merged.numbers('age_y'), (v) => (Number.isNaN(v) ? null : v))).toEqual(expected.data.age_y);
    expect(t.stderr()).toMatch(/overlapping: age → age_x\/age_y/);
  });
  it('needs two files and --on', async () => {
    expect(await runCli(['merge', 'a.csv', '--on', 'id'], io().cli)).toBe(2);
    expect(await runCli(['merge', 'a.csv', 'b.csv'], io().cli)).toBe(2);
  });
});

const shared = '../shared/data/category-recommender';
describe.skipIf(!existsSync(shared))('on the real spreadsheets', () => {
  it('merge of the three 99,441-row files equals pandas', async () => {
    const summary = JSON.parse(readFileSync('models/features/merge/real_summary.json', 'utf8'));
    const out = join(dir, 'real.csv');
    const files = summary.files.map((f: string) => `${shared}/${f}`);
    expect(await runCli(['merge', ...files, '--on', 'customer_id', '--how', 'left', '--out', out], io().cli)).toBe(0);
    const merged = readCsv(readFileSync(out, 'utf8'), { types: { customer_id: 'string' } });
    expect(merged.columnNames).toEqual(summary.columns);
    expect(merged.numRows).toBe(summary.numRows);
    for (const [col, sum] of Object.entries(summary.sums)) expect(merged.numbers(col).reduce((a, b) => a + b, 0)).toBe(sum);
    for (const [i, row] of Object.entries(summary.rows)) {
      expect(Object.fromEntries(merged.row(Number(i)))).toEqual(row);
    }
  });
  it('npm start\'s command prints the recommendation and the join', async () => {
    // start logs the prediction and writes an .eml under <cwd>/.retail-ml: a scratch cwd keeps them out of the checkout
    const t = io(dir);
    expect(await runCli(['start', '--data', resolve('../shared/data/category-recommender')], t.cli)).toBe(0);
    expect(t.stdout()).toMatch(/1\. Home +77\.77%/);
    expect(t.stdout()).toMatch(/99441 rows × 5 columns/);
    expect(t.stdout()).toMatch(/age: used form=35 over table:07_age_features=56/);
  });
});

describe('retail-ml start without the shared data', () => {
  it('says the join is skipped', async () => {
    const t = io(dir);
    expect(await runCli(['start', '--data', dir], t.cli)).toBe(0);
    expect(t.stdout()).toMatch(/Top Recommendations/);
    expect(t.stdout()).toMatch(/skipped/);
  });
});
