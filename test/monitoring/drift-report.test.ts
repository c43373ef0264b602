import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { columnFromValues } from '../../src/features/column.js';
import { Table } from '../../src/features/table.js';
import { driftReport } from '../../src/monitoring/drift-report.js';
import { expectClose, fixtures } from './support.js';

/** A table from the fixture's `{ name: values }` object (own keys, so `__proto__` is a column). */
function tableOf(columns: Record<string, unknown[]>): Table {
  return Table.fromColumns(Object.keys(columns).map((name) => [name, columnFromValues(columns[name], undefined, name)] as const));
}

describe('driftReport equals the issue rules written with scipy 1.10', () => {
  for (const case_ of fixtures.reports) {
    it(case_.name, () => {
      const report = driftReport(tableOf(case_.reference), tableOf(case_.current));
      const want = case_.expected;
      expect(report.columns.map((c) => c.column)).toEqual(want.columns.map((c: { column: string }) => c.column));
      for (const [i, c] of report.columns.entries()) {
        const e = want.columns[i];
        expect([c.kind, c.test, c.threshold, c.drift], c.column).toEqual([e.kind, e.test, e.threshold, e.drift]);
        expectClose(c.statistic, e.statistic, `${c.column} statistic`);
        expectClose(c.pValue, e.pValue, `${c.column} p`);
        expectClose(c.psi, e.psi, `${c.column} psi`);
      }
      expect(report.driftShare).toBe(want.driftShare);
      expect(report.datasetDrift).toBe(want.datasetDrift);
    });
  }
  it('covers every test and both verdicts', () => {
    const tests = new Set(fixtures.reports.flatMap((r: { expected: { columns: { test: string }[] } }) => r.expected.columns.map((c) => c.test)));
    expect([...tests].sort()).toEqual(['chi2', 'jensenshannon', 'ks', 'wasserstein', 'z']);
    expect(new Set(fixtures.reports.map((r: { expected: { datasetDrift: boolean } }) => r.expected.datasetDrift))).toEqual(new Set([true, false]));
  });
});

describe('driftReport on awkward input', () => {
  const ref = Table.fromRows([
    { a: 1, b: 'x', gone: 1, empty: null, same: 3 },
    { a: 2, b: 'y', gone: 2, empty: null, same: 3 },
    { a: 3, b: null, gone: 3, empty: null, same: 3 },
  ]);
  const cur = Table.fromRows([
    { a: 9, b: 'x', new: 1, empty: null, same: 3 },
    { a: 8, b: 'z', new: 2, empty: null, same: 3 },
  ]);
  it('skips columns on one side or without values, with the reason, and never reports NaN', () => {
    const r = driftReport(ref, cur);
    expect(r.skipped).toEqual([
      { column: 'gone', reason: 'only in the reference data' },
      { column: 'empty', reason: 'no values in the reference data' },
      { column: 'new', reason: 'only in the current data' },
    ]);
    for (const c of r.columns) {
      expect(Number.isNaN(c.statistic)).toBe(false);
      expect(Number.isNaN(c.psi)).toBe(false);
    }
    const same = r.columns.find((c) => c.column === 'same')!;
    expect([same.kind, same.test, same.pValue, same.drift]).toEqual(['binary', 'z', 1, false]);
    expect(r.columns.find((c) => c.column === 'b')!.referenceMissing).toBe(1);
  });
  it('honours columns, exclude, forced tests and thresholds', () => {
    const r = driftReport(ref, cur, { columns: ['a'], test: 'wasserstein', distanceThreshold: 100 });
    expect(r.columns.map((c) => [c.column, c.test, c.drift])).toEqual([['a', 'wasserstein', false]]);
    expect(driftReport(ref, cur, { exclude: ['a', 'b', 'same'] }).columns).toEqual([]);
    expect(driftReport(ref, cur, { exclude: ['a', 'b', 'same'] }).datasetDrift).toBe(false);
  });
  it('rejects bad options and tests that do not fit the column with typed errors', () => {
    expect(() => driftReport(ref, cur, { columns: ['b'], test: 'ks' })).toThrow(InputError);
    expect(() => driftReport(ref, cur, { bins: 0 })).toThrow(/bins/);
    expect(() => driftReport(ref, cur, { test: 'nope' as never })).toThrow(/unknown drift test/);
    expect(() => driftReport(ref, cur, { columns: ['zzz'] })).toThrow(InputError);
    expect(() => driftReport({} as Table, cur)).toThrow(InputError);
  });
  it('takes the library matrix with names as well as a Table', () => {
    const m = { data: Float64Array.from({ length: 40 }, (_, i) => (i * 7) % 13), rows: 20, cols: 2, names: ['__proto__', 'b'] };
    const current = Table.fromColumns([
      ['__proto__', { kind: 'number', values: Float64Array.from({ length: 20 }, (_, i) => (i * 7 + 1) % 13) }],
      ['b', { kind: 'number', values: Float64Array.from({ length: 20 }, (_, i) => i % 13) }],
    ]);
    const r = driftReport(m, current);
    expect(r.columns.map((c) => [c.column, c.test])).toEqual([['__proto__', 'ks'], ['b', 'ks']]);
    expect(() => driftReport({ ...m, names: ['x'] }, m)).toThrow(/2 column names/);
    expect(() => driftReport({ ...m, rows: 3 }, m)).toThrow(InputError);
  });
  it('samples sides above sampleRows with a stated seed, reproducibly', () => {
    const big = Table.fromColumns([['x', { kind: 'number', values: Float64Array.from({ length: 5000 }, (_, i) => i % 97) }]]);
    const a = driftReport(big, big, { sampleRows: 1000 });
    expect(a.reference).toEqual({ rows: 5000, used: 1000, sampled: true });
    expect(a.sampling).toMatch(/seed 17/);
    expect(driftReport(big, big, { sampleRows: 1000 }).columns[0].statistic).toBe(a.columns[0].statistic);
    expect(driftReport(big, big, { sampleRows: 1000, seed: 3 }).columns[0].statistic).not.toBe(a.columns[0].statistic);
  });
});
