import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, RetailMlError } from '../../src/errors.js';
import { readXlsx, readXlsxFile } from '../../src/node/index.js';
import { parseBundleManifest } from '../../src/category/index.js';
import { workbookBytes } from '../support/xlsx-parts.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'retail-ml-xlsx-prop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// XML 1.0 cannot carry most control characters; Excel writes them as _xHHHH_, which readers
// (openpyxl included) leave as they are, so the property keeps to characters XML can hold.
const xmlText = fc.string({ minLength: 1, maxLength: 10, unit: fc.constantFrom(...'aZ09 _-\t\n\r&<>"\'é€😀'.split(/(?:)/u)) });
const cell = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), xmlText, fc.boolean(), fc.constant(null));

/** SpreadsheetML for one cell as Excel writes it: numbers as shortest round-trip text, strings inline. */
function cellXml(ref: string, v: number | string | boolean | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return `<c r="${ref}"><v>${Object.is(v, -0) ? '-0' : String(v)}</v></c>`;
  if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
  const escaped = v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
  return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escaped}</t></is></c>`;
}

describe('readXlsxFile properties', () => {
  it('reads back every cell written, value for value', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (rows) => {
        const header = `<row r="1">${cellXml('A1', 'a')}${cellXml('B1', 'b')}${cellXml('C1', 'c')}</row>`;
        const body = rows.map((r, i) => `<row r="${i + 2}">${r.map((v, c) => cellXml(`${'ABC'[c]}${i + 2}`, v)).join('')}</row>`).join('');
        const t = await readXlsx(workbookBytes(header + body));
        // trailing all-empty rows are dropped, as pandas does
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
      { numRuns: 100 },
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
