import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, InputError } from '../../src/errors.js';
import { readXlsxFile } from '../../src/node/index.js';
import { repoRoot } from '../support/paths.js';
import { workbookBytes, type WorkbookExtras } from '../support/xlsx-parts.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-xlsx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a one-sheet workbook from SpreadsheetML written out by hand (see test/support/xlsx-parts.ts). */
function writeWorkbook(file: string, rows: string, strings?: string, extra?: WorkbookExtras): string {
  const path = join(dir, file);
  writeFileSync(path, workbookBytes(rows, strings, extra));
  return path;
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('readXlsxFile', () => {
  it('turns every kind of cell into a plain value', async () => {
    // Excel's day count for 2011-10-30 16:17 UTC, in a cell whose style (1) is yyyy-mm-dd hh:mm
    const serial = Date.UTC(2011, 9, 30, 16, 17) / 86_400_000 + 25_569;
    const headers = ['id', 'n', 'when', 'flag', 'rich', 'formula', 'link', 'err', '__proto__'];
    const path = writeWorkbook(
      'cells.xlsx',
      `<row r="1">${headers.map((h, i) => inline(`${'ABCDEFGHI'[i]}1`, h)).join('')}</row>
       <row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1.5</v></c><c r="C2" s="1"><v>${serial}</v></c><c r="D2" t="b"><v>1</v></c>
         <c r="E2" t="s"><v>1</v></c><c r="F2"><f>B2*2</f><v>3</v></c><c r="G2" t="s"><v>2</v></c><c r="H2" t="e"><v>#N/A</v></c>${inline('I2', 'safe')}</row>
       <row r="3">${inline('A3', 'A7')}<c r="D3" t="b"><v>0</v></c>${inline('E3', 'plain')}<c r="F3"><f>B3*2</f><v>7</v></c>${inline('G3', 'text')}<c r="H3"><v>1</v></c>${inline('I3', 'also')}</row>`,
      '<si><t>00123</t></si><si><r><t>Hel</t></r><r><rPr><b/></rPr><t>lo</t></r></si><si><t>shop</t></si>',
      {
        styles: '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>',
        sheetAfter: '<hyperlinks><hyperlink ref="G2" r:id="rId1"/></hyperlinks>',
      },
    );
    const t = await readXlsxFile(path);
    expect(t.columnNames).toEqual(headers);
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
    const fixture = join(repoRoot, 'models/features/xlsx/openpyxl-kinds.xlsx');
    const second = await readXlsxFile(fixture, { sheet: 'second' });
    expect(second.columnNames).toEqual(['customer_id', 'age']);
    expect((await readXlsxFile(fixture, { sheet: 2 })).numRows).toBe(6);
    await expect(readXlsxFile(fixture, { sheet: 'nope' })).rejects.toThrow(InputError);
    await expect(readXlsxFile(fixture, { sheet: 3 })).rejects.toThrow(InputError);
    const path = writeWorkbook(
      'ragged.xlsx',
      `<row r="1">${inline('A1', 'customer_id')}${inline('B1', 'v')}${inline('D1', 'v')}</row>
       <row r="2"><c r="A2"><v>123</v></c><c r="B2"><v>1</v></c></row>
       <row r="3">${inline('A3', 'abc')}<c r="B3"><v>2</v></c><c r="C3"><v>5</v></c><c r="D3"><v>6</v></c></row>`,
    );
    const t = await readXlsxFile(path, { types: { customer_id: 'string' } });
    expect(t.columnNames).toEqual(['customer_id', 'v', 'Unnamed: 2', 'v.1']);
    expect(t.strings('customer_id')).toEqual(['123', 'abc']);
    expect(t.numbers('v.1')).toEqual(Float64Array.of(NaN, 6));
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
    // joblib files are zlib-compressed and loadJoblib is synchronous: it needs fflate at once.
    const needsFflate = new Set([join(root, 'formats/pickle/joblib.ts')]);
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) {
          if (p !== join(root, 'node/xlsx')) walk(p);
        } else if (p.endsWith('.ts')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/^(import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
            if (/(^|\/)xlsx\//.test(m[2]) || (m[2] === 'fflate' && !needsFflate.has(p))) offenders.push(`${p}: ${m[2]}`);
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
