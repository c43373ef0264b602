// mergeTables with an empty left table: column order and rows as pandas 1.5.3
// (models/hardening/merge_empty_left.py), for every `how`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeTables, readCsv, type MergeHow } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

interface Case { left: string; right: string; drop_right: string[]; how: MergeHow; columns: string[]; rows: unknown[][] }
const ref = JSON.parse(readFileSync(join(repoRoot, 'models/hardening/merge_empty_left.json'), 'utf8')) as { pandas: string; tables: Record<string, string>; cases: Case[] };
const types = { customer_id: 'string', seg: 'string', city: 'string', age: 'number' } as const;

function table(name: string, drop: string[] = []) {
  const text = ref.tables[name];
  const header = text.split('\n')[0].split(',');
  const t = readCsv(text, { types: Object.fromEntries(header.map((h) => [h, types[h as keyof typeof types]])) });
  if (drop.length === 0) return t;
  const keep = header.filter((h) => !drop.includes(h));
  return readCsv([keep.join(','), ...text.trim().split('\n').slice(1).map((line) => line.split(',').filter((_, i) => keep.includes(header[i])).join(','))].join('\n') + '\n', {
    types: Object.fromEntries(keep.map((h) => [h, types[h as keyof typeof types]])),
  });
}

describe('mergeTables with an empty left table, as pandas 1.5.3', () => {
  it('the reference is pandas 1.5.3', () => expect(ref.pandas).toBe('1.5.3'));
  for (const c of ref.cases) {
    it(`${c.left} ⋈ ${c.right}, how '${c.how}': columns ${c.columns.join(', ')}`, () => {
      const { table: merged } = mergeTables(table(c.left), table(c.right, c.drop_right), { on: 'customer_id', how: c.how });
      expect(merged.columnNames).toEqual(c.columns);
      expect(merged.numRows).toBe(c.rows.length);
      const got = Array.from({ length: merged.numRows }, (_, r) =>
        c.columns.map((name) => {
          const v = merged.column(name).values[r];
          return v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
        }),
      );
      expect(got).toEqual(c.rows);
    });
  }
});
