import { describe, expect, it } from 'vitest';
import type { PredictionRecord } from '../../src/adapters/log/record.js';
import { InputError } from '../../src/errors.js';
import { Table } from '../../src/features/table.js';
import { checkData, schemaOf } from '../../src/monitoring/data-checks.js';
import { modelHealth, predictionDrift } from '../../src/monitoring/model-health.js';
import { shouldRetrain } from '../../src/monitoring/should-retrain.js';
import { expectClose, fixtures } from './support.js';

describe('checkData', () => {
  const reference = Table.fromRows([
    { id: 'a', age: 30, city: 'Oslo', score: 1, __proto__x: 1 },
    { id: 'b', age: 40, city: 'Bergen', score: 2, __proto__x: 2 },
    { id: 'c', age: 50, city: null, score: 3, __proto__x: 3 },
  ]);
  it('finds every kind of problem, each with a severity', () => {
    const current = Table.fromRows([
      { id: 'd', age: 35, city: 'Oslo', extra: 1, score: 'high', __proto__x: 7 },
      { id: 'e', age: 99, city: 'Tromsø', extra: 2, score: 'low', __proto__x: 7 },
      { id: 'f', age: null, city: 'Tromsø', extra: 3, score: 'low', __proto__x: 7 },
      { id: 'g', age: null, city: 'Oslo', extra: 4, score: null, __proto__x: 7 },
    ]);
    const r = checkData(reference, current.drop(['id']));
    const seen = r.findings.map((f) => [f.check, f.column, f.severity]);
    expect(seen).toEqual(expect.arrayContaining([
      ['missing-column', 'id', 'error'],
      ['missing-values', 'age', 'warning'],
      ['out-of-range', 'age', 'warning'],
      ['new-categories', 'city', 'warning'],
      ['type-change', 'score', 'error'],
      ['constant-column', '__proto__x', 'warning'],
      ['out-of-range', '__proto__x', 'warning'],
      ['unexpected-column', 'extra', 'warning'],
    ]));
    expect(r.ok).toBe(false);
    const city = r.findings.find((f) => f.check === 'new-categories')!;
    expect([city.share, city.examples]).toEqual([0.5, ['Tromsø']]);
    const age = r.columns.find((c) => c.column === 'age')!;
    expect([age.missingShare, age.outOfRangeShare]).toEqual([0.5, 0.5]);
  });
  it('passes clean data and accepts a declared schema', () => {
    expect(checkData(reference, reference).findings).toEqual([]);
    const own = Table.fromColumns([['__proto__', { kind: 'number', values: Float64Array.of(0.5, 2) }]]);
    expect(checkData({ columns: [{ name: '__proto__', kind: 'number', min: 0, max: 1 }] }, own).findings[0].check).toBe('out-of-range');
    expect(schemaOf(reference).columns[1]).toEqual({ name: 'age', kind: 'number', missingShare: 0, min: 30, max: 50 });
    expect(() => checkData({ columns: [{ name: 'x', kind: 'blob' as never }] }, reference)).toThrow(InputError);
  });
  it('calls an all-missing column an error', () => {
    const r = checkData(reference, Table.fromRows([{ id: 'a', age: null, city: 'Oslo', score: 1, __proto__x: 1 }]));
    expect(r.findings).toEqual([expect.objectContaining({ check: 'missing-values', column: 'age', severity: 'error', share: 1 })]);
  });
});

describe('model health from the prediction log (sklearn metrics)', () => {
  const records = fixtures.log as PredictionRecord[];
  const windows = fixtures.health.map((h: { from: string; to: string }) => ({ from: h.from, to: h.to }));
  it('joins outcomes by id and equals sklearn per window', () => {
    const health = modelHealth(records, fixtures.outcomes, windows, { positiveLabel: 'buy' });
    health.forEach((h, i) => {
      const e = fixtures.health[i];
      expect(h.labelled).toBe(e.labelled);
      expect(h.predictions).toBe(150);
      for (const k of ['precision', 'recall', 'f1', 'rocAuc'] as const) expectClose(h[k], e[k], `${k} window ${i}`);
      expectClose(h.change.f1, i === 0 ? 0 : e.f1 - fixtures.health[0].f1, 'f1 change');
    });
    expect(health[2].f1!).toBeLessThan(health[0].f1!);
  });
  it('gives null, not NaN, where a window has no outcomes', () => {
    const [h] = modelHealth(records, [], windows.slice(0, 1));
    expect([h.labelled, h.precision, h.f1, h.rocAuc]).toEqual([0, null, null, null]);
    expect(() => modelHealth(records, [], [{ from: 'later', to: 'x' }])).toThrow(InputError);
  });
  it('reports prediction drift between windows', () => {
    const r = predictionDrift(records, windows[0], windows[2]);
    expect(r.columns.map((c) => c.column)).toEqual(['label', 'probability', 'recency', 'frequency']);
    expect(r.columns[1].test).toBe('ks');
    expect(() => predictionDrift(records, windows[0], { from: '2030-01-01', to: '2030-02-01' })).toThrow(/current window/);
  });
});

describe('shouldRetrain (the purchase seed: +10% data, F1 < 0.86, −5%, drift)', () => {
  it('fires each trigger at its edge and not before', () => {
    expect(shouldRetrain({ trainingRows: 1000, newRows: 99, f1: 0.9, baselineF1: 0.9 }).retrain).toBe(false);
    expect(shouldRetrain({ trainingRows: 1000, newRows: 100 }).reasons.map((r) => r.trigger)).toEqual(['new-data']);
    expect(shouldRetrain({ trainingRows: 1000, f1: 0.8599 }).reasons.map((r) => r.trigger)).toEqual(['f1-floor']);
    expect(shouldRetrain({ trainingRows: 1000, f1: 0.86 }).retrain).toBe(false);
    expect(shouldRetrain({ trainingRows: 1000, f1: 0.94, baselineF1: 1 }).reasons.map((r) => r.trigger)).toEqual(['f1-drop']);
    expect(shouldRetrain({ trainingRows: 1000, f1: 0.95, baselineF1: 1 }).retrain).toBe(false);
    expect(shouldRetrain({ trainingRows: 1000, datasetDrift: true }).reasons.map((r) => r.trigger)).toEqual(['data-drift']);
    expect(shouldRetrain({ trainingRows: 1000, datasetDrift: true }, { onDrift: false }).retrain).toBe(false);
  });
  it('rejects nonsense with typed errors', () => {
    expect(() => shouldRetrain({ trainingRows: 0 })).toThrow(InputError);
    expect(() => shouldRetrain({ trainingRows: 10, f1: NaN })).toThrow(InputError);
  });
});
