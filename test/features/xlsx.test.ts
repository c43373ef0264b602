import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, InputError } from '../../src/errors.js';
import { readXlsxFile } from '../../src/node/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-xlsx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeWorkbook(file: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = join(dir, file);
  await wb.xlsx.writeFile(path);
  return path;
}

describe('readXlsxFile', () => {
  it('turns every kind of cell into a plain value', async () => {
    const path = await writeWorkbook('cells.xlsx', (wb) => {
      const ws = wb.addWorksheet('data');
      ws.addRow(['id', 'n', 'when', 'flag', 'rich', 'formula', 'link', 'err', '__proto__']);
      ws.addRow([
        '00123', 1.5, new Date(Date.UTC(2011, 9, 30, 16, 17)), true,
        { richText: [{ text: 'Hel' }, { font: { bold: true }, text: 'lo' }] },
        { formula: 'B2*2', result: 3 },
        { text: 'shop', hyperlink: 'https://example.com' },
        { error: '#N/A' },
        'safe',
      ]);
      ws.addRow(['A7', null, null, false, 'plain', { formula: 'B3*2', result: 7 }, 'text', 1, 'also']);
      ws.getCell('C2').numFmt = 'yyyy-mm-dd hh:mm';
    });
    const t = await readXlsxFile(path);
    expect(t.columnNames).toEqual(['id', 'n', 'when', 'flag', 'rich', 'formula', 'link', 'err', '__proto__']);
    expect(t.column('id')).toEqual({ kind: 'string', values: ['00123', 'A7'] });
    expect(t.numbers('n')).toEqual(Float64Array.of(1.5, NaN));
    expect(t.column('when').kind).toBe('date');
    expect(t.numbers('when')[0]).toBe(Date.UTC(2011, 9, 30, 16, 17));
    expect(t.column('flag')).toEqual({ kind: 'boolean', values: [true, false] });
    expect(t.strings('rich')).toEqual(['Hello', 'plain']);
    expect(t.numbers('formula')).toEqual(Float64Array.of(3, 7));
    expect(t.strings('link')).toEqual(['shop', 'text']);
    expect(t.numbers('err')).toEqual(Float64Array.of(NaN, 1));
    expect(t.strings('__proto__')).toEqual(['safe', 'also']);
    expect(({} as Record<string, unknown>).safe).toBeUndefined();
  });

  it('picks a sheet by name or position, forces kinds, pads ragged rows', async () => {
    const path = await writeWorkbook('sheets.xlsx', (wb) => {
      wb.addWorksheet('first').addRow(['x']);
      const ws = wb.addWorksheet('second');
      ws.addRow(['customer_id', 'v', '', 'v']);
      ws.addRow([123, 1]);
      ws.addRow(['abc', 2, 5, 6]);
    });
    const t = await readXlsxFile(path, { sheet: 'second', types: { customer_id: 'string' } });
    expect(t.columnNames).toEqual(['customer_id', 'v', 'Unnamed: 2', 'v.1']);
    expect(t.strings('customer_id')).toEqual(['123', 'abc']);
    expect(t.numbers('v.1')).toEqual(Float64Array.of(NaN, 6));
    expect((await readXlsxFile(path, { sheet: 2 })).numRows).toBe(2);
    await expect(readXlsxFile(path, { sheet: 'nope' })).rejects.toThrow(InputError);
  });

  it('a file that is not an xlsx is a DataFormatError', async () => {
    const path = join(dir, 'bad.xlsx');
    writeFileSync(path, 'customer_id,age\n1,2\n');
    await expect(readXlsxFile(path)).rejects.toThrow(DataFormatError);
  });
});

const shared = '../shared/data/category-recommender';
describe.skipIf(!existsSync(shared))('the real feature spreadsheets', () => {
  it('07_age_features.xlsx: 99,441 customers with 32-hex ids and integer ages', async () => {
    const t = await readXlsxFile(`${shared}/07_age_features.xlsx`);
    expect(t.columnNames).toEqual(['customer_id', 'age']);
    expect(t.numRows).toBe(99441);
    const ids = t.strings('customer_id');
    expect(ids[0]).toBe('06b8999e2fba1a1fbc88172c00ba8bc7'); // pandas: first row
    expect(ids.every((id) => id !== null && /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(t.numbers('age')[0]).toBe(56);
  });
  it('02_location_features.xlsx has string locations and float aggregates', async () => {
    const t = await readXlsxFile(`${shared}/02_location_features.xlsx`);
    expect(t.columnNames).toEqual(['location', 'avg_order_value', 'total_orders', 'review_score_avg']);
    expect(t.numRows).toBe(4110);
    expect(t.get('location', 0)).toBe('Abadia Dos Dourados');
    expect(t.get('avg_order_value', 0)).toBeCloseTo(137.833333, 5);
  });
});

describe('retail-ml/node loads the xlsx reader lazily', () => {
  it('no module outside src/node/xlsx imports it (or fflate) except for types or through import()', () => {
    const root = join(__dirname, '../../src');
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) {
          if (p !== join(root, 'node/xlsx')) walk(p);
        } else if (p.endsWith('.ts')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/^(import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
            if (/(^|\/)xlsx\/|^fflate$/.test(m[2])) offenders.push(`${p}: ${m[2]}`);
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
