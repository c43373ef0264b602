import { isDateFormat } from './date-format.js';
import type { InflateBudget } from './inflate-entry.js';
import { readPart } from './read-part.js';
import { attribute } from './xml-tokenizer.js';
import type { ZipArchive } from './zip-archive.js';

/**
 * Reads the styles part into one flag per cell format (`<cellXfs>` entry, the index a
 * cell's `s` attribute names): whether numbers in that format are dates. A workbook
 * without styles has no date formats.
 *
 * @example
 * const dates = readDateStyles(zip, 'xl/styles.xml', budget);
 * dates[3] // => true when style 3 has a date number format
 */
export function readDateStyles(zip: ZipArchive, name: string | undefined, budget: InflateBudget): boolean[] {
  const codes = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  if (name !== undefined) {
    readPart(zip, name, budget, {
      open(element, attrs) {
        if (element === 'numFmt') {
          const id = Number(attribute(attrs, 'numFmtId'));
          const code = attribute(attrs, 'formatCode');
          if (Number.isInteger(id) && code !== undefined) codes.set(id, code);
        } else if (element === 'cellXfs') inCellXfs = true;
        else if (element === 'xf' && inCellXfs) xfFormats.push(Number(attribute(attrs, 'numFmtId') ?? 0));
      },
      close(element) {
        if (element === 'cellXfs') inCellXfs = false;
      },
      text() {},
    });
  }
  return xfFormats.map((id) => Number.isInteger(id) && isDateFormat(id, codes.get(id)));
}
