import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXlsxFile } from '../../src/node/index.js';
import { repoRoot } from '../support/paths.js';

// Workbooks and pandas 1.5.3's reading of them, from models/features/xlsx_fixtures.py.
const dir = join(repoRoot, 'models/features/xlsx');
const expected: Record<string, { file: string; sheet: number | string; columns: string[]; dtypes: string[]; rows: unknown[][] }> = JSON.parse(
  readFileSync(join(dir, 'expected.json'), 'utf8'),
);

describe('readXlsxFile reads what pandas.read_excel reads', () => {
  for (const [key, want] of Object.entries(expected)) {
    it(key, async () => {
      const t = await readXlsxFile(join(dir, want.file), { sheet: want.sheet });
      expect(t.columnNames).toEqual(want.columns);
      expect(t.numRows).toBe(want.rows.length);
      want.columns.forEach((name, c) => {
        for (let r = 0; r < want.rows.length; r++) {
          const w = want.rows[r][c];
          const got = t.get(name, r);
          const where = `${name}[${r}]`;
          if (w === null) expect(got, where).toBeNull();
          else if (typeof w === 'object') expect((got as Date).toISOString(), where).toBe((w as { date: string }).date);
          // pandas turns a boolean column with a missing cell into floats 1.0/0.0; retail-ml keeps booleans.
          else if (typeof got === 'boolean' && want.dtypes[c] === 'float64') expect(Number(got), where).toBe(w);
          // pandas keeps a mixed column's values as they are (object dtype); retail-ml makes them strings.
          else if (typeof got === 'string' && typeof w !== 'string' && want.dtypes[c] === 'object') expect(got, where).toBe(String(w));
          else expect(got, where).toBe(w);
        }
      });
    });
  }
});
