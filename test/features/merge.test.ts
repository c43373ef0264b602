import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { indexTable, mergeTables, readCsv, Table, type MergeHow } from '../../src/features/index.js';

const dir = 'models/features/merge';
const expected = JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')) as {
  cases: { name: string; left: string; right: string; on: string[]; how: MergeHow; suffixes: [string, string]; columns: string[]; data: Record<string, unknown[]> }[];
};
const load = (name: string) =>
  readCsv(readFileSync(`${dir}/${name}.csv`, 'utf8'), name.startsWith('customers') ? { types: { customer_id: 'string' } } : {});

describe('mergeTables matches pandas 1.5.3 merge', () => {
  for (const c of expected.cases) {
    it(c.name, () => {
      const { table } = mergeTables(load(c.left), load(c.right), { on: c.on, how: c.how, suffixes: c.suffixes });
      expect(table.columnNames).toEqual(c.columns);
      for (const name of c.columns) {
        const want = c.data[name];
        const col = table.column(name);
        const got = col.kind === 'string' ? col.values : Array.from(table.numbers(name), (v) => (Number.isNaN(v) ? null : v));
        expect(got, name).toEqual(want);
      }
    });
  }
});

describe('mergeTables', () => {
  const form = Table.fromRows([
    { customer_id: 'c1', age: 35, location: 'Delhi' },
    { customer_id: 'zz', age: 50, location: null },
  ]);
  const ages = Table.fromRows([
    { customer_id: 'c1', age: 56, location: 'Mumbai' },
    { customer_id: 'c2', age: 69, location: 'Pune' },
  ]);

  it('the default keeps both columns as pandas does (age_x, age_y) and reports the conflict', () => {
    const { table, report } = mergeTables(form, ages, { on: 'customer_id', how: 'left' });
    expect(table.columnNames).toEqual(['customer_id', 'age_x', 'location_x', 'age_y', 'location_y']);
    expect(report.conflicts.map((c) => c.outputColumns)).toEqual([['age_x', 'age_y'], ['location_x', 'location_y']]);
  });

  it('conflict policies resolve an overlapping column into one', () => {
    const left = mergeTables(form, ages, { on: 'customer_id', how: 'outer', conflicts: 'prefer-left' }).table;
    expect(left.columnNames).toEqual(['customer_id', 'age', 'location']);
    expect(left.numbers('age')).toEqual(Float64Array.of(35, 50, 69));
    expect(left.strings('location')).toEqual(['Delhi', null, 'Pune']); // zz's missing location stays missing
    const right = mergeTables(form, ages, { on: 'customer_id', how: 'outer', conflicts: 'prefer-right' }).table;
    expect(right.numbers('age')).toEqual(Float64Array.of(56, 50, 69));
    expect(right.strings('location')).toEqual(['Mumbai', null, 'Pune']);
    const first = mergeTables(form, ages, { on: 'customer_id', how: 'left', conflicts: { location: 'first-non-missing' } }).table;
    expect(first.columnNames).toEqual(['customer_id', 'age_x', 'location', 'age_y']);
    const formWithGap = Table.fromRows([{ customer_id: 'c1', location: null }]);
    expect(mergeTables(formWithGap, ages, { on: 'customer_id', conflicts: 'first-non-missing' }).table.strings('location')).toEqual(['Mumbai']);
    expect(mergeTables(formWithGap, ages, { on: 'customer_id', conflicts: 'prefer-left' }).table.strings('location')).toEqual([null]);
  });

  it('reports unmatched rows and one-sided columns', () => {
    const stays = Table.fromRows([{ customer_id: 'c2', stay_duration: 3 }]);
    const { report, table } = mergeTables(form, stays, { on: 'customer_id', how: 'outer' });
    expect(report.unmatchedLeftRows).toEqual([0, 1]);
    expect(report.unmatchedRightRows).toEqual([0]);
    expect(report.matchedRows).toBe(0);
    expect(report.leftOnlyColumns).toEqual(['age', 'location']);
    expect(report.rightOnlyColumns).toEqual(['stay_duration']);
    expect(table.strings('customer_id')).toEqual(['c1', 'zz', 'c2']);
  });

  it('rejects keys of different kinds, unknown keys and colliding names', () => {
    const numeric = Table.fromRows([{ customer_id: 1 }]);
    expect(() => mergeTables(form, numeric, { on: 'customer_id' })).toThrow(/string on the left but number/);
    expect(() => mergeTables(form, ages, { on: 'nope' })).toThrow(InputError);
    expect(() => mergeTables(form, ages, { on: 'customer_id', suffixes: ['', ''] })).toThrow(InputError);
    const clash = Table.fromRows([{ k: 1, a: 1, a_x: 2 }]);
    expect(() => mergeTables(clash, Table.fromRows([{ k: 1, a: 3 }]), { on: 'k' })).toThrow(/produced twice/);
  });

  it('row counts follow the key multiplicities (property)', () => {
    const keys = fc.array(fc.constantFrom('a', 'b', 'c', null), { maxLength: 12 });
    fc.assert(
      fc.property(keys, keys, fc.constantFrom<MergeHow>('inner', 'left', 'right', 'outer'), (lk, rk, how) => {
        const l = Table.fromRows(lk.map((k, i) => ({ k, i })), ['k', 'i'], { kinds: { k: 'string' } });
        const r = Table.fromRows(rk.map((k, j) => ({ k, j })), ['k', 'j'], { kinds: { k: 'string' } });
        const { table, report } = mergeTables(l, r, { on: 'k', how });
        const count = (arr: (string | null)[], v: string | null) => arr.filter((x) => x === v).length;
        let matched = 0;
        for (const v of new Set(lk)) matched += count(lk, v) * count(rk, v);
        expect(report.matchedRows).toBe(matched);
        const extraLeft = how === 'left' || how === 'outer' ? report.unmatchedLeftRows.length : 0;
        const extraRight = how === 'right' || how === 'outer' ? report.unmatchedRightRows.length : 0;
        expect(table.numRows).toBe(matched + extraLeft + extraRight);
      }),
      { numRuns: 300 },
    );
  });
});

describe('indexTable', () => {
  it('finds rows by key without scanning, reports duplicates', () => {
    const t = Table.fromRows([{ id: 'a' }, { id: 'b' }, { id: 'a' }, { id: null }, { id: '__proto__' }]);
    const index = indexTable(t, 'id');
    expect(index.firstRow('a')).toBe(0);
    expect(index.rows('a')).toEqual([0, 2]);
    expect(index.firstRow('b')).toBe(1);
    expect(index.firstRow('constructor')).toBe(-1);
    expect(index.firstRow('__proto__')).toBe(4);
    expect(index.duplicateKeys).toEqual(['a']);
    expect(index.size).toBe(3);
    expect(index.firstRow(1 as unknown as string)).toBe(-1);
  });
  it('number keys', () => {
    const index = indexTable(Table.fromRows([{ id: 7 }, { id: 9 }]), 'id');
    expect(index.firstRow(9)).toBe(1);
    expect(() => index.firstRow('9')).toThrow(InputError);
  });
});
