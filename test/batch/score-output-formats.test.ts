// Arrow IPC and Parquet output of the batch scorer, read back with the library's own readers
// (readScoreInput: apache-arrow and hyparquet) and compared with the CSV output, whose values
// score-file.test.ts checks against XGBoost 1.7.4.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float32Text } from '../../src/features/float32-text.js';
import { loadXGBoostFile } from '../../src/node/load-xgboost-file.js';
import { scoreFile, scoreOutputFormat } from '../../src/node/score-file.js';
import { scoreStream } from '../../src/node/score-stream.js';
import { cli } from '../support/cli.js';
import { benchModelPath, writeBenchCsv } from '../support/bench-csv.js';
import { writeBenchArrow } from '../support/columnar-files.js';
import { readScoreOutput } from '../support/read-score-output.js';

const model = loadXGBoostFile(benchModelPath);
const N = 12_345;
let dir: string;
let csvLines: string[][];


beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-outformats-'));
  await writeBenchCsv(join(dir, 'rows.csv'), N);
  await scoreFile(model, join(dir, 'rows.csv'), join(dir, 'scores.csv'), { ids: ['customer_id'] });
  csvLines = readFileSync(join(dir, 'scores.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Arrow IPC and Parquet output', () => {
  it('picks the format from the extension', () => {
    expect(['a.arrow', 'a.feather', 'a.ipc', 'a.arrows', 'a.parquet', 'a.PQ', 'a.jsonl', 'a.csv', 'a.txt'].map(scoreOutputFormat)).toEqual([
      'arrow', 'arrow', 'arrow', 'arrows', 'parquet', 'parquet', 'jsonl', 'csv', 'csv',
    ]);
  });

  for (const ext of ['arrow', 'arrows', 'parquet']) {
    it(`writes .${ext}: one record batch / row group per block, ids passed through, input order, the CSV output's float32 values`, async () => {
      const out = join(dir, `scores.${ext}`);
      const summary = await scoreFile(model, join(dir, 'rows.csv'), out, { ids: ['customer_id'], blockRows: 3000 });
      expect(summary.rows).toBe(N);
      const { names, rows } = await readScoreOutput(out);
      expect(names).toEqual(csvLines[0]);
      expect(rows.length).toBe(N);
      // Same ids in the same order, and each score reads back as the float32 the CSV wrote.
      rows.forEach((row, r) => {
        expect(row[0]).toBe(csvLines[r + 1][0]);
        expect(float32Text(row[1] as number)).toBe(csvLines[r + 1][1]);
      });
      // Written block by block: ceil(12,345 / 3,000) = 5 batches or row groups, each typed float32.
      if (ext === 'parquet') {
        const meta = await parquetMetadataAsync(await asyncBufferFromFile(out));
        expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([3000, 3000, 3000, 3000, 345]);
        expect(parquetSchema(meta).children.map((c) => [c.element.name, c.element.type])).toEqual([['customer_id', 'BYTE_ARRAY'], ['value', 'FLOAT']]);
      } else {
        const table = tableFromIPC(readFileSync(out));
        expect(table.batches.map((b) => b.numRows)).toEqual([3000, 3000, 3000, 3000, 345]);
        expect(table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(['customer_id: Utf8', 'value: Float32']);
      }
    });
  }

  it('streams: the first row groups / record batches reach the output before the input is read to its end', async () => {
    const csv = readFileSync(join(dir, 'rows.csv'));
    for (const format of ['arrow', 'parquet'] as const) {
      let written = 0;
      let writtenWhenInputEnded = -1;
      const output = new Writable({
        write(chunk: Buffer, _enc, done) {
          written += chunk.length;
          done();
        },
      });
      async function* input() {
        for (let at = 0; at < csv.length; at += 64 * 1024) yield csv.subarray(at, at + 64 * 1024);
        writtenWhenInputEnded = written;
      }
      await scoreStream(model, input(), output, { format, ids: ['customer_id'], blockRows: 1000 });
      // With blocks of 1,000 rows and 2 in flight, all but the last few blocks are out by then.
      expect(writtenWhenInputEnded).toBeGreaterThan(written * 0.5);
      expect(written).toBeGreaterThan(writtenWhenInputEnded);
    }
  });

  it('an input with no rows gives a valid file with the schema and no rows', async () => {
    writeFileSync(join(dir, 'empty.csv'), readFileSync(join(dir, 'rows.csv'), 'utf8').split('\n')[0] + '\n');
    for (const ext of ['arrow', 'parquet']) {
      const out = join(dir, `empty.${ext}`);
      expect((await scoreFile(model, join(dir, 'empty.csv'), out, { ids: ['customer_id'] })).rows).toBe(0);
      if (ext === 'arrow') {
        const table = tableFromIPC(readFileSync(out));
        expect([table.numRows, table.schema.fields.map((f) => f.name)]).toEqual([0, ['customer_id', 'value']]);
      } else {
        const meta = await parquetMetadataAsync(await asyncBufferFromFile(out));
        expect([Number(meta.num_rows), parquetSchema(meta).children.map((c) => c.element.name)]).toEqual([0, ['customer_id', 'value']]);
      }
    }
  });

  it('Arrow input → Parquet: a numeric id column stays numeric (float64), text stays text; margins too', async () => {
    writeBenchArrow(join(dir, 'rows.arrow'), N, 5000);
    const out = join(dir, 'ids.parquet');
    await scoreFile(model, join(dir, 'rows.arrow'), out, { ids: ['customer_id', 'f0'], output: 'margin' });
    await scoreFile(model, join(dir, 'rows.csv'), join(dir, 'margins.csv'), { output: 'margin' });
    const margins = readFileSync(join(dir, 'margins.csv'), 'utf8').trimEnd().split('\n');
    const meta = await parquetMetadataAsync(await asyncBufferFromFile(out));
    expect(parquetSchema(meta).children.map((c) => [c.element.name, c.element.type])).toEqual([['customer_id', 'BYTE_ARRAY'], ['f0', 'DOUBLE'], ['margin', 'FLOAT']]);
    const input = await readScoreOutput(join(dir, 'rows.arrow'));
    const f0 = input.names.indexOf('f0');
    const { names, rows } = await readScoreOutput(out);
    expect(names).toEqual(['customer_id', 'f0', 'margin']);
    expect(margins[0]).toBe('margin');
    rows.forEach((row, r) => {
      expect(row[0]).toBe(`c${r + 1}`);
      expect(row[1]).toBe(input.rows[r][f0]);
      expect(float32Text(row[2] as number)).toBe(margins[r + 1]);
    });
  });

  it('the CLI writes Parquet and Arrow; distributed runs refuse them with a clear message', async () => {
    const out = join(dir, 'cli.parquet');
    const run = await cli(['score', '--model', benchModelPath, '--input', join(dir, 'rows.csv'), '--output', out, '--id', 'customer_id', '--threads', '2']);
    expect(run.code).toBe(0);
    const { rows } = await readScoreOutput(out);
    expect(rows.map((r) => `${r[0]},${float32Text(r[1] as number)}`)).toEqual(csvLines.slice(1).map((l) => l.join(',')));
    const dist = await cli(['score', '--model', benchModelPath, '--input', join(dir, 'rows.csv'), '--output', join(dir, 'd.arrow'), '--redis', 'redis://127.0.0.1:1']);
    expect(dist.code).toBe(1);
    expect(dist.stderr).toMatch(/distributed scoring writes CSV or JSONL \(got 'arrow'/);
  });
});
