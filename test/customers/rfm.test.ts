import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { readXlsxFile, readCsvFile } from '../../src/node/index.js';
import { readCsv } from '../../src/features/index.js';
import {
  cleanTransactions,
  quintileScores,
  retailTransactionsFromTable,
  rfmSegment,
  rfmTable,
  type RfmSegment,
} from '../../src/customers/index.js';
import { DataFormatError, InputError, RetailMlError } from '../../src/errors.js';

const XLSX = '../shared/data/online-retail/online_retail_sample40000.xlsx';
const CSV = '../shared/data/online-retail/online_retail_first10000.csv';
const EXPECTED = 'models/customers/rfm_sample40000.json';

describe('RFM segments', () => {
  it('maps each of the 25 R×F cells to exactly one of the 10 named segments', () => {
    const seen = new Map<RfmSegment, number>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) seen.set(rfmSegment(r, f), (seen.get(rfmSegment(r, f)) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual(
      ['About to Sleep', 'At Risk', 'Champions', "Can't Lose", 'Hibernating', 'Loyal', 'Need Attention', 'New', 'Potential Loyalists', 'Promising'].sort(),
    );
    expect([...seen.values()].reduce((a, b) => a + b)).toBe(25);
    expect([rfmSegment(5, 5), rfmSegment(5, 1), rfmSegment(4, 1), rfmSegment(3, 3), rfmSegment(1, 5), rfmSegment(2, 3), rfmSegment(3, 1), rfmSegment(1, 1), rfmSegment(4, 4), rfmSegment(5, 2)]).toEqual(
      ['Champions', 'New', 'Promising', 'Need Attention', "Can't Lose", 'At Risk', 'About to Sleep', 'Hibernating', 'Loyal', 'Potential Loyalists'],
    );
    expect(() => rfmSegment(0, 3)).toThrow(InputError);
  });
});

describe('quintileScores', () => {
  it('follows pandas qcut bins, reversed for recency, ranked first for ties', () => {
    // edges of 1..10: 1, 2.8, 4.6, 6.4, 8.2, 10 → (x ≤ 2.8) 1, (≤ 4.6) 2, ...
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { reverse: true })).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(quintileScores([1, 1, 1, 1, 2], { rankFirst: true })).toEqual([1, 2, 3, 4, 5]);
    expect(() => quintileScores([1])).toThrow(InputError);
  });
  it('always gives whole scores 1..5 and is monotone (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2, maxLength: 60 }), (values) => {
        const s = quintileScores(values);
        for (let i = 0; i < values.length; i++) {
          expect(s[i] >= 1 && s[i] <= 5).toBe(true);
          for (let j = 0; j < values.length; j++) if (values[i] < values[j]) expect(s[i]).toBeLessThanOrEqual(s[j]);
        }
      }),
    );
  });
});

describe('Online Retail transactions', () => {
  it('reads Excel serial dates, ISO dates and float customer ids; cancellations and blanks are handled', () => {
    const text = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
      '536365,85123A,HEART,6,40513.35,2.55,17850.0,United Kingdom\n' +
      'C536379,D,Discount,-1,40513.5,27.5,14527,United Kingdom\n' +
      '536414,22139,,56,40513.46,0,,United Kingdom\n' +
      '536415,22140,X,2,40513.46,1.5,,United Kingdom\n';
    const rows = retailTransactionsFromTable(readCsv(text, { types: { InvoiceNo: 'string', StockCode: 'string', CustomerID: 'string' } }));
    expect(rows[0].invoiceDate).toBe(Date.UTC(2010, 11, 1, 8, 24));
    expect(rows[0].customerId).toBe('17850');
    const cleaned = cleanTransactions(rows);
    expect(cleaned.purchases.map((t) => t.invoiceNo)).toEqual(['536365']);
    expect(cleaned.cancellations.map((t) => t.invoiceNo)).toEqual(['C536379']);
    expect(cleaned.dropped).toEqual({ missingCustomer: 2, nonPositivePriceOrQuantity: 0 });
    const iso = retailTransactionsFromTable(readCsv(text.replace('40513.35', '2010-12-01 08:26:00'), { dates: false, types: { InvoiceNo: 'string' } }));
    expect(iso[0].invoiceDate).toBe(Date.UTC(2010, 11, 1, 8, 26));
    expect(() => retailTransactionsFromTable(readCsv(text.replace('40513.35', 'soon'), { types: { InvoiceNo: 'string' } }))).toThrow(DataFormatError);
  });

  it('fails only with typed errors on arbitrary tables (fuzz)', () => {
    const cell = fc.oneof(fc.constant(''), fc.string({ maxLength: 6 }), fc.double({ noNaN: false }).map(String), fc.constantFrom('C1', '__proto__', '2011-01-01'));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 8, maxLength: 8 }), { maxLength: 6 }), (cells) => {
        const text = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
          cells.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n');
        try {
          const rows = retailTransactionsFromTable(readCsv(text));
          const cleaned = cleanTransactions(rows);
          if (cleaned.purchases.length > 1) rfmTable(cleaned, Date.UTC(2030, 0, 1));
        } catch (e) {
          expect(e).toBeInstanceOf(RetailMlError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(!existsSync(CSV))('cleans the first 10,000 lines', async () => {
    const rows = retailTransactionsFromTable(await readCsvFile(CSV, { types: { InvoiceNo: 'string', StockCode: 'string', CustomerID: 'string' } }));
    expect(rows).toHaveLength(10000);
    const cleaned = cleanTransactions(rows);
    const total = cleaned.purchases.length + cleaned.cancellations.length + cleaned.dropped.missingCustomer + cleaned.dropped.nonPositivePriceOrQuantity;
    expect(total).toBe(10000);
    expect(cleaned.cancellations.every((t) => t.invoiceNo.startsWith('C') || t.quantity < 0)).toBe(true);
    expect(cleaned.purchases.every((t) => t.quantity > 0 && t.unitPrice > 0 && t.customerId !== null)).toBe(true);
  });
});

describe.skipIf(!existsSync(XLSX) || !existsSync(EXPECTED))('RFM on the 40,000-line sample against pandas', () => {
  it('matches pandas qcut scores for every customer', async () => {
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as { rows: [string, number, number, number, number, number, number][] };
    const cleaned = cleanTransactions(retailTransactionsFromTable(await readXlsxFile(XLSX)));
    const ours = rfmTable(cleaned, Date.UTC(2011, 11, 10));
    expect(ours.map((r) => r.customerId)).toEqual(expected.rows.map((r) => r[0]));
    ours.forEach((row, i) => {
      const [, recency, frequency, monetary, R, F, M] = expected.rows[i];
      expect([row.recency, row.frequency, row.r, row.f, row.m]).toEqual([recency, frequency, R, F, M]);
      expect(row.monetary).toBeCloseTo(monetary, 4);
      expect(row.segment).toBe(rfmSegment(R, F));
    });
  });
});
