import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';
import { concat } from '../../fuzz/mutate.js';

/** One file to put in a hand-built zip; the overrides make damaged or hostile archives. */
export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  /** Store instead of deflating. */
  store?: boolean;
  /** Already-deflated bytes to use as the entry's data (with `size` as the declared size). */
  deflated?: Uint8Array;
  /** Declared uncompressed size (default: the real one). */
  size?: number;
  /** Declared CRC-32 (default: the real one). */
  crc?: number;
  /** Point this entry's central record at the local header and data of the named earlier entry. */
  sameDataAs?: string;
}

const enc = new TextEncoder();


/** Builds a zip archive byte by byte, so tests can say exactly what each header claims. */
export function buildZip(inputs: ZipInput[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const written = new Map<string, { offset: number; data: Uint8Array; size: number; crc: number }>();
  let offset = 0;
  for (const input of inputs) {
    const raw = typeof input.data === 'string' ? enc.encode(input.data) : input.data;
    const name = enc.encode(input.name);
    const alias = input.sameDataAs === undefined ? undefined : written.get(input.sameDataAs)!;
    const data = alias?.data ?? input.deflated ?? (input.store ? raw : deflateSync(raw));
    const method = input.store ? 0 : 8;
    const size = alias?.size ?? input.size ?? raw.length;
    const crc = alias?.crc ?? input.crc ?? crc32(raw);
    const head = (sig: number, length: number) => {
      const b = new Uint8Array(length);
      const v = new DataView(b.buffer);
      v.setUint32(0, sig, true);
      return { b, v };
    };
    const local = head(0x04034b50, 30);
    local.v.setUint16(4, 20, true);
    local.v.setUint16(8, method, true);
    local.v.setUint32(14, crc, true);
    local.v.setUint32(18, data.length, true);
    local.v.setUint32(22, size, true);
    local.v.setUint16(26, name.length, true);
    const at = alias?.offset ?? offset;
    if (!alias) {
      written.set(input.name, { offset, data, size, crc });
      chunks.push(local.b, name, data);
      offset += 30 + name.length + data.length;
    }
    const c = head(0x02014b50, 46);
    c.v.setUint16(4, 20, true);
    c.v.setUint16(6, 20, true);
    c.v.setUint16(10, method, true);
    c.v.setUint32(16, crc, true);
    c.v.setUint32(20, data.length, true);
    c.v.setUint32(24, size, true);
    c.v.setUint16(28, name.length, true);
    c.v.setUint32(42, at, true);
    central.push(c.b, name);
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, inputs.length, true);
  ev.setUint16(10, inputs.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat(...chunks, ...central, end);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Extra XML for {@link workbookParts}: before and after `<sheetData>`, and the inside of `<styleSheet>`. */
export interface WorkbookExtras {
  sheetBefore?: string;
  sheetAfter?: string;
  styles?: string;
}

/** The parts of a one-sheet workbook: `rows` is the inside of `<sheetData>`, `strings` the `<si>` items. */
export function workbookParts(rows: string, strings?: string, extra: WorkbookExtras = {}): ZipInput[] {
  return [
    { name: '_rels/.rels', data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    { name: 'xl/workbook.xml', data: `<workbook ${NS}><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>` },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    },
    ...(extra.styles === undefined ? [] : [{ name: 'xl/styles.xml', data: `<styleSheet ${NS}>${extra.styles}</styleSheet>` }]),
    ...(strings === undefined ? [] : [{ name: 'xl/sharedStrings.xml', data: `<sst ${NS}>${strings}</sst>` }]),
    { name: 'xl/worksheets/sheet1.xml', data: `<worksheet ${NS}>${extra.sheetBefore ?? ''}<sheetData>${rows}</sheetData>${extra.sheetAfter ?? ''}</worksheet>` },
  ];
}

/** A one-sheet workbook's bytes; see {@link workbookParts}. */
export function workbookBytes(rows: string, strings?: string, extra: WorkbookExtras = {}): Uint8Array {
  return buildZip(workbookParts(rows, strings, extra));
}
