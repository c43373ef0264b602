import { DataFormatError } from '../../errors.js';
import type { InflateBudget } from './inflate-entry.js';
import { readPart } from './read-part.js';
import { attribute } from './xml-tokenizer.js';
import type { ZipArchive } from './zip-archive.js';

/** Where a workbook's parts are and how its dates count. */
export interface WorkbookStructure {
  /** Worksheets in workbook order, each with the zip path of its part. */
  sheets: { name: string; part: string }[];
  /** The 1904 date system (old Mac workbooks): serial 0 is 1904-01-01. */
  date1904: boolean;
  sharedStrings?: string;
  styles?: string;
}

interface Relationship {
  id: string;
  type: string;
  part: string;
}

/**
 * Finds the workbook part through the package relationships, then its sheets (in order,
 * by name), the shared-strings and styles parts and the date system.
 *
 * @example
 * readWorkbookStructure(zip, budget).sheets // => [{ name: 'Sheet1', part: 'xl/worksheets/sheet1.xml' }]
 */
export function readWorkbookStructure(zip: ZipArchive, budget: InflateBudget): WorkbookStructure {
  const office = readRelationships(zip, '', budget).find((r) => r.type.endsWith('/officeDocument'));
  const workbookPart = office?.part ?? 'xl/workbook.xml';
  const dir = workbookPart.slice(0, workbookPart.lastIndexOf('/') + 1);
  const rels = readRelationships(zip, workbookPart, budget);
  const byId = new Map(rels.map((r) => [r.id, r]));
  const sheets: WorkbookStructure['sheets'] = [];
  let date1904 = false;
  let inSheets = false;
  const found = readPart(zip, workbookPart, budget, {
    open(element, attrs) {
      if (element === 'workbookPr') date1904 = /^(1|true)$/.test(attribute(attrs, 'date1904') ?? '');
      else if (element === 'sheets') inSheets = true;
      else if (element === 'sheet' && inSheets) {
        const name = attribute(attrs, 'name') ?? '';
        const id = attribute(attrs, 'id');
        const rel = id === undefined ? undefined : byId.get(id);
        // Without a relationship, fall back to the conventional name Excel and most writers use.
        sheets.push({ name, part: rel?.part ?? `${dir}worksheets/sheet${sheets.length + 1}.xml` });
      }
    },
    close(element) {
      if (element === 'sheets') inSheets = false;
    },
    text() {},
  });
  if (!found) throw new DataFormatError(workbookPart, 'missing (not an .xlsx workbook)');
  const byType = (suffix: string) => rels.find((r) => r.type.endsWith(suffix))?.part;
  return {
    sheets,
    date1904,
    sharedStrings: byType('/sharedStrings') ?? (zip.entry(`${dir}sharedStrings.xml`) ? `${dir}sharedStrings.xml` : undefined),
    styles: byType('/styles') ?? (zip.entry(`${dir}styles.xml`) ? `${dir}styles.xml` : undefined),
  };
}

/** The relationships of `source` ('' for the package), targets resolved to zip paths. */
function readRelationships(zip: ZipArchive, source: string, budget: InflateBudget): Relationship[] {
  const slash = source.lastIndexOf('/');
  const dir = source.slice(0, slash + 1);
  const relsPart = `${dir}_rels/${source.slice(slash + 1)}.rels`;
  const out: Relationship[] = [];
  readPart(zip, relsPart, budget, {
    open(element, attrs) {
      if (element !== 'Relationship' || attribute(attrs, 'TargetMode') === 'External') return;
      const id = attribute(attrs, 'Id');
      const target = attribute(attrs, 'Target');
      if (id === undefined || target === undefined) return;
      out.push({ id, type: attribute(attrs, 'Type') ?? '', part: resolvePart(dir, target) });
    },
    close() {},
    text() {},
  });
  return out;
}

/** Resolves a relationship target against the source's folder into a zip path without a leading slash. */
function resolvePart(dir: string, target: string): string {
  const segments = target.startsWith('/') ? [] : dir.split('/').filter(Boolean);
  for (const s of target.split('/')) {
    if (s === '..') segments.pop();
    else if (s !== '.' && s !== '') segments.push(s);
  }
  return segments.join('/');
}
