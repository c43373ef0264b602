import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DataFormatError, InputError, RetailMlError } from '../../src/errors.js';
import { readCsv, writeCsv, Table, type Column, type ColumnKind } from '../../src/features/index.js';
import { readCsvFile } from '../../src/node/index.js';

describe('readCsv', () => {
  it('handles quotes, escaped quotes, embedded delimiters and newlines, CRLF and BOM', () => {
    const text = '\uFEFFid,note,n\r\n1,"say ""hi""",2\r\n2,"a,b\r\nc",3\r\n3,plain,4';
    const t = readCsv(text);
    expect(t.columnNames).toEqual(['id', 'note', 'n']);
    expect(t.strings('note')).toEqual(['say "hi"', 'a,b\r\nc', 'plain']);
    expect(t.numbers('n')).toEqual(Float64Array.of(2, 3, 4));
  });

  it('infers number, boolean, date and string columns predictably', () => {
    const t = readCsv('n,b,d,s,e\n1,TRUE,2010-12-01 08:26:00,x,\n-2.5e3,false,2011-01-02,00123,\n inf ,True,2011-01-02T03:04:05.250Z,y,\n');
    expect(t.column('n')).toEqual({ kind: 'number', values: Float64Array.of(1, -2500, Infinity) });
    expect(t.column('b')).toEqual({ kind: 'boolean', values: [true, false, true] });
    expect(t.column('d')).toEqual({
      kind: 'date',
      values: Float64Array.of(Date.UTC(2010, 11, 1, 8, 26), Date.UTC(2011, 0, 2), Date.UTC(2011, 0, 2, 3, 4, 5, 250)),
    });
    expect(t.column('s')).toEqual({ kind: 'string', values: ['x', '00123', 'y'] });
    expect(t.column('e').kind).toBe('number'); // all missing
  });

  it('dates with zones are converted to UTC; impossible dates keep the column a string', () => {
    expect(readCsv('d\n2020-01-01T10:00+02:00\n').numbers('d')[0]).toBe(Date.UTC(2020, 0, 1, 8));
    expect(readCsv('d\n2021-02-30\n').column('d').kind).toBe('string');
    expect(readCsv('d\n2021-02-03\n', { dates: false }).column('d').kind).toBe('string');
  });

  it('forces column kinds: ids like 00123 stay strings', () => {
    const t = readCsv('customer_id,age\n00123,35\n00999,40\n', { types: { customer_id: 'string' } });
    expect(t.strings('customer_id')).toEqual(['00123', '00999']);
    expect(readCsv('id\n00123\n').numbers('id')).toEqual(Float64Array.of(123));
    expect(() => readCsv('a\nx\n', { types: { a: 'number' } })).toThrow(DataFormatError);
    expect(() => readCsv('a\nx\n', { types: { b: 'number' } })).toThrow(InputError);
    expect(readCsv('a,b\n1,2\n', { inferTypes: false }).column('a')).toEqual({ kind: 'string', values: ['1'] });
  });

  it('missing markers follow pandas; quoted cells are never missing', () => {
    const t = readCsv('a,b\nNA,""\nnull,"NA"\n,x\n');
    expect(t.strings('a')).toEqual([null, null, null]);
    expect(t.strings('b')).toEqual(['', 'NA', 'x']);
    expect(readCsv('a\nNA\n', { missing: [''] }).strings('a')).toEqual(['NA']);
  });

  it('tab and semicolon delimiters, blank lines skipped, short rows padded', () => {
    const t = readCsv('a\tb\n1\t2\n\n3\n', { delimiter: '\t' });
    expect(t.numRows).toBe(2);
    expect(t.numbers('b')).toEqual(Float64Array.of(2, NaN));
    expect(readCsv('a;b\n1;2\n', { delimiter: ';' }).numbers('b')).toEqual(Float64Array.of(2));
  });

  it('repeated or empty header names become distinct, as in pandas', () => {
    expect(readCsv('a,,a,a\n1,2,3,4\n').columnNames).toEqual(['a', 'Unnamed: 1', 'a.1', 'a.2']);
  });

  it('header names such as __proto__ and constructor are harmless', () => {
    const t = readCsv('__proto__,constructor,hasOwnProperty\n1,2,x\n', { types: new Map([['constructor', 'string' as const]]) });
    expect(t.columnNames).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(t.strings('constructor')).toEqual(['2']);
    expect(t.numbers('__proto__')).toEqual(Float64Array.of(1));
    expect(({} as Record<string, unknown>).hasOwnProperty).toBe(Object.prototype.hasOwnProperty);
  });

  it('reports malformed input with the line number', () => {
    expect(() => readCsv('a,b\n1,"open\n2,3\n')).toThrow(/line 2: unterminated quoted field/);
    expect(() => readCsv('a,b\n1,"x"y\n')).toThrow(/line 2: unexpected text after a closing quote/);
    expect(() => readCsv('a,b\n1,2\n1,2,3\n')).toThrow(/line 3: has 3 fields, expected 2/);
    expect(() => readCsv('a\n"x\ny\nz"w\n')).toThrow(/line 4/);
  });

  it('empty text and header-only text', () => {
    expect(readCsv('').columnNames).toEqual([]);
    const t = readCsv('a,b\n');
    expect(t.columnNames).toEqual(['a', 'b']);
    expect(t.numRows).toBe(0);
  });

  it('columnNames option reads headerless text', () => {
    const t = readCsv('1,x\n2,y\n', { columnNames: ['n', 's'] });
    expect(t.numbers('n')).toEqual(Float64Array.of(1, 2));
  });
});

describe('writeCsv', () => {
  it('quotes what needs quoting and round-trips', () => {
    const t = Table.fromRows([
      { id: 'a,b', n: 1.5, ok: true },
      { id: 'NA', n: null, ok: null },
      { id: ' x"y\n', n: -0.1, ok: false },
    ]);
    const text = writeCsv(t);
    expect(text).toBe('id,n,ok\n"a,b",1.5,true\n"NA",,\n" x""y\n",-0.1,false\n');
    const back = readCsv(text);
    expect(back.strings('id')).toEqual(t.strings('id'));
    expect(back.numbers('n')).toEqual(t.numbers('n'));
    expect(back.column('ok')).toEqual(t.column('ok'));
  });
  it('a one-column table with missing cells survives (no blank lines)', () => {
    const t = Table.fromRows([{ a: 1 }, { a: null }, { a: 3 }]);
    expect(readCsv(writeCsv(t)).numbers('a')).toEqual(Float64Array.of(1, NaN, 3));
  });
});

// ---- property tests ----

const kindArb = fc.constantFrom<ColumnKind>('number', 'string', 'boolean', 'date');
const nameArb = fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' });
const textArb = fc.oneof(
  fc.string({ maxLength: 12, unit: 'grapheme' }),
  fc.constantFrom('', 'NA', 'null', ' ', '"', '""', ',', '\n', '\r\n', '\r', '\t', ';', '00123', '1e5', 'true', '__proto__'),
);
function columnArb(kind: ColumnKind, n: number): fc.Arbitrary<Column> {
  switch (kind) {
    case 'number':
      return fc
        .array(fc.oneof(fc.double(), fc.integer().map((x) => x), fc.constant(NaN)), { minLength: n, maxLength: n })
        .map((v) => ({ kind, values: Float64Array.from(v, (x) => (Object.is(x, -0) ? 0 : x)) }));
    case 'date':
      return fc
        .array(fc.oneof(fc.integer({ min: -62135596800000, max: 253402300799999 }), fc.constant(NaN)), { minLength: n, maxLength: n })
        .map((v) => ({ kind, values: Float64Array.from(v) }));
    case 'boolean':
      return fc.array(fc.option(fc.boolean(), { nil: null }), { minLength: n, maxLength: n }).map((values) => ({ kind, values }));
    case 'string':
      return fc.array(fc.option(textArb, { nil: null }), { minLength: n, maxLength: n }).map((values) => ({ kind, values }));
  }
}
const tableArb = fc
  .tuple(fc.uniqueArray(nameArb, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 8 }))
  .chain(([names, n]) =>
    fc.tuple(...names.map((name) => kindArb.chain((kind) => columnArb(kind, n).map((col) => [name, col] as [string, Column])))),
  )
  .map((entries) => Table.fromColumns(entries));

describe('CSV properties', () => {
  it('writeCsv then readCsv (with the same kinds) gives the same table', () => {
    fc.assert(
      fc.property(tableArb, fc.constantFrom<',' | '\t' | ';'>(',', '\t', ';'), fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'), (table, delimiter, newline) => {
        const text = writeCsv(table, { delimiter, newline });
        const types = new Map(table.columnNames.map((n) => [n, table.column(n).kind] as const));
        const back = readCsv(text, { delimiter, types });
        // names that pandas would rename (empty/duplicates) cannot occur: they are unique and non-empty
        expect(back.columnNames).toEqual(table.columnNames);
        expect(back.numRows).toBe(table.numRows);
        for (const n of table.columnNames) expect(back.column(n)).toEqual(table.column(n));
      }),
      { numRuns: 300 },
    );
  });

  it('inferred kinds round-trip for number, boolean and date columns without string look-alikes', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const back = readCsv(writeCsv(table));
        for (const n of table.columnNames) {
          const col = table.column(n);
          const present = col.values.some((v: unknown) => v !== null && !(typeof v === 'number' && Number.isNaN(v)));
          if (col.kind !== 'string' && present) expect(back.column(n)).toEqual(col);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('random text never hangs and only ever throws DataFormatError', () => {
    const noisy = fc.string({ maxLength: 200, unit: fc.constantFrom('a', '1', '"', ',', '\n', '\r', ' ', '\t', ';', 'é', '\uFEFF', '.', 'e', '-') });
    fc.assert(
      fc.property(fc.oneof(noisy, fc.string({ maxLength: 200 })), fc.constantFrom<',' | '\t' | ';'>(',', '\t', ';'), (text, delimiter) => {
        try {
          const t = readCsv(text, { delimiter });
          expect(t.numRows).toBeGreaterThanOrEqual(0);
        } catch (error) {
          expect(error).toBeInstanceOf(DataFormatError);
          expect(error).toBeInstanceOf(RetailMlError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const marketing = '../shared/data/customer-segmentation/marketing_campaign.csv';
describe.skipIf(!existsSync(marketing))('real CSV files', () => {
  it('reads the tab-separated marketing_campaign.csv: 2240 rows, 29 columns, 24 blank incomes', async () => {
    const t = await readCsvFile(marketing, { delimiter: '\t' });
    expect(t.numRows).toBe(2240);
    expect(t.columnNames.length).toBe(29);
    const income = t.numbers('Income');
    expect(income.filter(Number.isNaN).length).toBe(24);
    expect(t.column('Education').kind).toBe('string');
  });
});
