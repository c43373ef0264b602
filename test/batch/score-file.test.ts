import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadXGBoostFile } from '../../src/node/load-xgboost-file.js';
import { planCsvChunks } from '../../src/node/csv-chunks.js';
import { scoreFile } from '../../src/node/score-file.js';
import { scoreStream } from '../../src/node/score-stream.js';
import { Writable } from 'node:stream';
import { benchExpected, benchModelPath, benchRows, writeBenchCsv } from '../support/bench-csv.js';

const model = loadXGBoostFile(benchModelPath);
let dir: string;
let input: string;
const N = 25_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-score-'));
  input = join(dir, 'rows.csv');
  await writeBenchCsv(input, N);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The score column of a `customer_id,value` CSV, as float32. */
function scoresOf(text: string): { ids: string[]; values: Float32Array } {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('customer_id,value');
  const ids: string[] = [];
  const values = new Float32Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const [id, v] = lines[i].split(',');
    ids.push(id);
    values[i - 1] = Math.fround(Number(v));
  }
  return { ids, values };
}

/** Every row whose committed input has an XGBoost 1.7.4 answer (row % 10,000 < 1,000) matches it bit for bit. */
function expectMatchesXGBoost(values: Float32Array): void {
  let checked = 0;
  const bad: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const k = i % 10000;
    if (k >= benchExpected.length) continue;
    checked++;
    if (values[i] !== benchExpected[k]) bad.push(`row ${i + 1}: ${values[i]} vs ${benchExpected[k]}`);
  }
  expect(checked).toBeGreaterThanOrEqual(1000);
  expect(bad.slice(0, 5)).toEqual([]);
}

describe('scoreFile', () => {
  it('scores CSV → CSV on the calling thread, in order, as XGBoost 1.7.4 does', async () => {
    const out = join(dir, 'one.csv');
    const progress: number[] = [];
    const summary = await scoreFile(model, input, out, { ids: ['customer_id'], blockRows: 4096, onProgress: (p) => progress.push(p.rows) });
    expect(summary.rows).toBe(N);
    const { ids, values } = scoresOf(readFileSync(out, 'utf8'));
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => `c${i + 1}`));
    expectMatchesXGBoost(values);
    expect(progress.at(-1)).toBe(N);
    expect(progress.length).toBe(Math.ceil(N / 4096));
  });

  it('writes the same bytes with 2 worker threads as on the calling thread', async () => {
    await scoreFile(model, input, join(dir, 'a.csv'), { ids: ['customer_id'] });
    await scoreFile(model, input, join(dir, 'b.csv'), { ids: ['customer_id'], threads: 2, blockRows: 5000 });
    expect(readFileSync(join(dir, 'b.csv')).equals(readFileSync(join(dir, 'a.csv')))).toBe(true);
  });

  it('names the row and column of a bad cell, and leaves no output behind', async () => {
    const bad = join(dir, 'bad.csv');
    await writeBenchCsv(bad, 3000, (row, cells) => {
      if (row === 2345) cells[7] = 'oops';
    });
    const error = await scoreFile(model, bad, join(dir, 'bad-out.csv'), { ids: ['customer_id'] }).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe("row 2345, column 'f7': 'oops' is not a number");
    expect(() => readFileSync(join(dir, 'bad-out.csv'))).toThrow(/ENOENT/);
  });

  it('with skipBadRows, writes the rejected rows with their reason to a side file and scores the rest', async () => {
    const bad = join(dir, 'bad2.csv');
    await writeBenchCsv(bad, 3000, (row, cells) => {
      if (row === 10 || row === 2999) cells[0] = 'x"y';
    });
    const rejects = join(dir, 'rejects.csv');
    const summary = await scoreFile(model, bad, join(dir, 'bad2-out.csv'), { ids: ['customer_id'], skipBadRows: rejects });
    expect(summary).toMatchObject({ rows: 2998, rejected: 2 });
    const lines = readFileSync(rejects, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(3);
    expect(lines[0].startsWith('row,reason,f0,f1,')).toBe(true);
    expect(lines[1].startsWith(`10,"column 'f0': 'x""y' is not a number","x""y",`)).toBe(true);
    expect(lines[2].startsWith('2999,')).toBe(true);
    const { ids } = scoresOf(readFileSync(join(dir, 'bad2-out.csv'), 'utf8'));
    expect(ids.length).toBe(2998);
    expect(ids.includes('c10')).toBe(false);
  });

  it('keeps rows, scores and rejections aligned where parsed batches (1,024 rows) and blocks (1,500) are cut, on 1 and 2 threads', async () => {
    const bad = join(dir, 'bad3.csv');
    const badRows = [1, 1024, 1025, 1500, 1501, 2048, 3000, 3001];
    await writeBenchCsv(bad, 3001, (row, cells) => {
      if (badRows.includes(row)) cells[5] = 'nope';
    });
    // Each kept row's score is model.predict's for the committed row it holds (row i: committed row (i - 1) % 10,000).
    const expected = model.predict(benchRows.subarray(0, 3001 * 30));
    for (const threads of [1, 2]) {
      const rejects = join(dir, `rejects3-${threads}.csv`);
      const out = join(dir, `bad3-out-${threads}.csv`);
      const summary = await scoreFile(model, bad, out, { ids: ['customer_id'], skipBadRows: rejects, blockRows: 1500, threads });
      expect(summary).toMatchObject({ rows: 3001 - badRows.length, rejected: badRows.length });
      const rejected = readFileSync(rejects, 'utf8').trimEnd().split('\n').slice(1);
      expect(rejected.map((line) => Number(line.split(',')[0]))).toEqual(badRows);
      const { ids, values } = scoresOf(readFileSync(out, 'utf8'));
      const kept = Array.from({ length: 3001 }, (_, i) => i + 1).filter((row) => !badRows.includes(row));
      expect(ids).toEqual(kept.map((row) => `c${row}`));
      const wrong = kept.filter((row, i) => values[i] !== expected[row - 1]);
      expect(wrong).toEqual([]);
    }
  });

  it('stops on an AbortSignal with an ABORTED error', async () => {
    const controller = new AbortController();
    const error = await scoreFile(model, input, join(dir, 'aborted.csv'), {
      blockRows: 1000,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.rows >= 3000) controller.abort();
      },
    }).catch((e) => e);
    expect(error.code).toBe('ABORTED');
  });

  it('finishes into a slow output that asks the writer to wait (backpressure)', async () => {
    let written = 0;
    let read = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk, _enc, done) {
        written += String(chunk).split('\n').length - 1;
        setTimeout(done, 1);
      },
    });
    const { createReadStream } = await import('node:fs');
    await scoreStream(model, createReadStream(input), slow, {
      blockRows: 1000,
      onProgress: (p) => {
        read = p.rows;
      },
    });
    expect(read).toBe(N);
    expect(written).toBe(N + 1);
  });

  it('writes JSONL with the id columns', async () => {
    const out = join(dir, 'out.jsonl');
    await scoreFile(model, input, out, { ids: ['customer_id'], blockRows: 7000 });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(N);
    const first = JSON.parse(lines[0]);
    expect(first.customer_id).toBe('c1');
    expect(Math.fround(first.value)).toBe(benchExpected[0]);
  });

  it('cuts a CSV into row-aligned byte ranges whose scores concatenate to the whole file’s', async () => {
    const quoted = join(dir, 'quoted.csv');
    writeFileSync(quoted, 'a,b\n1,"x\ny"\n\n2,"q\"\"\"\n3,z\r\n4,w');
    const plan = await planCsvChunks(quoted, 2);
    expect(plan.columnNames).toEqual(['a', 'b']);
    expect(plan.rows).toBe(4);
    expect(plan.chunks.map((c) => [c.firstRow, c.rows])).toEqual([[1, 2], [3, 2]]);
    const text = readFileSync(quoted);
    expect(text.subarray(plan.chunks[1].start, plan.chunks[1].end).toString()).toBe('3,z\r\n4,w');

    const whole = await planCsvChunks(input, 7000);
    expect(whole.chunks.length).toBe(4);
    let joined = '';
    for (const c of whole.chunks) {
      const part = join(dir, `part-${c.index}.csv`);
      await scoreFile(model, input, part, { ids: ['customer_id'], byteRange: [c.start, c.end], columnNames: whole.columnNames, firstRow: c.firstRow, header: c.index === 0 });
      joined += readFileSync(part, 'utf8');
    }
    await scoreFile(model, input, join(dir, 'whole.csv'), { ids: ['customer_id'] });
    expect(joined).toBe(readFileSync(join(dir, 'whole.csv'), 'utf8'));
  });
});
