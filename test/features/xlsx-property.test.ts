import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, RetailMlError } from '../../src/errors.js';
import { readXlsxFile } from '../../src/node/index.js';
import { parseBundleManifest } from '../../src/category/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-xlsx-prop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !s.startsWith('=')),
  fc.boolean(),
  fc.constant(null),
);

describe('readXlsxFile properties', () => {
  it('reads back what exceljs wrote, cell for cell', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (rows) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('s');
        ws.addRow(['a', 'b', 'c']);
        for (const r of rows) ws.addRow(r);
        const path = join(dir, `p${n++}.xlsx`);
        await wb.xlsx.writeFile(path);
        const t = await readXlsxFile(path);
        // trailing all-empty rows are not stored by Excel
        let last = rows.length;
        while (last > 0 && rows[last - 1].every((v) => v === null)) last--;
        expect(t.numRows).toBe(last);
        ['a', 'b', 'c'].forEach((name, c) => {
          const values = rows.slice(0, last).map((r) => r[c]);
          const kinds = new Set(values.filter((v) => v !== null).map((v) => typeof v));
          for (let r = 0; r < last; r++) {
            const want = values[r];
            const got = t.get(name, r);
            if (want === null) expect(got).toBeNull();
            else if (kinds.size > 1) expect(got).toBe(String(want));
            else expect(got).toBe(want);
          }
        });
      }),
      { numRuns: 25 },
    );
  });

  it('random bytes are a DataFormatError, never a hang or another error', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, zipHeader) => {
        const data = zipHeader ? Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...bytes]) : bytes;
        const path = join(dir, `g${n++}.xlsx`);
        writeFileSync(path, data);
        await expect(readXlsxFile(path)).rejects.toBeInstanceOf(RetailMlError);
      }),
      { numRuns: 40 },
    );
    writeFileSync(join(dir, 'empty.xlsx'), '');
    await expect(readXlsxFile(join(dir, 'empty.xlsx'))).rejects.toBeInstanceOf(DataFormatError);
  });
});

describe('parseBundleManifest properties', () => {
  it('arbitrary JSON values are accepted or rejected with a ModelFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ format: fc.constant('retail-ml/category-recommender'), formatVersion: fc.constant(1), model: fc.jsonValue(), features: fc.jsonValue(), labels: fc.jsonValue(), featureTables: fc.jsonValue() })), (json) => {
        try {
          parseBundleManifest(json);
        } catch (error) {
          expect((error as RetailMlError).code).toBe('MODEL_FORMAT');
        }
      }),
      { numRuns: 500 },
    );
  });
});
