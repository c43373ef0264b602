import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataFormatError } from '../../src/errors.js';
import { readCsv } from '../../src/features/read-csv.js';
import { readCsvBatches, readCsvStream } from '../../src/features/read-csv-stream.js';
import type { Table } from '../../src/features/table.js';

/** Splits text into chunks at the given cut points, as bytes (so multi-byte characters split too). */
function chunked(text: string, cuts: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
}

const snapshot = (t: Table) => t.columnNames.map((n) => [n, t.column(n).kind, t.strings(n)]);
const outcome = async <T>(f: () => T | Promise<T>) => {
  try {
    return { ok: await f() };
  } catch (e) {
    return { error: (e as Error).message, type: (e as Error).constructor.name };
  }
};

describe('readCsvStream', () => {
  it('reads any text, cut anywhere, exactly as readCsv reads it whole (tables and errors)', async () => {
    const cell = fc.oneof(fc.constantFrom('', 'NA', '1', '-2.5', 'true', '2011-12-10', 'é€', '"', '""', '"a,b"', '"x\ny"', '"q""q"', 'a"b', '\r', '\r\n', '\n', ','), fc.string({ maxLength: 3 }));
    const text = fc.array(cell, { maxLength: 30 }).map((cells) => cells.join(''));
    await fc.assert(
      fc.asyncProperty(fc.boolean(), text, fc.array(fc.nat(200), { maxLength: 8 }), async (bom, body, cuts) => {
        const csv = (bom ? '\ufeff' : '') + 'a,b\n' + body;
        const whole = await outcome(() => snapshot(readCsv(csv)));
        const streamed = await outcome(async () => snapshot(await readCsvStream(Readable.from(chunked(csv, cuts)))));
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 400, seed: 16 },
    );
  });

  it('reads a web ReadableStream', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const part of chunked('id,n\n"x\r\ny",1\nz,2\n', [3, 7, 8, 9])) c.enqueue(part);
        c.close();
      },
    });
    const t = await readCsvStream(stream, { types: { id: 'string' } });
    expect(t.strings('id')).toEqual(['x\r\ny', 'z']);
    expect(Array.from(t.numbers('n'))).toEqual([1, 2]);
  });

  it('yields batches of text rows numbered from 1 with their lines', async () => {
    const csv = 'a,b\n' + Array.from({ length: 10 }, (_, i) => `${i},"v\n${i}"`).join('\n') + '\n';
    const batches = [];
    for await (const b of readCsvBatches(Readable.from(chunked(csv, [5, 17, 40])), { batchRows: 4 })) batches.push(b);
    expect(batches.map((b) => [b.firstRow, b.rows.length])).toEqual([
      [1, 4],
      [5, 4],
      [9, 2],
    ]);
    expect(batches[1].rows[0]).toEqual(['4', 'v\n4']);
    expect(batches[1].lines[0]).toBe(10);
    expect(batches[0].columnNames).toEqual(['a', 'b']);
  });

  it('refuses a record longer than maxRecordChars without holding the rest', async () => {
    async function* endless() {
      const block = new TextEncoder().encode('x'.repeat(65536));
      yield new TextEncoder().encode('a\n');
      for (;;) yield block;
    }
    const error = await readCsvStream(endless(), { maxRecordChars: 1 << 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error.message).toBe("line 2: a record longer than 1048576 characters (the streaming reader's maxRecordChars)");
  });
});

describe('readCsvBatches limits', () => {
  const collect = async (text: string, options: Parameters<typeof readCsvBatches>[1]) => {
    const rows: (string | null)[][] = [];
    for await (const batch of readCsvBatches(Readable.from([text]), options)) rows.push(...batch.rows);
    return rows;
  };
  it('refuses a header wider than maxColumns, naming the line and the option', async () => {
    const error = await collect('a,b,c\n1,2,3\n', { limits: { maxColumns: 2 } }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error.message).toBe('line 1: 3 columns exceed the limit 2 (maxColumns)');
  });
  it('refuses a field longer than maxFieldLength', async () => {
    const error = await collect('a,b\n1,xxxxx\n', { limits: { maxFieldLength: 4 } }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error.message).toMatch(/^line 2: a field of 5 characters exceeds the limit 4 \(maxFieldLength\)/);
  });
  it('bounds rows only when maxRows is given', async () => {
    const text = 'a\n' + '1\n'.repeat(30);
    expect(await collect(text, { batchRows: 7 })).toHaveLength(30);
    const error = await collect(text, { batchRows: 7, limits: { maxRows: 29 } }).catch((e) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error.message).toBe('line 31: more than 29 rows (maxRows)');
  });
});
