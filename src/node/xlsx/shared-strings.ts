import type { InflateBudget } from './inflate-entry.js';
import { readPart } from './read-part.js';
import type { ZipArchive } from './zip-archive.js';

/**
 * Reads the shared-strings table: each `<si>` is the text of its `<t>` elements joined
 * (rich-text runs concatenate), leaving out phonetic guides (`<rPh>`), which Excel does not
 * show in the cell. The declared `count`/`uniqueCount` are ignored: the list grows with the
 * strings actually present, which the inflate budget bounds.
 *
 * @example
 * readSharedStrings(zip, 'xl/sharedStrings.xml', budget) // => ['customer_id', 'age', ...]
 */
export function readSharedStrings(zip: ZipArchive, name: string | undefined, budget: InflateBudget): string[] {
  const strings: string[] = [];
  if (name === undefined) return strings;
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let current = '';
  readPart(zip, name, budget, {
    open(element, _attrs, selfClosing) {
      if (element === 'si') {
        inItem = true;
        current = '';
      } else if (element === 'rPh') phonetic++;
      else if (element === 't' && inItem && phonetic === 0 && !selfClosing) inText = true;
    },
    close(element) {
      if (element === 't') inText = false;
      else if (element === 'rPh') phonetic--;
      else if (element === 'si' && inItem) {
        strings.push(current);
        inItem = false;
      }
    },
    text(text) {
      if (inText) current += text;
    },
  });
  return strings;
}
