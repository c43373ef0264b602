import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadXGBoostFile } from '../../src/node/load-xgboost-file.js';
import { scoreFile } from '../../src/node/score-file.js';
import { runCli } from '../../src/cli/main.js';
import { cli } from '../support/cli.js';
import { benchModelPath, writeBenchCsv } from '../support/bench-csv.js';
import { writeBenchArrow, writeBenchParquet } from '../support/columnar-files.js';

const model = loadXGBoostFile(benchModelPath);
const N = 12_345;
let dir: string;
let csvScores: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-columnar-'));
  await writeBenchCsv(join(dir, 'rows.csv'), N);
  writeBenchArrow(join(dir, 'rows.arrow'), N, 5000);
  writeBenchParquet(join(dir, 'rows.parquet'), N, 4000);
  // The CSV path is checked against XGBoost 1.7.4 in score-file.test.ts; the same rows in
  // another container must give the same bytes.
  await scoreFile(model, join(dir, 'rows.csv'), join(dir, 'from-csv.csv'), { ids: ['customer_id'] });
  csvScores = readFileSync(join(dir, 'from-csv.csv'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Arrow IPC and Parquet input', () => {
  it('scores an Arrow IPC file (several record batches) to the CSV input’s bytes', async () => {
    const out = join(dir, 'from-arrow.csv');
    const summary = await scoreFile(model, join(dir, 'rows.arrow'), out, { ids: ['customer_id'], blockRows: 3000 });
    expect(summary.rows).toBe(N);
    expect(readFileSync(out).equals(csvScores)).toBe(true);
  });

  it('scores a Parquet file (several row groups) to the CSV input’s bytes, through the CLI with 2 threads', async () => {
    const out = join(dir, 'from-parquet.csv');
    const run = await cli(['score', '--model', benchModelPath, '--input', join(dir, 'rows.parquet'), '--output', out, '--id', 'customer_id', '--threads', '2']);
    expect(run.stderr).toMatch(/^retail-ml score: 12345 rows scored, [0-9.]+ s\n$/);
    expect(run.code).toBe(0);
    expect(readFileSync(out).equals(csvScores)).toBe(true);
  });

  it('reads only the rows asked for (rowRange), numbering them in the whole file', async () => {
    const out = join(dir, 'range.csv');
    await scoreFile(model, join(dir, 'rows.parquet'), out, { ids: ['customer_id'], rowRange: [3990, 4010], header: false });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(Array.from({ length: 20 }, (_, i) => `c${3991 + i}`));
    expect(lines.join('\n')).toBe(csvScores.toString().split('\n').slice(3991, 4011).join('\n'));
  });

  it('the CLI draws a progress bar when stderr is a terminal (the Parquet test above shows none otherwise)', async () => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => (stderr += t), cwd: dir, env: {}, stderrIsTTY: true };
    expect(await runCli(['score', '--model', benchModelPath, '--input', 'rows.csv', '--output', 'tty.csv'], io)).toBe(0);
    expect(stderr).toMatch(/^\r12,345 rows, \d+ MiB read\u001b\[K\n/);
    expect(readFileSync(join(dir, 'tty.csv'), 'utf8')).toBe(csvScores.toString().replace(/^customer_id,/, '').replace(/\nc\d+,/g, '\n'));
  });

  it('the CLI: --help, a usage mistake, and a bad row named with its number', async () => {
    expect((await cli(['score', '--help'])).stdout).toMatch(/^usage: retail-ml score --model/);
    const usage = await cli(['score', '--model', benchModelPath, '--input', join(dir, 'rows.csv'), '--output', join(dir, 'x.csv'), '--output-kind', 'leaf']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.split('\n')[0]).toBe("retail-ml score: --output-kind must be value or margin, got 'leaf'");
    const bad = join(dir, 'bad.csv');
    await writeBenchCsv(bad, 100, (row, cells) => row === 42 && (cells[29] = 'n/a?'));
    const run = await cli(['score', '--model', benchModelPath, '--input', bad, '--output', join(dir, 'bad-out.csv')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("retail-ml score: row 42, column 'f29': 'n/a?' is not a number\n");
  });
});
