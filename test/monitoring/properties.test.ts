import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseWindow } from '../../src/cli/commands/drift.js';
import { RetailMlError } from '../../src/errors.js';
import { columnFromValues } from '../../src/features/column.js';
import { Table } from '../../src/features/table.js';
import { driftReport } from '../../src/monitoring/drift-report.js';
import { ksTwoSample } from '../../src/monitoring/ks-two-sample.js';
import { sampleRowIndices } from '../../src/monitoring/sample-rows.js';

const sample = fc.array(fc.integer({ min: -50, max: 50 }).map((v) => v / 4), { minLength: 1, maxLength: 60 });

describe('properties', () => {
  it('KS: p in [0, 1], symmetric in its samples, D on the lattice, p = 1 for a sample against itself', () => {
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const r = ksTwoSample(a, b);
        const s = ksTwoSample(b, a);
        expect(r.pValue).toBeGreaterThanOrEqual(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(s.statistic).toBe(r.statistic);
        expect(Math.abs(s.pValue - r.pValue)).toBeLessThanOrEqual(1e-12 * Math.max(r.pValue, 1e-300) + 1e-300);
        expect(ksTwoSample(a, a)).toEqual({ statistic: 0, pValue: 1 });
      }),
      { numRuns: 200 },
    );
  });

  it('driftReport never reports a NaN statistic and only throws typed errors, whatever the cells', () => {
    const cell = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constantFrom('a', 'b', '__proto__', ''), fc.boolean());
    const side = fc.array(fc.tuple(cell, cell), { minLength: 0, maxLength: 40 });
    const table = (rows: [unknown, unknown][]) =>
      Table.fromColumns([
        ['__proto__', columnFromValues(rows.map((r) => r[0]), undefined, '__proto__')],
        ['x', columnFromValues(rows.map((r) => r[1]), undefined, 'x')],
      ]);
    fc.assert(
      fc.property(side, side, fc.boolean(), (a, b, large) => {
        try {
          const r = driftReport(table(a), table(b), { largeReference: large ? 5 : 1000 });
          for (const c of r.columns) {
            expect(Number.isNaN(c.statistic)).toBe(false);
            expect(Number.isNaN(c.psi)).toBe(false);
            if (c.pValue !== null) expect(c.pValue >= 0 && c.pValue <= 1).toBe(true);
          }
          expect(r.columns.length + r.skipped.length).toBe(2);
        } catch (error) {
          expect(error).toBeInstanceOf(RetailMlError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('window parsing accepts date pairs and refuses anything else with a usage error', () => {
    expect(parseWindow('2025-01-01:2025-02-01', 'w')).toEqual({ from: '2025-01-01', to: '2025-02-01' });
    expect(parseWindow('2025-01-01T10:00:00Z:2025-01-01T11:30:00Z', 'w')).toEqual({ from: '2025-01-01T10:00:00Z', to: '2025-01-01T11:30:00Z' });
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          const w = parseWindow(text, 'w');
          expect(Date.parse(w.from as string)).toBeLessThan(Date.parse(w.to as string));
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
    );
  });

  it('selection sampling picks k distinct rows in order, the same for a seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 600 }), fc.integer(), (n, k, seed) => {
        const s = sampleRowIndices(n, k, seed);
        expect(s.length).toBe(Math.min(n, k));
        for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
        expect(s[s.length - 1]).toBeLessThan(n);
        expect(sampleRowIndices(n, k, seed)).toEqual(s);
      }),
      { numRuns: 100 },
    );
  });
});
