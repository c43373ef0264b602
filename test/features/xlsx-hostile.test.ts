import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFormatError, InputError, RetailMlError } from '../../src/errors.js';
import { readXlsx, readXlsxFile } from '../../src/node/index.js';
import { crc32 } from '../../src/node/xlsx/crc32.js';
import { cli } from '../support/cli.js';
import { deflateBomb } from '../support/deflate-bomb.js';
import { repoRoot } from '../support/paths.js';
import { buildZip, workbookBytes, workbookParts, type ZipInput } from '../support/xlsx-parts.js';

const scratch = mkdtempSync(join(tmpdir(), 'retail-ml-xlsx-hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const fixture = join(repoRoot, 'models/features/xlsx/openpyxl-kinds.xlsx');

/** The error a read rejects with, and how long it took to say so. */
async function rejection(bytes: Uint8Array, options = {}): Promise<{ error: RetailMlError; ms: number }> {
  const t0 = performance.now();
  const error = await readXlsx(bytes, options).then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RetailMlError);
  return { error: error as RetailMlError, ms: performance.now() - t0 };
}

const header = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>';

describe('a missing or unreadable path', () => {
  it('rejects with an InputError on one line, for a missing file and a folder', async () => {
    const missing = await readXlsxFile('/nope.xlsx').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as Error).message).toBe('/nope.xlsx: cannot read (no such file)');
    const folder = await readXlsxFile(scratch).catch((e: unknown) => e);
    expect(folder).toBeInstanceOf(InputError);
    expect((folder as Error).message).toContain('is a folder');
  });

  it('leaves the process running (no unhandled error event)', () => {
    const script = `import('./src/node/index.ts').then((m) => m.readXlsxFile('/nope.xlsx')).catch((e) => { console.log(e.code); setTimeout(() => console.log('alive'), 100); });`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('INPUT\nalive\n');
    expect(r.status).toBe(0);
  });

  it('retail-ml merge and rfm report it in one line and exit 1', async () => {
    const merge = await cli(['merge', fixture, '/nope.xlsx', '--on', 'id']);
    expect(merge.code).toBe(1);
    expect(merge.stderr).toBe('retail-ml merge: /nope.xlsx: cannot read (no such file)\n');
    const rfm = await cli(['rfm', '--input', '/nope.xlsx', '--snapshot', '2011-12-10']);
    expect(rfm.code).toBe(1);
    expect(rfm.stderr).toBe('retail-ml rfm: /nope.xlsx: cannot read (no such file)\n');
  });
});

describe('zip bombs', () => {
  const bombParts = (declared: number | undefined, count: number): ZipInput[] =>
    workbookParts(`${header}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, '').map((p) =>
      p.name === 'xl/sharedStrings.xml' ? {
            ...p,
            deflated: deflateBomb('<sst><si><t>', 'a', count, '</t></si></sst>'),
            size: declared ?? count + 27,
            // a right checksum where the part is small enough to be read whole
            crc: count <= 1e6 ? zlibCrc32(`<sst><si><t>${'a'.repeat(count)}</t></si></sst>`) : 0,
          } : p,
    );

  it('a shared-strings part declared to inflate to 600 MB is refused before inflating', async () => {
    const bytes = buildZip(bombParts(undefined, 600_000_000));
    expect(bytes.length).toBeLessThan(4_000_000);
    const { error, ms } = await rejection(bytes);
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error.message).toBe('xl/sharedStrings.xml: inflates to 600000027 bytes, beyond maxInflatedBytes (536870912)');
    expect(ms).toBeLessThan(1000);
  });

  it('one that claims 1,000 bytes is stopped soon after 1,000 bytes', async () => {
    const before = process.memoryUsage().rss;
    const { error, ms } = await rejection(buildZip(bombParts(1000, 600_000_000)));
    expect(error.message).toBe('xl/sharedStrings.xml: inflates beyond its declared size of 1000 bytes');
    expect(ms).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200e6);
  });

  it('maxInflatedBytes is an option and counts every part read', async () => {
    const bytes = buildZip(bombParts(undefined, 100_000));
    expect((await rejection(bytes, { maxInflatedBytes: 50_000 })).error.message).toMatch(/beyond maxInflatedBytes \(50000\)$/);
    expect((await readXlsx(bytes, { maxInflatedBytes: 102_000 })).get('a', 0)).toBe('a'.repeat(100_000));
    // the shared strings alone (100,027 bytes) fit; with the workbook and relationships parts they do not
    expect((await rejection(bytes, { maxInflatedBytes: 100_050 })).error.message).toMatch(/beyond maxInflatedBytes/);
    expect((await rejection(bytes, { maxInflatedBytes: 0.5 })).error).toBeInstanceOf(InputError);
  });

  it('entries sharing or overlapping one compressed stream are refused', async () => {
    const parts = workbookParts(`${header}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, '<si><t>x</t></si>');
    // the sheet's central record points at the shared strings' data
    const aliased = parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, sameDataAs: 'xl/sharedStrings.xml' } : p));
    const moved = [...aliased.filter((p) => p.name !== 'xl/worksheets/sheet1.xml'), aliased.find((p) => p.name === 'xl/worksheets/sheet1.xml')!];
    expect((await rejection(buildZip(moved))).error.message).toBe('zip: xl/worksheets/sheet1.xml: overlaps another entry');
  });

  it('a zip nested inside a part is not opened', async () => {
    const inner = workbookBytes(header);
    const parts = workbookParts(header).map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, data: inner } : p));
    expect((await rejection(buildZip(parts))).error).toBeInstanceOf(DataFormatError);
  });
});

describe('XML entities', () => {
  const laughs = `<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`;
  it('a DTD (entity expansion, external entities) is refused in any part', async () => {
    const expansion = workbookParts(`${header}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, '<si><t>&c;</t></si>').map((p) =>
      p.name === 'xl/sharedStrings.xml' ? { ...p, data: `<?xml version="1.0"?>${laughs}${p.data as string}` } : p,
    );
    expect((await rejection(buildZip(expansion))).error.message).toBe('xl/sharedStrings.xml: document type declarations (DTDs) are not allowed');
    const external = workbookParts(`${header}<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>`).map((p) =>
      p.name === 'xl/worksheets/sheet1.xml' ? { ...p, data: `<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>${p.data as string}` } : p,
    );
    expect((await rejection(buildZip(external))).error.message).toMatch(/^xl\/worksheets\/sheet1.xml: document type declarations/);
  });
  it('an entity never declared is an error, the predefined ones and character references are text', async () => {
    expect((await rejection(workbookBytes(`${header}<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>`))).error.message).toMatch(/undefined entity "&xxe;"/);
    const t = await readXlsx(workbookBytes(`${header}<row r="2"><c r="A2" t="inlineStr"><is><t>&lt;&amp;&#65;&#x42;&quot;</t></is></c></row>`));
    expect(t.get('a', 0)).toBe('<&AB"');
  });
});

describe('shared-string indexes', () => {
  for (const index of ['1', '-1', 'NaN', '', '1e0', '4294967296']) {
    it(`index ${JSON.stringify(index)} of one string is a DataFormatError naming the cell`, async () => {
      const { error } = await rejection(workbookBytes(`${header}<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>${index}</v></c></row>`, '<si><t>x</t></si>'));
      expect(error).toBeInstanceOf(DataFormatError);
      expect((error as DataFormatError).where).toBe('xl/worksheets/sheet1.xml cell B2');
      expect(error.message).toContain('out of range (1 strings)');
    });
  }
});

describe('declared and far-out grids', () => {
  it('a declared dimension of the whole sheet allocates nothing', async () => {
    const t0 = performance.now();
    const t = await readXlsx(workbookBytes(`${header}<row r="2"><c r="A2"><v>1</v></c></row>`, undefined, { sheetBefore: '<dimension ref="A1:XFD1048576"/>' }));
    expect(t.numRows).toBe(1);
    expect(t.columnNames).toEqual(['a', 'b']);
    expect(performance.now() - t0).toBeLessThan(500);
  });
  it('a cell at XFD1048576 is refused by maxCells before anything is allocated', async () => {
    const { error, ms } = await rejection(workbookBytes(`${header}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`));
    expect(error.message).toBe('xl/worksheets/sheet1.xml cell XFD1048576: 1048575 rows × 16384 columns is beyond maxCells (20000000)');
    expect(ms).toBeLessThan(500);
  });
  it('rows, columns and cells are limits the caller can set', async () => {
    const bytes = workbookBytes(`${header}<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="C3"><v>2</v></c></row>`);
    expect((await readXlsx(bytes)).numRows).toBe(2);
    expect((await rejection(bytes, { maxRows: 1 })).error.message).toBe('xl/worksheets/sheet1.xml cell C3: row 3 is beyond maxRows (1 data rows)');
    expect((await rejection(bytes, { maxColumns: 2 })).error.message).toBe('xl/worksheets/sheet1.xml cell C3: column 3 is beyond maxColumns (2)');
    expect((await rejection(bytes, { maxCells: 5 })).error.message).toBe('xl/worksheets/sheet1.xml cell C3: 2 rows × 3 columns is beyond maxCells (5)');
    expect((await rejection(workbookBytes(`${header}<row r="2"><c r="AAAA2"><v>1</v></c></row>`))).error).toBeInstanceOf(DataFormatError);
  });
});

describe('damaged archives', () => {
  const good = workbookParts(`${header}<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>`, '<si><t>x</t></si>');
  const sheetWith = (change: Partial<ZipInput>) => buildZip(good.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, ...change } : p)));

  it('reads the intact archive', async () => {
    const t = await readXlsx(buildZip(good));
    expect([t.get('a', 0), t.get('b', 0)]).toEqual([1, 'x']);
  });
  it('a wrong CRC-32, a wrong size, stored data that is not XML are DataFormatErrors', async () => {
    expect((await rejection(sheetWith({ crc: 1 }))).error.message).toBe('xl/worksheets/sheet1.xml: CRC-32 mismatch (damaged entry)');
    expect((await rejection(sheetWith({ size: 100_000 }))).error.message).toMatch(/^xl\/worksheets\/sheet1.xml: inflates to \d+ bytes, not the declared 100000$/);
    expect((await rejection(sheetWith({ store: true, data: '\u0000\u0001garbage' }))).error).toBeInstanceOf(DataFormatError);
    expect((await rejection(sheetWith({ deflated: new Uint8Array([0xff, 0xff, 0xff]) }))).error.message).toMatch(/damaged deflate data/);
  });
  it('every truncation is a DataFormatError', async () => {
    const bytes = buildZip(good);
    for (let n = 0; n < bytes.length; n += 7) expect((await rejection(bytes.subarray(0, n))).error).toBeInstanceOf(DataFormatError);
  });
  it('crc32 is the zip checksum', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});

describe('readXlsxFile names the file in every error', () => {
  it('prefixes the path', async () => {
    const path = join(scratch, 'bad-index.xlsx');
    writeFileSync(path, workbookBytes(`${header}<row r="2"><c r="B2" t="s"><v>9</v></c></row>`, '<si><t>x</t></si>'));
    const error = (await readXlsxFile(path).catch((e: unknown) => e)) as DataFormatError;
    expect(error).toBeInstanceOf(DataFormatError);
    expect(error.where).toBe(`${path}: xl/worksheets/sheet1.xml cell B2`);
    expect(error.message).toBe(`${path}: xl/worksheets/sheet1.xml cell B2: shared string index "9" is out of range (1 strings)`);
  });
});
