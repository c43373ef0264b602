import { describe, expect, it } from 'vitest';
import { InputError, DataFormatError } from '../../src/errors.js';
import { Table, tableFromRows, readJsonRows, columnFromValues } from '../../src/features/index.js';

describe('Table', () => {
  it('builds typed columns from object rows, missing kept as missing', () => {
    const t = Table.fromRows([
      { id: 'a', age: 35, vip: true, seen: new Date(Date.UTC(2020, 0, 2)) },
      { id: 'b', age: null, vip: null },
    ]);
    expect(t.columnNames).toEqual(['id', 'age', 'vip', 'seen']);
    expect(t.numRows).toBe(2);
    expect(t.column('age')).toEqual({ kind: 'number', values: Float64Array.of(35, NaN) });
    expect(t.column('vip')).toEqual({ kind: 'boolean', values: [true, null] });
    expect(t.column('seen').kind).toBe('date');
    expect(t.numbers('seen')[0]).toBe(Date.UTC(2020, 0, 2));
    expect(Number.isNaN(t.numbers('seen')[1])).toBe(true);
    expect(t.strings('id')).toEqual(['a', 'b']);
    expect(t.numbers('vip')).toEqual(Float64Array.of(1, NaN));
    expect(t.get('seen', 0)).toEqual(new Date(Date.UTC(2020, 0, 2)));
    expect(t.get('age', 1)).toBeNull();
  });

  it('keeps numeric-looking strings as strings (no re-parsing of typed values)', () => {
    const t = tableFromRows([{ id: '00123' }, { id: '0000000000000000000000000000abcd' }]);
    expect(t.column('id')).toEqual({ kind: 'string', values: ['00123', '0000000000000000000000000000abcd'] });
  });

  it('turns a column of mixed types into strings', () => {
    expect(columnFromValues([1, 'a', true, null])).toEqual({ kind: 'string', values: ['1', 'a', 'true', null] });
  });

  it('array rows need column names and a sane width', () => {
    expect(() => Table.fromRows([[1, 2]])).toThrow(InputError);
    expect(() => Table.fromRows([[1, 2, 3]], ['a', 'b'])).toThrow(InputError);
    expect(Table.fromRows([[1], [2, 'x']], ['a', 'b']).strings('b')).toEqual([null, 'x']);
  });

  it('rejects non-plain values with InputError', () => {
    expect(() => Table.fromRows([{ a: { nested: 1 } }])).toThrow(InputError);
    expect(() => Table.fromRows([{ a: [1] }])).toThrow(InputError);
  });

  it('treats __proto__ and constructor as ordinary column names', () => {
    const rows = JSON.parse('[{"__proto__": 1, "constructor": "x", "toString": 2}]');
    const t = Table.fromRows(rows);
    expect(t.columnNames).toEqual(['__proto__', 'constructor', 'toString']);
    expect(t.numbers('__proto__')).toEqual(Float64Array.of(1));
    expect(t.has('hasOwnProperty')).toBe(false);
    const obj = t.toObjects()[0];
    expect(Object.getPrototypeOf(obj)).toBeNull();
    expect(Object.keys(obj)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('x');
    expect(t.row(0).get('constructor')).toBe('x');
  });

  it('fromColumns checks lengths and duplicate names', () => {
    const a = { kind: 'number' as const, values: Float64Array.of(1, 2) };
    const b = { kind: 'string' as const, values: ['x'] };
    expect(() => Table.fromColumns([['a', a], ['b', b]])).toThrow(InputError);
    expect(() => Table.fromColumns([['a', a], ['a', a]])).toThrow(/duplicate/);
  });

  it('unknown column names are InputErrors that list the columns', () => {
    const t = Table.fromRows([{ a: 1 }]);
    expect(() => t.column('b')).toThrow(/no column 'b'.*'a'/);
    expect(() => t.numbers('constructor')).toThrow(InputError);
    expect(() => Table.fromRows([{ s: 'x' }]).numbers('s')).toThrow(InputError);
  });

  it('select, drop, rename, withColumn, take, slice', () => {
    const t = Table.fromRows([{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: 'z' }]);
    expect(t.select(['b', 'a']).columnNames).toEqual(['b', 'a']);
    expect(t.drop(['a']).columnNames).toEqual(['b']);
    expect(t.rename([['a', 'n']]).columnNames).toEqual(['n', 'b']);
    expect(() => t.rename([['nope', 'n']])).toThrow(InputError);
    expect(t.withColumn('a', { kind: 'string', values: ['p', 'q', 'r'] }).strings('a')).toEqual(['p', 'q', 'r']);
    const taken = t.take([2, -1, 0]);
    expect(taken.numbers('a')).toEqual(Float64Array.of(3, NaN, 1));
    expect(taken.strings('b')).toEqual(['z', null, 'x']);
    expect(() => t.take([3])).toThrow(InputError);
    expect(t.slice(1, 2).strings('b')).toEqual(['y']);
    expect(t.toRows()[1].get('b')).toBe('y');
  });
});

describe('readJsonRows', () => {
  it('parses an array of row objects', () => {
    const t = readJsonRows('[{"id":"a","n":1},{"id":"b","n":null,"extra":true}]');
    expect(t.columnNames).toEqual(['id', 'n', 'extra']);
    expect(t.column('extra')).toEqual({ kind: 'boolean', values: [null, true] });
  });
  it('bad JSON and bad shapes are DataFormatErrors', () => {
    expect(() => readJsonRows('{')).toThrow(DataFormatError);
    expect(() => readJsonRows('{"a":1}')).toThrow(DataFormatError);
    expect(() => readJsonRows('[1]')).toThrow(DataFormatError);
    expect(() => readJsonRows('[{"a":{"b":1}}]')).toThrow(DataFormatError);
  });
});
