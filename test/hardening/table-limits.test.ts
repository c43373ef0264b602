// Tiny or moderate text, huge tables: readCsv and readJsonRows count columns, rows and
// cells before allocating them, and refuse beyond documented limits (options).
import { describe, expect, it } from 'vitest';
import { DataFormatError, DEFAULT_TABLE_LIMITS, InputError, readCsv, readJsonRows } from '../../src/index.js';

function quickly<T>(run: () => T, ms: number): T {
  const started = performance.now();
  try {
    return run();
  } finally {
    expect(performance.now() - started).toBeLessThan(ms);
  }
}

describe('table readers: allocations bounded before they happen', () => {
  it('a CSV with a 1,000,000-column header and 2,000 short rows is a DataFormatError, quickly', () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',');
    const text = `${header}\n${'1\n'.repeat(2000)}`;
    expect(text.length).toBeGreaterThan(7_000_000);
    expect(() => quickly(() => readCsv(text), 3000)).toThrow(/1000000|exceed the limit 100000 \(maxColumns\)/);
  });

  it('padding is counted: 60,000 columns × 100 one-cell rows pass maxColumns but not maxCells', () => {
    const text = `${Array.from({ length: 60_000 }, (_, i) => `c${i}`).join(',')}\n${'1\n'.repeat(100)}`;
    expect(() => quickly(() => readCsv(text, { limits: { maxCells: 1_000_000 } }), 2000)).toThrow(/line 18: 17 rows × 60000 columns exceed the limit 1000000 cells \(maxCells\)/);
    expect(() => readCsv('a,b,c\n1\n2\n', { limits: { maxCells: 5 } })).toThrow(/maxCells/);
    expect(readCsv('a,b,c\n1\n2\n', { limits: { maxCells: 6 } }).numRows).toBe(2);
  });

  it('a 50 MB field is refused by maxFieldLength, quoted or not; the limit is an option', () => {
    const big = 'x'.repeat(50_000_000);
    expect(() => quickly(() => readCsv(`a\n"${big}"\n`), 3000)).toThrow(/maxFieldLength/);
    expect(() => quickly(() => readCsv(`a\n${big}\n`), 3000)).toThrow(/maxFieldLength/);
    expect(readCsv('a\nhello\n', { limits: { maxFieldLength: 5 } }).strings('a')).toEqual(['hello']);
    expect(() => readCsv('a\nhello!\n', { limits: { maxFieldLength: 5 } })).toThrow(DataFormatError);
  });

  it('maxRows and maxColumns are options, and bad limits are InputErrors', () => {
    expect(() => readCsv('a\n1\n2\n3\n', { limits: { maxRows: 2 } })).toThrow(/maxRows/);
    expect(() => readCsv('a,b,c\n1,2,3\n', { limits: { maxColumns: 2 } })).toThrow(/maxColumns/);
    expect(() => readCsv('a\n1\n', { limits: { maxRows: -1 } })).toThrow(InputError);
    expect(DEFAULT_TABLE_LIMITS).toEqual({ maxColumns: 100_000, maxRows: 10_000_000, maxCells: 10_000_000, maxFieldLength: 10_000_000 });
  });

  it('250 KB of JSON rows with distinct keys is a DataFormatError, not an out-of-memory', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `{"k${i}":1}`);
    const text = `[${rows.join(',')}]`;
    expect(text.length).toBeLessThan(300_000);
    expect(() => quickly(() => readJsonRows(text), 2000)).toThrow(/maxCells/);
  });

  it('JSON rows: column limit as an option', () => {
    expect(() => readJsonRows('[{"a":1},{"b":2},{"c":3}]', { limits: { maxColumns: 2 } })).toThrow(/maxColumns/);
    expect(readJsonRows('[{"a":1},{"b":2}]', { limits: { maxColumns: 2 } }).columnNames).toEqual(['a', 'b']);
  });
});
